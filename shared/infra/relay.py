"""The outbox relay: publishes a service's notification log to Kafka. No dual writes.

A command only writes events to the store. One relay per store follows the store's
notification log in order, reads each batch once, and for every topic it serves maps each
domain event to that topic's public contract (internal events, and events a topic does not
carry, are skipped) and publishes it keyed by case id, so one case's events stay in one
partition and in order. After every acknowledged batch it records every topic's position
in one transaction that does not wait for the disk; after a crash (of the relay, or of the
database losing the last such commits) it resumes from the last position stored,
re-sending what came after it, which consumers recognise by `case_sequence` and drop.

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
from collections import ChainMap, Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from kafka import TopicPartition
from opentelemetry.trace import SpanKind

from shared.contracts import PublicEvent
from shared.contracts.cloudevents import to_kafka
from shared.infra import tid, tracing
from shared.infra.es import notify_channel
from shared.infra.eventstore import EventStoreApplication
from shared.infra.kafka_clients import (
    ensure_topics,
    make_metadata_consumer,
    make_producer,
)
from shared.infra.public_events import PublicMapping, public_events
from shared.infra.relay_lease import RelayLease
from shared.infra.relay_state import RelayState, RelayStateStore, TopicBatch
from shared.infra.settings import ServiceSettings

log = structlog.get_logger("relay")

EPOCH_HEADER = "bum-epoch"


class BrokerLostMessages(Exception):
    """The broker no longer has messages it acknowledged to us, on these topics."""

    def __init__(self, lost: Mapping[str, str]) -> None:
        super().__init__("; ".join(lost.values()))
        self.lost = dict(lost)


@dataclass(frozen=True)
class Route:
    """A topic the store's relay publishes to, and which public events go there (the
    mapping returns None for an event the topic does not carry)."""

    topic: str
    mapping: PublicMapping


class OutboxRelay:
    """The one relay of a store: reads the log once per batch and publishes each event to
    every topic whose route maps it. Each topic keeps its own position, epoch, offsets and
    per-case numbering, exactly as a relay of its own would (a topic the broker lost starts
    over alone); all of them are saved in one cheap transaction per batch."""

    def __init__(
        self,
        app: EventStoreApplication,
        *,
        source: str,
        bootstrap: str,
        routes: Sequence[Route] = (),
        topic: str | None = None,
        mapping: PublicMapping | None = None,
        poll_seconds: float = 0.05,
        batch_size: int = 500,
        check_seconds: float = 1.0,
        idle_check_seconds: float = 5.0,
    ) -> None:
        if topic is not None and mapping is not None:
            routes = [Route(topic, mapping), *routes]  # the one-topic form
        if not routes or len({r.topic for r in routes}) != len(routes):
            raise ValueError("a relay needs one route per topic, at least one")
        self.app = app
        self.source = source
        self.routes = list(routes)
        #: The first route's topic: the service's own (what `/public-events` pages by default).
        self.topic = self.routes[0].topic
        self.bootstrap = bootstrap
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.check_seconds = check_seconds
        self.idle_check_seconds = max(idle_check_seconds, check_seconds)
        self.state_store = RelayStateStore(app.process_recorder, source, keys=app.keys)
        self.states = self.state_store.load([r.topic for r in self.routes])
        #: Several processes over one store: only the lease holder publishes (relay_lease.py).
        self.lease = RelayLease.for_store(app.env, f"{app.name}:{source}", check_seconds)
        self._standby = False
        self._producer: Any = None
        self._metadata: Any = None
        self._last_check = 0.0
        self._last_publish = 0.0
        self.published: dict[str, int] = {r.topic: 0 for r in self.routes}
        #: Published per (topic, event type), for /metrics: a deadline breach
        #: (FristOverskredet, LeveringSvigtet) is an event type an alert can count.
        self.published_by_type: Counter[tuple[str, str]] = Counter()
        # PostgreSQL NOTIFYs every commit and the application LISTENs (log_wakeup.py);
        # on SQLite only this process's own commits wake us.
        self._woken_by_every_commit = bool(notify_channel(app.process_recorder))
        #: Routes added while running (add_route), taken in by the relay's own thread.
        self._new_routes: list[Route] = []
        self._new_routes_lock = threading.Lock()

    def add_route(self, route: Route) -> bool:
        """Serve one more topic from the next batch on, without a restart (a provider
        approved while the service runs gets its own topic). The topic keeps its own
        state like any other: a new one starts at the head of the log, so it is sent
        every event of the store its mapping carries. False if the topic is served."""
        with self._new_routes_lock:
            if any(r.topic == route.topic for r in [*self.routes, *self._new_routes]):
                return False
            self._new_routes.append(route)
        # Taken in at the relay's next turn; it starts from the log's head, so an event
        # committed before then is sent all the same.
        return True

    def _take_new_routes(self) -> None:
        with self._new_routes_lock:
            new, self._new_routes = self._new_routes, []
        if not new:
            return
        topics = [r.topic for r in new]
        self.states.update(self.state_store.load(topics))
        for r in new:
            self.published.setdefault(r.topic, 0)
        self.routes = [*self.routes, *new]
        # Connect afresh (as at start): the topics are created before a producer that
        # knows their metadata sends to them; an old producer may time out on a new topic
        # and have the batch sent twice.
        self._disconnect()
        log.info("relay_routes_added", source=self.source, topics=topics)

    @property
    def state(self) -> RelayState:
        """The first topic's state (a one-topic relay's only one)."""
        return self.states[self.topic]

    @property
    def published_total(self) -> int:
        return sum(self.published.values())

    def published_page(self, topic: str, after: int, limit: int) -> list[dict[str, Any]]:
        """What `/public-events` pages: events published to `topic` after a log position."""
        return self.state_store.published_page(topic, after, limit)

    # -- lifecycle -----------------------------------------------------------------
    @property
    def leder(self) -> bool:
        """Does this process's relay publish the store? False only while it stands by
        behind another process's (as of its last lease check); a relay not started yet is
        nobody's standby, and its lag is the store's."""
        return not self._standby

    def run(self, stop: threading.Event) -> None:
        try:
            self._run(stop)
        finally:
            self.lease.release()
            self._disconnect()

    def _run(self, stop: threading.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                if not self.lease.held():
                    self._stand_by(stop)
                    continue
                if self._standby:
                    # Another process published while this one stood by: carry on from the
                    # positions, offsets and counters it saved.
                    self.states = self.state_store.load([r.topic for r in self.routes])
                    self._standby = False
                    log.info("relay_leading", source=self.source)
                self._take_new_routes()
                self._connect()
                if time.monotonic() - self._last_check >= self._check_interval():
                    self.check_broker_kept_our_messages()
                seen = self.app.log_generation
                read = self.publish_batch()
                backoff = 0.2
                if read < self.batch_size:
                    # Woken by this process's commits, and on PostgreSQL by any process's
                    # (LISTEN/NOTIFY); `poll_seconds` is the fallback for other writers
                    # where nothing wakes us (SQLite), and the broker check's pace.
                    self.app.wait_for_new_events(seen, self._wait_seconds())
            except BrokerLostMessages as lost:
                self._start_over(lost.lost)
            except Exception as exc:  # the broker or the database is away: retry, never die
                log.warning("relay_retry", source=self.source, error=repr(exc), backoff=backoff)
                self._disconnect()
                tid.vent(stop, backoff)
                backoff = min(backoff * 2, 5.0)

    def _stand_by(self, stop: threading.Event) -> None:
        if not self._standby:
            log.info("relay_standing_by", source=self.source)
            self._standby = True
            self._disconnect()  # no producer while another process publishes
        tid.vent(stop, self.lease.check_seconds)

    def _check_interval(self) -> float:
        """How often to ask the broker whether it still has our messages: every
        `check_seconds` while publishing, every `idle_check_seconds` when nothing was
        published for that long (a broker lost while idle is noticed a little later, and
        the next publish finds it too: its offsets start low)."""
        idle = time.monotonic() - self._last_publish >= self.idle_check_seconds
        return self.idle_check_seconds if idle else self.check_seconds

    def _wait_seconds(self) -> float:
        if self._woken_by_every_commit:
            # Every commit wakes us: the wait only paces the broker check.
            until_check = self._last_check + self._check_interval() - time.monotonic()
            return max(until_check, self.poll_seconds)
        return self.poll_seconds

    def _connect(self) -> None:
        if self._producer is None:
            ensure_topics(self.bootstrap, [r.topic for r in self.routes])
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

    def _start_over(self, lost: Mapping[str, str]) -> None:
        batches = {}
        for topic, why in lost.items():
            log.warning(
                "relay_starting_over",
                topic=topic,
                reason=why,
                old_epoch=self.states[topic].epoch,
            )
            self.states[topic] = RelayState(epoch=uuid.uuid4().hex)
            batches[topic] = TopicBatch(changed_cases=None)
        self.state_store.save(self.states, batches)
        self._disconnect()

    # -- work ------------------------------------------------------------------------
    def check_broker_kept_our_messages(self) -> None:
        self._last_check = time.monotonic()
        expected = {
            (topic, p): o
            for topic, state in self.states.items()
            for p, o in state.next_offsets.items()
            if o > 0
        }
        if not expected:
            return
        self._metadata.topics()  # refresh metadata so a recreated topic is seen
        lost: dict[str, str] = {}
        for topic in sorted({t for t, _p in expected}):
            partitions = self._metadata.partitions_for_topic(topic) or set()
            missing = {p for t, p in expected if t == topic} - set(partitions)
            if missing:
                lost[topic] = f"partitions {sorted(missing)} of {topic} are gone"
        asked = [TopicPartition(t, p) for t, p in expected if t not in lost]
        ends = self._metadata.end_offsets(asked) if asked else {}
        for tp, end in ends.items():
            # Only an empty partition is proof: Tansu reports the base offset of the last
            # record batch + 1 as the end offset, which can trail what we published. A
            # broker that lost messages and got new ones since is caught in publish_batch.
            if end == 0 and tp.topic not in lost:
                lost[tp.topic] = (
                    f"{tp.topic}[{tp.partition}] is empty, "
                    f"we had {expected[(tp.topic, tp.partition)]}"
                )
        if lost:
            raise BrokerLostMessages(lost)

    def publish_batch(self) -> int:
        """Publish the next batch of the log to every topic; the number of notifications
        read (a topic behind the others, after a start-over, reads from its own position
        while the others skip what they have)."""
        start = min(state.position for state in self.states.values()) + 1
        began = time.perf_counter()
        notifications = self.app.process_recorder.select_notifications(
            start=start, limit=self.batch_size
        )
        self.app.timings.store_call("select_notifications", time.perf_counter() - began)
        if not notifications:
            return 0
        sent: dict[str, tuple[list[Any], ChainMap[str, int]]] = {}
        spans: list[Any] = []
        for route in self.routes:
            state = self.states[route.topic]
            mine = [n for n in notifications if n.id > state.position]
            # Reads fall through to the stored counters; this batch's numbers land in the
            # first map.
            counters: ChainMap[str, int] = ChainMap({}, state.case_sequences)
            events = public_events(self.app, self.source, route.mapping, mine, counters)
            epoch = (EPOCH_HEADER, state.epoch.encode())
            futures = []
            for public in events:
                key, value, headers = to_kafka(public)
                publish = _publish_span(route.topic, public)
                if publish is not None:
                    own = tracing.traceparent_of(publish) or ""
                    headers.append((tracing.TRACEPARENT, own.encode()))
                    spans.append(publish)
                future = self._producer.send(
                    route.topic, key=key, value=value, headers=[*headers, epoch]
                )
                futures.append((public, future, publish))
            sent[route.topic] = (futures, counters)
        try:
            self._producer.flush(timeout=10)
        finally:
            for publish in spans:  # until the broker has them (or did not take them)
                publish.end()
        lost: dict[str, str] = {}
        batches: dict[str, TopicBatch] = {}
        for topic, (futures, counters) in sent.items():
            state = self.states[topic]
            next_offsets = dict(state.next_offsets)
            for public, future, publish in futures:
                metadata = future.get(timeout=10)
                if metadata.offset < next_offsets.get(metadata.partition, 0):
                    lost[topic] = (
                        f"{topic}[{metadata.partition}] gave offset {metadata.offset}, "
                        f"expected at least {next_offsets[metadata.partition]}"
                    )
                    break
                next_offsets[metadata.partition] = metadata.offset + 1
                # Debug: one line per event costs the command path measurably
                # (bench/README.md); /health counts what was published.
                with tracing.current(publish):
                    log.debug(
                        "event_published",
                        topic=topic,
                        case_id=str(public.case_id),
                        event_id=str(public.event_id),
                        event_type=public.event_type,
                        sequence=public.sequence,
                        case_sequence=public.case_sequence,
                    )
            if topic in lost:
                continue  # its state stays; it starts over below
            state.position = max(state.position, notifications[-1].id)
            state.next_offsets = next_offsets
            state.case_sequences.update(counters.maps[0])
            batches[topic] = TopicBatch(counters.maps[0], [public for public, _f, _s in futures])
            self.published[topic] += len(futures)
            self.published_by_type.update((topic, public.event_type) for public, _f, _s in futures)
            if futures:
                self._last_publish = time.monotonic()
        # The topics the broker kept move on even when another one must start over.
        self.state_store.save(self.states, batches)
        if lost:
            raise BrokerLostMessages(lost)
        return len(notifications)


def _publish_span(topic: str, public: PublicEvent) -> Any:
    """The span of one send, a child of the command that stored the event (ce_traceparent
    is that command's context): the consumer continues from it. None while tracing is off."""
    if not tracing.enabled():
        return None
    return tracing.start_span(
        f"{topic} publish",
        SpanKind.PRODUCER,
        public.traceparent,
        {
            "messaging.system": "kafka",
            "messaging.operation.type": "send",
            "messaging.destination.name": topic,
            "messaging.message.id": str(public.event_id),
            "bum.event_type": public.event_type,
            "bum.case_id": str(public.case_id),
        },
    )


def relay_for(
    app: EventStoreApplication, source: str, settings: ServiceSettings, routes: Sequence[Route]
) -> OutboxRelay:
    """A service's one relay: its store, its name, its topics and the configured broker,
    poll and batch size."""
    return OutboxRelay(
        app,
        source=source,
        routes=routes,
        bootstrap=settings.kafka_bootstrap,
        poll_seconds=settings.relay_poll_seconds,
        batch_size=settings.relay_batch_size,
    )
