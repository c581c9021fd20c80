"""The outbox relay: publishes a service's notification log to Kafka. No dual writes.

A command only writes events to the store. This relay follows the store's notification
log in order, maps each domain event to its public contract (internal events are skipped)
and publishes it keyed by case id, so one case's events stay in one partition and in order.
After every acknowledged batch it records its position; after a crash it resumes there
(re-sending at most one batch, which consumers recognise by `case_sequence`).

A broker can come back empty (the test broker keeps nothing; a production topic can be
deleted and recreated). The relay notices because the broker hands out offsets lower than
the ones it already got acknowledged, or reports a partition empty, and then starts
over from the beginning of the log under a new epoch. Consumers seek back when they see a
new epoch, so nothing that was acknowledged and then forgotten is lost downstream.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import ChainMap
from collections.abc import Callable
from functools import partial
from typing import Any

import structlog
from kafka import TopicPartition

from shared.contracts.cloudevents import to_kafka
from shared.infra.eventstore import EventStoreApplication
from shared.infra.kafka_clients import (
    ensure_topics,
    make_metadata_consumer,
    make_producer,
)
from shared.infra.public_events import PublicMapping, public_events
from shared.infra.relay_state import RelayState, RelayStateStore
from shared.infra.settings import ServiceSettings

log = structlog.get_logger("relay")

EPOCH_HEADER = "bum-epoch"


class BrokerLostMessages(Exception):
    """The broker no longer has messages it acknowledged to us."""


class OutboxRelay:
    def __init__(
        self,
        app: EventStoreApplication,
        *,
        source: str,
        topic: str,
        mapping: PublicMapping,
        bootstrap: str,
        poll_seconds: float = 0.05,
        batch_size: int = 500,
        check_seconds: float = 1.0,
        linger_seconds: float = 0.0,
    ) -> None:
        self.app = app
        self.source = source
        self.topic = topic
        self.mapping = mapping
        self.bootstrap = bootstrap
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.check_seconds = check_seconds
        self.linger_seconds = linger_seconds
        self.state_store = RelayStateStore(
            app.process_recorder, f"{source}->{topic}", keys=app.keys
        )
        self.state = self.state_store.load()
        self._producer: Any = None
        self._metadata: Any = None
        self._last_check = 0.0
        self.published_total = 0

    # -- lifecycle -----------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                self._connect()
                if time.monotonic() - self._last_check >= self.check_seconds:
                    self.check_broker_kept_our_messages()
                seen = self.app.log_generation
                published = self.publish_batch()
                backoff = 0.2
                if published < self.batch_size:
                    # Woken by this process's own commits; `poll_seconds` is the fallback
                    # for writers in other processes. Lingering gathers a bigger batch
                    # where a little lag is cheap (the per-provider topics).
                    self.app.wait_for_new_events(seen, self.poll_seconds)
                    if self.linger_seconds:
                        stop.wait(self.linger_seconds)
            except BrokerLostMessages as lost:
                self._start_over(str(lost))
            except Exception as exc:  # the broker or the database is away: retry, never die
                log.warning("relay_retry", topic=self.topic, error=repr(exc), backoff=backoff)
                self._disconnect()
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._disconnect()

    def _connect(self) -> None:
        if self._producer is None:
            ensure_topics(self.bootstrap, [self.topic])
            self._producer = make_producer(self.bootstrap)
            self._metadata = make_metadata_consumer(self.bootstrap)
            self._last_check = 0.0

    def _disconnect(self) -> None:
        for client in (self._producer, self._metadata):
            if client is not None:
                try:
                    client.close(timeout=1) if client is self._producer else client.close()
                except Exception as exc:  # closing a broken client must not stop the relay
                    log.debug("relay_close_failed", error=repr(exc))
        self._producer = self._metadata = None

    def _start_over(self, why: str) -> None:
        log.warning("relay_starting_over", topic=self.topic, reason=why, old_epoch=self.state.epoch)
        self.state = RelayState(epoch=uuid.uuid4().hex)
        self.state_store.save(self.state, changed_cases=None)
        self._disconnect()

    # -- work ------------------------------------------------------------------------
    def check_broker_kept_our_messages(self) -> None:
        self._last_check = time.monotonic()
        expected = {p: o for p, o in self.state.next_offsets.items() if o > 0}
        if not expected:
            return
        self._metadata.topics()  # refresh metadata so a recreated topic is seen
        partitions = self._metadata.partitions_for_topic(self.topic) or set()
        missing = set(expected) - set(partitions)
        if missing:
            raise BrokerLostMessages(f"partitions {sorted(missing)} of {self.topic} are gone")
        ends = self._metadata.end_offsets([TopicPartition(self.topic, p) for p in expected])
        for tp, end in ends.items():
            # Only an empty partition is proof: Tansu reports the base offset of the last
            # record batch + 1 as the end offset, which can trail what we published. A
            # broker that lost messages and got new ones since is caught in publish_batch.
            if end == 0:
                raise BrokerLostMessages(
                    f"{self.topic}[{tp.partition}] is empty, we had {expected[tp.partition]}"
                )

    def publish_batch(self) -> int:
        recorder = self.app.process_recorder
        notifications = recorder.select_notifications(
            start=self.state.position + 1, limit=self.batch_size
        )
        if not notifications:
            return 0
        # Reads fall through to the stored counters; this batch's numbers land in the first map.
        counters: ChainMap[str, int] = ChainMap({}, self.state.case_sequences)
        events = public_events(self.app, self.source, self.mapping, notifications, counters)
        changed_cases = counters.maps[0]
        futures = []
        epoch = (EPOCH_HEADER, self.state.epoch.encode())
        for public in events:
            key, value, headers = to_kafka(public)
            future = self._producer.send(
                self.topic, key=key, value=value, headers=[*headers, epoch]
            )
            futures.append((public, future))
        self._producer.flush(timeout=10)
        next_offsets = dict(self.state.next_offsets)
        for public, future in futures:
            metadata = future.get(timeout=10)
            if metadata.offset < next_offsets.get(metadata.partition, 0):
                raise BrokerLostMessages(
                    f"{self.topic}[{metadata.partition}] gave offset {metadata.offset}, "
                    f"expected at least {next_offsets[metadata.partition]}"
                )
            next_offsets[metadata.partition] = metadata.offset + 1
            # Debug: one line per event costs the command path measurably (bench/README.md);
            # /health counts what was published.
            log.debug(
                "event_published",
                case_id=str(public.case_id),
                event_id=str(public.event_id),
                event_type=public.event_type,
                sequence=public.sequence,
                case_sequence=public.case_sequence,
            )
        self.state.position = notifications[-1].id
        self.state.next_offsets = next_offsets
        self.state.case_sequences.update(changed_cases)
        self.state_store.save(self.state, changed_cases, events)
        self.published_total += len(futures)
        return len(notifications)


def relays_for(
    app: EventStoreApplication, source: str, settings: ServiceSettings
) -> Callable[..., OutboxRelay]:
    """A service's relay factory: its store, its name and the configured broker, poll and
    batch size filled in, so the wiring names only each relay's topic and mapping."""
    return partial(
        OutboxRelay,
        app,
        source=source,
        bootstrap=settings.kafka_bootstrap,
        poll_seconds=settings.relay_poll_seconds,
        batch_size=settings.relay_batch_size,
    )
