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
from kafka import KafkaConsumer

from infra.local.broker import TansuBroker
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import dead_letter_topic
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.kafka_clients import make_producer
from shared.infra.public_events import envelope
from shared.infra.relay import EPOCH_HEADER, OutboxRelay
from tests.conftest import SettingsFactory
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
        for n in self.visitation.process_recorder.select_notifications(start=1, limit=100_000):
            event = self.visitation.mapper.to_domain_event(n)
            draft = to_public(event)
            if draft is not None:
                e = envelope("visitation", n.id, event, draft)
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
        assert p.consumer.applied == 30


@pytest.mark.chaos
def test_broker_restarted_empty_loses_nothing(
    store_settings: SettingsFactory, own_broker: TansuBroker
) -> None:
    p = Pipeline(store_settings, own_broker.bootstrap)
    with p.running():
        for i in range(15):
            decided_case(p.visitation, DAY, cpr=f"02014{i:05d}")
        wait_for(lambda: p.received()[1] >= 20, 60, "the first events downstream")
        own_broker.restart()  # memory-only: topics, messages and committed offsets are gone
        for i in range(15, 30):
            decided_case(p.visitation, DAY, cpr=f"02014{i:05d}")
        assert_exactly_once_in_order(p, timeout=120)
    assert p.consumer.duplicates > 0  # the relay started over; the consumer saw it again


def test_duplicates_garbage_and_unknown_versions(broker: TansuBroker, tmp_path: Any) -> None:
    settings = {"store": "sqlite", "data_dir": tmp_path}
    from shared.infra.settings import ServiceSettings

    p = Pipeline(lambda _name: ServiceSettings(**settings), broker.bootstrap)  # type: ignore[arg-type]
    sag_id = decided_case(p.visitation, DAY)
    events = []
    for n in p.visitation.process_recorder.select_notifications(start=1, limit=100):
        e = p.visitation.mapper.to_domain_event(n)
        d = to_public(e)
        if d is not None:
            events.append(envelope("visitation", n.id, e, d))
    producer = make_producer(broker.bootstrap)
    key = str(sag_id).encode()
    headers = [(EPOCH_HEADER, b"test")]
    for e in [*events, events[1]]:  # the assessment twice
        producer.send(p.topic, key=key, value=e.model_dump_json().encode(), headers=headers)
    producer.send(p.topic, key=key, value=b"\x00not json", headers=headers)
    wrong = events[0].model_copy(update={"schema_version": 99, "sequence": 10_000})
    producer.send(p.topic, key=key, value=wrong.model_dump_json().encode(), headers=headers)
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

    dlt = KafkaConsumer(
        dead_letter_topic(p.topic),
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
    )
    letters = list(dlt)
    dlt.close()
    assert len(letters) == 2
    for letter in letters:
        h = dict(letter.headers)
        assert h["bum-dlt-original-topic"] == p.topic.encode()
        assert int(h["bum-dlt-original-offset"]) >= 4
        assert h["bum-dlt-error"]
