"""The event consumer: Kafka group consumer whose effects are exactly-once.

For each message the service's handler returns the aggregates it changed; their new events
and a tracking record are written in one transaction. The tracking record is kept per
(source service, case) with the message's `case_sequence`, which the relay numbers 1, 2,
3 ... per case without gaps. So event n of a case is applied only right after n-1:
- n at or below the tracked number is a redelivery and changes nothing;
- n beyond the next one means a message before it is missing. The broker lost it, and the
  publisher starts over and sends the whole case again (see relay.py), so the message is
  passed over now and applied when it comes round in order. Applying it now would make the
  missing one look like a redelivery later.
Offsets are committed to Kafka only after the store has committed.

The aggregates a handler folds (a case's history, its state, an order) stay in memory
between messages, in the consumer's own cache (aggregate_cache.py), tagged with the
partition whose message returned them: no replay per message. What a batch or message
whose transaction failed was handed is evicted, so a redelivery finds the stored state,
not one with the message already applied. A partition revoked or assigned (a rebalance)
or read again from its start (a publisher's new epoch) loses its aggregates; a consumer
that reconnects starts empty.

Messages that cannot be understood go to the topic's dead-letter topic with the context an
operator needs (original topic, partition, offset, error), and are never silently dropped.
When such a message belongs to a case, the case is *parked*: its later events go to the
dead-letter topic too, rather than being applied past the poisoned one.

A re-driven dead letter (redrive.py) names the group it is for: other groups pass it over
as already handled (committed, not applied, not dead-lettered). If it fails again in its
own group, it is dead-lettered once more with its attempts counted up, and counted as
failed again (`dead_letters_failed_again`), not as a new dead letter.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from kafka import ConsumerRebalanceListener, TopicPartition
from opentelemetry.trace import SpanKind

from shared.contracts import PublicEvent, dead_letter_topic
from shared.contracts.cloudevents import InvalidCloudEvent, from_kafka
from shared.contracts.registry import parse_payload
from shared.infra import tid, tracing
from shared.infra.aggregate_cache import Turn
from shared.infra.batch_view import batch_view
from shared.infra.eventstore import EventStoreApplication
from shared.infra.kafka_clients import make_group_consumer, make_producer
from shared.infra.local_state import JsonStateStore
from shared.infra.redrive import (
    DLT_ATTEMPTS_HEADER,
    REDRIVE_ATTEMPTS_HEADER,
    REDRIVE_GROUP_HEADER,
    REDRIVEN_FROM_HEADER,
)
from shared.infra.relay import EPOCH_HEADER

log = structlog.get_logger("consumer")

#: A service's reaction to one public event: the aggregates it changed (may be empty).
Handler = Callable[[PublicEvent], Sequence[Aggregate]]


def read_ahead(handler: Handler, events: Sequence[PublicEvent]) -> None:
    """Let a handler that reads ahead (`forhaand(events)`) fetch, in one query, what it
    will look up for each of a batch's messages (shared/infra/es/forhaand.py)."""
    forhaand = getattr(handler, "forhaand", None)
    if forhaand is not None and events:
        forhaand(events)


class RetryLater(Exception):
    """The message could not be processed now (database away); read it again."""


class _OneByOne(Exception):
    """A batch that must be applied one message per transaction instead (why)."""


class CaseParked(Exception):
    """An earlier event of this case went to the dead-letter topic; this one follows it."""


class Udfald(enum.Enum):
    """What the exactly-once rule says to do with a case's next message."""

    ANVEND = "applied"  # the next one in the case's order
    DUBLET = "duplicate"  # at or below what is tracked: a redelivery, changes nothing
    HUL = "gap"  # beyond the next one: one before it is missing; passed over for now
    VENT = "parked"  # beyond the next one of a parked case: it follows the poisoned one


def exactly_once(case_sequence: int, tracked: int, parked: bool = False) -> Udfald:
    """The consumer's one rule (the module's docstring says why), for the message numbered
    `case_sequence` of a case whose tracking record holds `tracked` (0: none yet)."""
    if case_sequence <= tracked:
        return Udfald.DUBLET
    if case_sequence > tracked + 1:
        return Udfald.VENT if parked else Udfald.HUL
    return Udfald.ANVEND


def tracking_name(event: PublicEvent, stream: str = "") -> str:
    """Per (source, case): the numbers the relay hands out. A source that publishes to a
    second topic numbers the same case again there, so that topic's consumer tracks under
    its own `stream` (e.g. "adgangslog:visitation/<case>")."""
    name = f"{event.source}/{event.case_id}"
    return f"{stream}:{name}" if stream else name


def parkerede_sager(consumer: EventConsumer) -> dict[str, str]:
    """Case id -> the error that parked it, for the cases this consumer has parked (a
    list endpoint shows them as error rows; the tracking name ends in the case id)."""
    return {
        name.rsplit("/", 1)[-1]: str(parked.get("error", ""))
        for name, parked in list(consumer.parked.items())
    }


def _trace_parent(record: Any, event: PublicEvent) -> str | None:
    """Where the message's trace goes on: the publisher's send (`traceparent` header), else
    the command that caused the event (`ce_traceparent`); None while tracing is off."""
    if not tracing.enabled():
        return None
    sent = dict(record.headers or []).get(tracing.TRACEPARENT)
    return sent.decode("latin-1") if sent else event.traceparent


def _oldest_timestamp(batches: dict[TopicPartition, list[Any]]) -> int | None:
    """The oldest broker timestamp (ms) of a poll: each partition's first record is its
    oldest, so this looks at one record per partition, not at every message."""
    stamps = [records[0].timestamp for records in batches.values() if records]
    known = [t for t in stamps if isinstance(t, int) and t > 0]
    return min(known) if known else None


def _partition_key(record: Any) -> str:
    return f"{record.topic}/{record.partition}"


class _DropOnRebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    """A partition that leaves this consumer, or comes (back) to it, is read from the store
    again: another consumer may have applied its messages meanwhile."""

    def __init__(self, consumer: EventConsumer) -> None:
        self.consumer = consumer

    def on_partitions_revoked(self, revoked: Any) -> None:
        for tp in revoked:
            self.consumer.drop_partition(f"{tp.topic}/{tp.partition}")

    def on_partitions_assigned(self, assigned: Any) -> None:
        for tp in assigned:
            self.consumer.drop_partition(f"{tp.topic}/{tp.partition}")


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
        stream: str = "",
        fetch_max_wait_ms: int | None = None,
    ) -> None:
        self.app = app
        self.stream = stream
        self.group_id = group_id
        self.topics = list(topics)
        self.handler = handler
        self.bootstrap = bootstrap
        self.poll_ms = poll_ms
        self.fetch_max_wait_ms = fetch_max_wait_ms  # None: the default (kafka_clients.py)
        self._consumer: Any = None
        self._dlt_producer: Any = None
        # Publisher epochs seen per partition, kept in the database: after a restart the
        # consumer resumes at a committed offset, and only the remembered epochs tell it
        # whether a message comes from a publisher that started over.
        self._epoch_store = JsonStateStore(app.process_recorder, f"consumer-epochs:{group_id}")
        self.epochs_seen: dict[str, set[str]] = {
            k: set(v) for k, v in (self._epoch_store.load() or {}).items()
        }
        # Cases with a dead-lettered event, by tracking name: kept so that a restart does not
        # start applying the case's later events past the poisoned one.
        self._parked_store = JsonStateStore(app.process_recorder, f"consumer-parked:{group_id}")
        self.parked: dict[str, dict[str, Any]] = self._parked_store.load() or {}
        self.applied = self.duplicates = self.dead_lettered = self.gaps_passed_over = 0
        # Re-driven dead letters that failed again here (dead-lettered again, but not a new
        # dead letter), and re-driven copies meant for another group (passed over).
        self.dead_letters_failed_again = self.redrives_for_other_groups = 0
        #: Partitions the group gave this consumer at its last poll (0 while it joins).
        self.assigned_partitions = 0
        #: Broker timestamp (ms) of the oldest message fetched and not yet applied and
        #: committed; None when it holds none. /metrics shows its age: it grows while the
        #: consumer is stuck on a batch (database away) or works through an old backlog.
        self.oldest_unapplied_ms: int | None = None
        #: The aggregates the handler folds, kept between messages (None: caching off).
        self.cache = app.new_aggregate_cache()

    # -- lifecycle -----------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                if self._consumer is None:
                    self._consumer = make_group_consumer(
                        self.bootstrap,
                        self.group_id,
                        self.topics,
                        self.fetch_max_wait_ms,
                        listener=_DropOnRebalance(self),
                    )
                batches = self._consumer.poll(timeout_ms=self.poll_ms)
                # Read from this thread only; /health shows it (0 while joining the group).
                self.assigned_partitions = len(self._consumer.assignment())
                if batches:
                    self.oldest_unapplied_ms = _oldest_timestamp(batches)
                self._process_poll(batches)
                if batches:
                    self._consumer.commit()
                self.oldest_unapplied_ms = None
                backoff = 0.2
            except Exception as exc:  # broker or database away: reconnect, never die
                log.warning("consumer_retry", group=self.group_id, error=repr(exc), backoff=backoff)
                self.assigned_partitions = 0
                self._close()
                tid.vent(stop, backoff)
                backoff = min(backoff * 2, 5.0)
        self._close()

    def _close(self) -> None:
        if self.cache is not None:
            self.cache.clear()  # whatever happens next starts from the store
        if self._consumer is not None:
            try:
                self._consumer.close(autocommit=False)
            except Exception as exc:  # a broken consumer may fail to close; we drop it anyway
                log.debug("consumer_close_failed", error=repr(exc))
        self._consumer = None

    # -- work ------------------------------------------------------------------------
    def _process_poll(self, batches: dict[TopicPartition, list[Any]]) -> None:
        """Everything one poll returned, as few transactions as the epochs allow."""
        pending: list[tuple[TopicPartition, Any]] = []
        for tp, records in batches.items():
            key = f"{tp.topic}/{tp.partition}"
            for record in records:
                if self._for_another_group(record):
                    continue  # committed with the rest of the poll: handled, by its group
                epoch = dict(record.headers or []).get(EPOCH_HEADER, b"").decode()
                seen = self.epochs_seen.setdefault(key, set())
                if epoch in seen:
                    pending.append((tp, record))
                    continue
                # What came before a new epoch is applied first: if the database is away
                # when the epoch is stored, those records must be read again with it.
                self._process_pending(pending)
                pending = []
                # Stored before it counts as seen: if the database is away now, the record
                # is read again and its new epoch still makes us seek back.
                stored = {k: sorted(v) for k, v in self.epochs_seen.items()}
                stored[key] = sorted({*seen, epoch})
                self._epoch_store.save(stored)
                seen.add(epoch)
                if len(seen) > 1:
                    # The publisher started over (its broker forgot messages). Whatever we
                    # skipped past is in the new epoch's log: read the partition from its
                    # start. Epochs already seen are no reason to seek again: a log read
                    # from its start holds older epochs before the new one.
                    log.warning("consumer_new_epoch", topic=tp.topic, partition=tp.partition)
                    self.drop_partition(key)
                    self._consumer.seek_to_beginning(tp)
                    break
                pending.append((tp, record))
        self._process_pending(pending)

    def drop_partition(self, key: str) -> None:
        """Forget the aggregates kept for a partition ("topic/partition")."""
        if self.cache is not None:
            self.cache.drop_tag(key)

    def _for_another_group(self, record: Any) -> bool:
        """A re-driven dead letter of another consumer group of the same topic."""
        group = dict(record.headers or []).get(REDRIVE_GROUP_HEADER)
        if group is None or group == self.group_id.encode():
            return False
        self.redrives_for_other_groups += 1
        log.info(
            "redrive_for_other_group_passed_over",
            group=self.group_id,
            topic=record.topic,
            offset=record.offset,
            for_group=group.decode(errors="replace"),
        )
        return True

    def _process_pending(self, pending: list[tuple[TopicPartition, Any]]) -> None:
        """One transaction for all of them if it can be done; else one per message, so a
        message that cannot be applied never takes the good ones with it."""
        if not pending:
            return
        if len(pending) > 1:
            started, wall_ms = time.monotonic(), time.time() * 1000
            try:
                outcomes = self.process_batch([record for _, record in pending])
                self._log_batch(pending, outcomes, started, wall_ms)
                return
            except RetryLater as exc:
                self._read_again(pending, exc)
                raise
            except _OneByOne as why:
                log.info("consumer_batch_one_by_one", size=len(pending), reason=str(why))
        for i, (_tp, record) in enumerate(pending):
            try:
                self.process_record(record)
            except RetryLater as exc:
                self._read_again(pending[i:], exc)
                raise

    def _log_batch(
        self,
        pending: list[tuple[TopicPartition, Any]],
        outcomes: list[str],
        started: float,
        wall_ms: float,
    ) -> None:
        # One line per batch (each applied message is a debug line): how big, how long, and
        # how old its oldest message was when the poll returned it (relay and broker lag).
        stamps = [getattr(r, "timestamp", None) for _, r in pending]
        oldest = min((t for t in stamps if isinstance(t, int) and t > 0), default=None)
        log.info(
            "batch_applied",
            group=self.group_id,
            size=len(pending),
            applied=outcomes.count("applied"),
            ms=round((time.monotonic() - started) * 1000, 1),
            oldest_ms=None if oldest is None else round(wall_ms - oldest),
        )

    def _read_again(self, pending: list[tuple[TopicPartition, Any]], exc: Exception) -> None:
        first: dict[TopicPartition, int] = {}
        for tp, record in pending:
            first.setdefault(tp, record.offset)
        for tp, offset in first.items():
            log.warning("consumer_retry_record", topic=tp.topic, offset=offset, error=str(exc))
            self._consumer.seek(tp, offset)

    def process_record(self, record: Any) -> str:
        """Process one Kafka record; returns what happened (for tests and metrics)."""
        try:
            event = from_kafka(record.headers, record.value)
        except InvalidCloudEvent as exc:
            self._dead_letter(record, exc)
            return "dead-lettered"
        try:
            parse_payload(event)
            return self.apply(event, _partition_key(record), _trace_parent(record, event))
        except RetryLater:
            raise
        except OperationalError as exc:
            # The database went away while the case's tracking record or state was read:
            # the message is fine, so it is read again later, never dead-lettered.
            raise RetryLater(repr(exc)) from exc
        except Exception as exc:  # unknown contract, a bug, or an event we cannot act on
            self._dead_letter(record, exc)
            self._park(event, exc)
            return "dead-lettered"

    def apply(
        self, event: PublicEvent, partition: str | None = None, parent: str | None = None
    ) -> str:
        """Apply one event, in a span that continues the trace of the message (`parent`,
        else the event's own traceparent), so what the handler stores carries it on."""
        with self._span(event, partition, parent or event.traceparent):
            return self._apply(event, partition)

    def _span(
        self, event: PublicEvent, partition: str | None, parent: str | None
    ) -> AbstractContextManager[Any]:
        """The span of one message, current inside the block (nothing while tracing is off:
        not even its name is built)."""
        if not tracing.enabled():
            return nullcontext()
        topic = partition.rsplit("/", 1)[0] if partition else self.group_id
        attributes = {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.consumer.group.name": self.group_id,
            "messaging.message.id": str(event.event_id),
            "bum.source": event.source,
            "bum.event_type": event.event_type,
            "bum.case_id": str(event.case_id),
        }
        return tracing.span(f"{topic} process", SpanKind.CONSUMER, parent, attributes)

    def _apply(self, event: PublicEvent, partition: str | None) -> str:
        bound = log.bind(
            case_id=str(event.case_id),
            event_id=str(event.event_id),
            event_type=event.event_type,
            source=event.source,
            sequence=event.sequence,
            case_sequence=event.case_sequence,
        )
        name = tracking_name(event, self.stream)
        for _attempt in range(3):
            last = self.app.last_tracked(name)
            udfald = exactly_once(event.case_sequence, last, name in self.parked)
            if udfald is Udfald.DUBLET:
                self.duplicates += 1
                bound.info("event_duplicate_ignored")
                return "duplicate"
            if udfald is Udfald.VENT:
                raise CaseParked(f"{name} waits for case_sequence {last + 1}")
            if udfald is Udfald.HUL:
                self.gaps_passed_over += 1
                bound.warning("event_gap_passed_over", case_sequence=event.case_sequence, last=last)
                return "gap"
            turn = Turn(self.cache, tracked=True)
            try:
                with batch_view(self.app).open(turn):
                    aggregates = self.handler(event)
                    self.app.save_with_tracking(aggregates, Tracking(name, event.case_sequence))
            except IntegrityError:
                # Either this very message was applied meanwhile (checked at the top of the
                # loop) or an API request changed the same aggregate: run the handler again,
                # on the stored state (the failed turn's aggregates are evicted).
                turn.failed()
                continue
            except OperationalError as exc:
                turn.failed()
                raise RetryLater(repr(exc)) from exc
            except BaseException:
                turn.failed()
                raise
            turn.keep(aggregates, partition)
            turn.succeeded(keep_handed=False)
            self.applied += 1
            bound.info("event_applied")
            if name in self.parked:  # the poisoned event itself went through after a fix
                del self.parked[name]
                self._parked_store.save(self.parked)
            return "applied"
        raise RetryLater(f"{name} {event.sequence}: conflicting writes, will retry")

    def process_batch(self, records: Sequence[Any]) -> list[str]:
        """Apply the records in order, in one transaction, with the rules of `apply`; what
        happened to each. Raises `_OneByOne` when the batch cannot stand in for one
        transaction per message (nothing is stored then), RetryLater when the database
        is away."""
        events: list[PublicEvent] = []
        for record in records:
            try:
                event = from_kafka(record.headers, record.value)
                parse_payload(event)
            except Exception as exc:  # a dead-letter candidate: that is one-by-one's work
                raise _OneByOne(f"unreadable at offset {record.offset}") from exc
            events.append(event)
        names = [tracking_name(event, self.stream) for event in events]
        if any(name in self.parked for name in names):
            raise _OneByOne("a parked case")
        turn = Turn(self.cache, tracked=True)
        traced: dict[UUID, Any] = {}  # each applied message's span, for its log line
        try:
            # One connection; later messages see earlier ones (and earlier batches' state).
            with batch_view(self.app).open(turn):
                outcomes = self._apply_batch(events, names, turn, records, traced)
        except OperationalError as exc:
            turn.failed()
            raise RetryLater(repr(exc)) from exc
        except BaseException:
            turn.failed()  # nothing of a batch that stored nothing stays in memory
            raise
        turn.succeeded(keep_handed=False)
        self._count(events, outcomes, traced)
        return [outcome for outcome, _ in outcomes]

    def _apply_batch(
        self,
        events: list[PublicEvent],
        names: list[str],
        turn: Turn,
        records: Sequence[Any],
        traced: dict[UUID, Any],
    ) -> list[tuple[str, int]]:
        """Per event what happened to it and the case's tracked position before it."""
        view = batch_view(self.app)
        at = self.app.last_tracked_many(names)
        first: dict[str, int] = {}  # each case's first position applied in this batch
        outcomes: list[tuple[str, int]] = []
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        # What the batch will apply (not what it will drop as already applied), read ahead.
        read_ahead(
            self.handler, [e for e, n in zip(events, names, strict=True) if e.case_sequence > at[n]]
        )
        for event, name, record in zip(events, names, records, strict=True):
            # A parked case never reaches a batch (process_batch sends it one by one).
            udfald = exactly_once(event.case_sequence, at[name])
            if udfald is not Udfald.ANVEND:
                outcomes.append((udfald.value, at[name]))
                continue
            with self._span(event, _partition_key(record), _trace_parent(record, event)) as span:
                traced[event.event_id] = span
                try:
                    changed = self.handler(event)
                except OperationalError:
                    raise
                except Exception as exc:  # one-by-one dead-letters it and parks its case
                    raise _OneByOne(f"handler failed on {name}") from exc
                # Collected now, so the events are stored in the order the messages caused
                # them, and an aggregate changed twice is saved once with both changes.
                collected = len(processing_event.events)
                processing_event.collect_events(*changed)
                # Stored together after the loop: each message's events carry its trace.
                tracing.stamp(processing_event.events[collected:])
            view.remember(changed)
            turn.keep(changed, _partition_key(record))  # kept if the batch is stored
            if view.changed_but_not_returned():
                raise _OneByOne(f"handler changed an aggregate it did not return ({name})")
            outcomes.append(("applied", at[name]))
            first.setdefault(name, event.case_sequence)
            at[name] = event.case_sequence
        if first:
            # Per case its first position (stored only if the case is still just before
            # it: a redelivery fails the whole batch) and then its last.
            trackings = [Tracking(n, p) for n, f in first.items() for p in sorted({f, at[n]})]
            try:
                self.app.save_batch_with_tracking(processing_event, trackings)
            except IntegrityError as exc:  # a race with an API request or another consumer
                raise _OneByOne("conflicting write") from exc
        return outcomes

    def _count(
        self,
        events: list[PublicEvent],
        outcomes: list[tuple[str, int]],
        traced: dict[UUID, Any],
    ) -> None:
        for event, (outcome, last) in zip(events, outcomes, strict=True):
            bound = log.bind(
                case_id=str(event.case_id),
                event_id=str(event.event_id),
                event_type=event.event_type,
                source=event.source,
                sequence=event.sequence,
                case_sequence=event.case_sequence,
                # Its span ended with its handler; the line still belongs to its trace.
                **tracing.log_ids(traced.get(event.event_id)),
            )
            if outcome == "applied":
                self.applied += 1
                bound.debug("event_applied", batched=True)
            elif outcome == "duplicate":
                self.duplicates += 1
                bound.info("event_duplicate_ignored")
            else:
                self.gaps_passed_over += 1
                bound.warning("event_gap_passed_over", case_sequence=event.case_sequence, last=last)

    def _park(self, event: PublicEvent, error: Exception) -> None:
        name = tracking_name(event, self.stream)
        if name in self.parked:
            return
        self.parked[name] = {"case_sequence": event.case_sequence, "error": repr(error)[:500]}
        self._parked_store.save(self.parked)
        log.error("case_parked", tracking_name=name, case_sequence=event.case_sequence)

    def _dead_letter(self, record: Any, error: Exception) -> None:
        if self._dlt_producer is None:
            self._dlt_producer = make_producer(self.bootstrap)
        found = dict(record.headers or [])
        redriven = REDRIVEN_FROM_HEADER in found
        try:
            attempts = int(found.get(REDRIVE_ATTEMPTS_HEADER, b"0")) + 1
        except ValueError:
            attempts = 1
        headers = [
            *list(record.headers or []),
            ("bum-dlt-original-topic", record.topic.encode()),
            ("bum-dlt-original-partition", str(record.partition).encode()),
            ("bum-dlt-original-offset", str(record.offset).encode()),
            ("bum-dlt-consumer-group", self.group_id.encode()),
            ("bum-dlt-error", repr(error)[:2000].encode()),
            (DLT_ATTEMPTS_HEADER, str(attempts).encode()),
        ]
        future = self._dlt_producer.send(
            dead_letter_topic(record.topic), key=record.key, value=record.value, headers=headers
        )
        future.get(timeout=10)  # the offset is committed only once the DLT has it
        if redriven:  # the same dead letter as before, still dead: not a new one
            self.dead_letters_failed_again += 1
        else:
            self.dead_lettered += 1
        log.error(
            "event_dead_lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            attempts=attempts,
            redriven=redriven,
            error=repr(error)[:500],
        )
