"""The event consumer: Kafka group consumer whose effects are exactly-once.

For each message the service's handler returns the aggregates it changed; their new events
and a tracking record are written in one transaction. The tracking record is kept per
(source service, case) with the message's `sequence`: a case's events arrive in order
(same key, same partition), so anything at or below the tracked sequence is a redelivery
and changes nothing. Offsets are committed to Kafka only after the store has committed.

Messages that cannot be understood go to the topic's dead-letter topic with the context an
operator needs (original topic, partition, offset, error), and are never silently dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import structlog
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from kafka import TopicPartition
from pydantic import ValidationError

from shared.contracts import PublicEvent, dead_letter_topic
from shared.contracts.registry import UnknownContract, parse_payload
from shared.infra.eventstore import EventStoreApplication
from shared.infra.kafka_clients import make_group_consumer, make_producer
from shared.infra.local_state import JsonStateStore
from shared.infra.relay import EPOCH_HEADER

log = structlog.get_logger("consumer")

#: A service's reaction to one public event: the aggregates it changed (may be empty).
Handler = Callable[[PublicEvent], Sequence[Aggregate]]


class RetryLater(Exception):
    """The message could not be processed now (database away); read it again."""


def tracking_name(event: PublicEvent) -> str:
    return f"{event.source}/{event.case_id}"


class EventConsumer:
    def __init__(
        self,
        app: EventStoreApplication,
        *,
        group_id: str,
        topics: Iterable[str],
        handler: Handler,
        bootstrap: str,
        poll_ms: int = 200,
    ) -> None:
        self.app = app
        self.group_id = group_id
        self.topics = list(topics)
        self.handler = handler
        self.bootstrap = bootstrap
        self.poll_ms = poll_ms
        self._consumer: Any = None
        self._dlt_producer: Any = None
        # Publisher epochs seen per partition, kept in the database: after a restart the
        # consumer resumes at a committed offset, and only the remembered epochs tell it
        # whether a message comes from a publisher that started over.
        self._epoch_store = JsonStateStore(app.process_recorder, f"consumer-epochs:{group_id}")
        self._epochs: dict[str, set[str]] = {
            k: set(v) for k, v in (self._epoch_store.load() or {}).items()
        }
        self.applied = self.duplicates = self.dead_lettered = 0

    # -- lifecycle -----------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                if self._consumer is None:
                    self._consumer = make_group_consumer(self.bootstrap, self.group_id, self.topics)
                batches = self._consumer.poll(timeout_ms=self.poll_ms)
                for tp, records in batches.items():
                    self._process_partition(tp, records)
                if batches:
                    self._consumer.commit()
                backoff = 0.2
            except Exception as exc:  # broker or database away: reconnect, never die
                log.warning("consumer_retry", group=self.group_id, error=repr(exc), backoff=backoff)
                self._close()
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._close()

    def _close(self) -> None:
        if self._consumer is not None:
            try:
                self._consumer.close(autocommit=False)
            except Exception as exc:  # a broken consumer may fail to close; we drop it anyway
                log.debug("consumer_close_failed", error=repr(exc))
        self._consumer = None

    # -- work ------------------------------------------------------------------------
    def _process_partition(self, tp: TopicPartition, records: list[Any]) -> None:
        key = f"{tp.topic}/{tp.partition}"
        for record in records:
            epoch = dict(record.headers or []).get(EPOCH_HEADER, b"").decode()
            seen = self._epochs.setdefault(key, set())
            if epoch not in seen:
                seen.add(epoch)
                self._epoch_store.save({k: sorted(v) for k, v in self._epochs.items()})
                if len(seen) > 1:
                    # The publisher started over (its broker forgot messages). Whatever we
                    # skipped past is in the new epoch's log: read the partition from its
                    # start. Epochs already seen are no reason to seek again: a log read
                    # from its start holds older epochs before the new one.
                    log.warning("consumer_new_epoch", topic=tp.topic, partition=tp.partition)
                    self._consumer.seek_to_beginning(tp)
                    return
            try:
                self.process_record(record)
            except RetryLater as exc:
                log.warning(
                    "consumer_retry_record", topic=tp.topic, offset=record.offset, error=str(exc)
                )
                self._consumer.seek(tp, record.offset)
                raise

    def process_record(self, record: Any) -> str:
        """Process one Kafka record; returns what happened (for tests and metrics)."""
        try:
            event = PublicEvent.model_validate_json(record.value)
            parse_payload(event)
        except (ValidationError, UnknownContract, ValueError) as exc:
            self._dead_letter(record, exc)
            return "dead-lettered"
        try:
            return self.apply(event)
        except RetryLater:
            raise
        except Exception as exc:  # a bug or an event this service cannot act on
            self._dead_letter(record, exc)
            return "dead-lettered"

    def apply(self, event: PublicEvent) -> str:
        bound = log.bind(
            case_id=str(event.case_id),
            event_id=str(event.event_id),
            event_type=event.event_type,
            source=event.source,
            sequence=event.sequence,
        )
        name = tracking_name(event)
        for _attempt in range(3):
            if self.app.last_tracked(name) >= event.sequence:
                self.duplicates += 1
                bound.info("event_duplicate_ignored")
                return "duplicate"
            try:
                aggregates = self.handler(event)
                self.app.save_with_tracking(aggregates, Tracking(name, event.sequence))
            except IntegrityError:
                # Either this very message was applied meanwhile (checked at the top of the
                # loop) or an API request changed the same aggregate: run the handler again.
                continue
            except OperationalError as exc:
                raise RetryLater(repr(exc)) from exc
            self.applied += 1
            bound.info("event_applied")
            return "applied"
        raise RetryLater(f"{name} {event.sequence}: conflicting writes, will retry")

    def _dead_letter(self, record: Any, error: Exception) -> None:
        if self._dlt_producer is None:
            self._dlt_producer = make_producer(self.bootstrap)
        headers = [
            *list(record.headers or []),
            ("bum-dlt-original-topic", record.topic.encode()),
            ("bum-dlt-original-partition", str(record.partition).encode()),
            ("bum-dlt-original-offset", str(record.offset).encode()),
            ("bum-dlt-consumer-group", self.group_id.encode()),
            ("bum-dlt-error", repr(error)[:2000].encode()),
        ]
        future = self._dlt_producer.send(
            dead_letter_topic(record.topic), key=record.key, value=record.value, headers=headers
        )
        future.get(timeout=10)  # the offset is committed only once the DLT has it
        self.dead_lettered += 1
        log.error(
            "event_dead_lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=repr(error)[:500],
        )
