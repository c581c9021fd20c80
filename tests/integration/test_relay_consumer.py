"""The shared relay and consumer against a real Tansu broker: order, exactly-once in effect,
a broker that comes back empty, duplicates and garbage."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest

from infra.local.broker import TansuBroker
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import dead_letter_topic
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.kafka_clients import make_producer
from shared.infra.public_events import public_events
from shared.infra.relay import EPOCH_HEADER, OutboxRelay
from tests.conftest import SettingsFactory
from tests.kafka_read import read_to_end
from tests.leverandoerer import IMPORTERET_VED_START, uden_register
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)


class Pipeline:
    """visitation store -> relay -> broker -> consumer -> supervision store."""

    def __init__(self, settings: SettingsFactory, bootstrap: str) -> None:
        self.topic = f"test.{uuid.uuid4().hex[:8]}.visitation"
        self.visitation = VisitationApplication(env=store_env(settings("visitation"), "visitation"))
        self.supervision = SupervisionApplication(
            env=store_env(settings("supervision"), "supervision")
        )
        self.relay = OutboxRelay(
            self.visitation,
            source="visitation",
            topic=self.topic,
            mapping=to_public,
            bootstrap=bootstrap,
            poll_seconds=0.02,
        )
        self.consumer = EventConsumer(
            self.supervision,
            group_id=f"g-{uuid.uuid4().hex[:8]}",
            topics=[self.topic],
            handler=RecordEverything(self.supervision),
            bootstrap=bootstrap,
            poll_ms=100,
        )

    @contextmanager
    def running(self) -> Iterator[None]:
        stop = threading.Event()
        threads = [
            threading.Thread(target=w.run, args=(stop,), daemon=True)
            for w in (self.relay, self.consumer)
        ]
        for t in threads:
            t.start()
        try:
            yield
        finally:
            stop.set()
            for t in threads:
                t.join(15)

    def diagnostics(self) -> dict[str, Any]:
        return {
            "received": self.received()[1],
            "relay_position": self.relay.state.position,
            "relay_published": self.relay.published_total,
            "applied": self.consumer.applied,
            "duplicates": self.consumer.duplicates,
            "rows_after_position": len(
                self.visitation.process_recorder.select_notifications(
                    start=self.relay.state.position + 1, limit=10
                )
            ),
        }

    def published(self) -> dict[str, list[str]]:
        """Per case, the event ids the relay publishes, in log order."""
        per_case: dict[str, list[str]] = {}
        for e in public_events(
            self.visitation,
            "visitation",
            to_public,
            self.visitation.process_recorder.select_notifications(start=1, limit=100_000),
            {},
        ):
            per_case.setdefault(str(e.case_id), []).append(str(e.event_id))
        return per_case

    def received(self) -> tuple[dict[str, list[str]], int]:
        """Per case, the event ids supervision recorded in arrival order, and the total number
        of HaendelseRegistreret events stored (which would show any double effect)."""
        per_case: dict[str, list[str]] = {}
        total = 0
        for n in self.supervision.process_recorder.select_notifications(start=1, limit=100_000):
            event = self.supervision.mapper.to_domain_event(n)
            if isinstance(event, Sagsforloeb.HaendelseRegistreret):
                total += 1
                h = event.haendelse
                per_case.setdefault(h["case_id"], []).append(h["event_id"])
        return per_case, total


def wait_for(condition: Callable[[], bool], timeout: float, what: str | Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            # The description is built now, so diagnostics show the state at the timeout.
            text = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout}s waiting for {text}")
        time.sleep(0.2)


def assert_exactly_once_in_order(p: Pipeline, timeout: float = 60) -> None:
    expected = p.published()
    n_expected = sum(map(len, expected.values()))
    wait_for(
        lambda: p.received()[1] >= n_expected,
        timeout,
        lambda: f"{n_expected} events downstream; state: {p.diagnostics()}",
    )
    time.sleep(1.0)  # anything doubled would show up now
    received, total = p.received()
    assert total == n_expected, "an event had more than one effect"
    assert received == expected, "a case's events are missing or out of order"


def test_every_event_arrives_once_in_case_order(
    store_settings: SettingsFactory, broker: TansuBroker
) -> None:
    p = Pipeline(store_settings, broker.bootstrap)
    for i in range(10):
        decided_case(p.visitation, DAY, cpr=f"01014{i:05d}")
    with p.running():
        assert_exactly_once_in_order(p)
        assert p.consumer.applied == 30 + IMPORTERET_VED_START  # and the provider register


def test_broker_killed_mid_stream_and_restarted_empty_loses_nothing(
    store_settings: SettingsFactory, own_broker: TansuBroker
) -> None:
    p = Pipeline(store_settings, own_broker.bootstrap)
    written = threading.Event()

    def write_cases() -> None:  # commands keep coming while the broker dies and comes back
        for i in range(30):
            decided_case(p.visitation, DAY, cpr=f"02014{i:05d}")
            time.sleep(0.05)
        written.set()

    with p.running():
        writer = threading.Thread(target=write_cases, daemon=True)
        writer.start()
        wait_for(lambda: p.received()[1] >= 20, 60, "the first events downstream")
        first_epoch = p.relay.state.epoch
        own_broker.restart()  # SIGKILL; memory-only: topics, messages and offsets are gone
        writer.join(60)
        assert written.is_set()
        wait_for(lambda: p.relay.state.epoch != first_epoch, 60, "the relay to start over")
        # Wait until the consumer has read the republished log too, so the check below
        # also covers the second copy of every event.
        wait_for(
            lambda: (
                any(p.relay.state.epoch in seen for seen in p.consumer.epochs_seen.values())
                and p.consumer.duplicates > 0
            ),
            120,
            lambda: f"the consumer to read the new epoch; state: {p.diagnostics()}",
        )
        assert_exactly_once_in_order(p, timeout=120)


def test_duplicates_garbage_and_unknown_versions(broker: TansuBroker, tmp_path: Any) -> None:
    settings = {"store": "sqlite", "data_dir": tmp_path}
    from shared.infra.settings import ServiceSettings

    p = Pipeline(lambda _name: ServiceSettings(**settings), broker.bootstrap)  # type: ignore[arg-type]
    sag_id = decided_case(p.visitation, DAY)
    notifications = p.visitation.process_recorder.select_notifications(start=1, limit=100)
    events = uden_register(public_events(p.visitation, "visitation", to_public, notifications, {}))
    producer = make_producer(broker.bootstrap)
    key = str(sag_id).encode()
    epoch = (EPOCH_HEADER, b"test")

    def send(event: Any) -> None:
        _key, value, headers = to_kafka(event)
        producer.send(p.topic, key=key, value=value, headers=[*headers, epoch])

    for e in [*events, events[1]]:  # the assessment twice
        send(e)
    producer.send(p.topic, key=key, value=b"\x00not json", headers=[epoch])
    send(events[0].model_copy(update={"schema_version": 99, "case_sequence": 4}))
    producer.flush()
    producer.close()

    stop = threading.Event()
    t = threading.Thread(target=p.consumer.run, args=(stop,), daemon=True)
    t.start()
    try:
        wait_for(lambda: p.consumer.dead_lettered == 2, 60, "two dead letters")
    finally:
        stop.set()
        t.join(15)
    assert p.consumer.applied == 3 and p.consumer.duplicates == 1
    received, total = p.received()
    assert total == 3 and received[str(sag_id)] == [str(e.event_id) for e in events]
    # The unknown version was the case's 4th event: the case waits behind it.
    assert p.consumer.parked[f"visitation/{sag_id}"]["case_sequence"] == 4

    # The consumer counts a dead letter once the broker has it, and it has stopped: the
    # topic holds every letter there will be (read to its end, not until 5 s of silence).
    letters = read_to_end(broker.bootstrap, dead_letter_topic(p.topic))
    assert len(letters) == 2
    for letter in letters:
        h = dict(letter.headers)
        assert h["bum-dlt-original-topic"] == p.topic.encode()
        assert int(h["bum-dlt-original-offset"]) >= 4
        assert h["bum-dlt-error"]
