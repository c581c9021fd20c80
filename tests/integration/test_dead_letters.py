"""A poisoned event parks its case; after the fix a re-drive applies it and the parked
events in their original order. A message that stays bad is re-driven to the group that
dead-lettered it only, and stays dead once per run. Real broker, real stores."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate
from kafka import TopicPartition

from infra.local.broker import TansuBroker
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent, dead_letter_topic
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.kafka_clients import make_metadata_consumer, make_producer
from shared.infra.public_events import public_events
from shared.infra.redrive import redrive
from shared.infra.relay import EPOCH_HEADER
from shared.infra.settings import ServiceSettings
from tests.conftest import SettingsFactory
from tests.integration.test_relay_consumer import (
    Pipeline,
    assert_exactly_once_in_order,
    wait_for,
)
from tests.leverandoerer import IMPORTERET_VED_START
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


class BuggyUntilFixed:
    """Wraps a handler; fails on assessments while `broken` is set (the bug before the fix)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.broken = True

    def __call__(self, event: PublicEvent) -> list[Aggregate]:
        if self.broken and event.event_type == "FunktionsvurderingRegistreret":
            raise RuntimeError("bug: cannot read this assessment")
        return list(self.inner(event))


def test_poisoned_event_parks_its_case_until_redriven(
    store_settings: SettingsFactory, broker: TansuBroker
) -> None:
    p = Pipeline(store_settings, broker.bootstrap)
    handler = BuggyUntilFixed(p.consumer.handler)
    p.consumer.handler = handler
    sag_id = decided_case(p.visitation, date(2026, 11, 2))
    with p.running():
        # Application applied; assessment dead-lettered; the decision follows it (parked).
        wait_for(lambda: p.consumer.dead_lettered == 2, 60, "two dead letters")
        # (and the provider register visitation imported at start: other cases)
        assert p.received()[1] == 1 + IMPORTERET_VED_START
        assert p.consumer.parked[f"visitation/{sag_id}"]["case_sequence"] == 2
        assert p.consumer.applied == 1 + IMPORTERET_VED_START

        handler.broken = False  # the fix is deployed
        assert redrive(p.topic, broker.bootstrap).sent == 2
        assert_exactly_once_in_order(p)
        assert p.consumer.parked == {}
        cli = subprocess.run(  # the command an operator runs; nothing is sent twice
            [
                sys.executable,
                "-m",
                "shared.infra.redrive",
                p.topic,
                "--bootstrap",
                broker.bootstrap,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        summary = cli.stdout.splitlines()[-1]  # after the JSON log lines
        assert summary.startswith(f"re-drove 0 dead letters to {p.topic}"), cli.stdout
        marks = summary.split("stopped at end offsets ")[1].split(" of ")[0].split(", ")
        assert sum(int(m.split(":")[1]) for m in marks) == 2  # the two letters, already sent
        assert (p.consumer.dead_lettered, p.consumer.dead_letters_failed_again) == (2, 0)


def dead_letters(bootstrap: str, topic: str) -> list[dict[str, bytes]]:
    """The headers of every record on the topic's dead-letter topic, read to its end."""
    consumer = make_metadata_consumer(bootstrap)
    try:
        dlt = dead_letter_topic(topic)
        tps = [TopicPartition(dlt, p) for p in sorted(consumer.partitions_for_topic(dlt) or [])]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        letters: list[dict[str, bytes]] = []
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for records in consumer.poll(timeout_ms=500).values():
                letters += [dict(r.headers) for r in records]
        return letters
    finally:
        consumer.close()


def test_a_message_that_stays_bad_stays_dead_once_per_group(
    broker: TansuBroker, tmp_path: Path
) -> None:
    """Two groups read a topic with a malformed message; each dead-letters it once. Two
    re-drives later each group has still one dead letter: each run sent each group its own
    letter back (the other group passed it over), and it went to the DLT once more, with
    its attempts counted, instead of multiplying per group and run."""
    topic = f"test.{uuid.uuid4().hex[:8]}.visitation"
    visitation = VisitationApplication(
        env=store_env(ServiceSettings(store="sqlite", data_dir=tmp_path / "v"), "visitation")
    )
    decided_case(visitation, date(2026, 11, 2))
    events = public_events(
        visitation,
        "visitation",
        to_public,
        visitation.process_recorder.select_notifications(start=1, limit=100),
        {},
    )
    producer = make_producer(broker.bootstrap)
    epoch = (EPOCH_HEADER, b"test")
    for e in events:
        _key, value, headers = to_kafka(e)
        producer.send(topic, key=str(e.case_id).encode(), value=value, headers=[*headers, epoch])
    producer.send(topic, key=b"poison", value=b"\x00not json", headers=[epoch])
    producer.flush()
    producer.close()

    consumers = []
    for name in ("a", "b"):
        settings = ServiceSettings(store="sqlite", data_dir=tmp_path / name)
        app = SupervisionApplication(env=store_env(settings, "supervision"))
        consumers.append(
            EventConsumer(
                app,
                group_id=f"g-{name}-{uuid.uuid4().hex[:8]}",
                topics=[topic],
                handler=RecordEverything(app),
                bootstrap=broker.bootstrap,
                poll_ms=100,
            )
        )
    stop = threading.Event()
    threads = [threading.Thread(target=c.run, args=(stop,), daemon=True) for c in consumers]
    for t in threads:
        t.start()
    try:
        wait_for(
            lambda: all(c.dead_lettered == 1 and c.applied == len(events) for c in consumers),
            60,
            "each group: the good events applied, the bad one dead-lettered",
        )
        first = dead_letters(broker.bootstrap, topic)
        assert sorted(h["bum-dlt-consumer-group"].decode() for h in first) == sorted(
            c.group_id for c in consumers
        )
        assert {h["bum-dlt-attempts"] for h in first} == {b"1"}

        for run in (1, 2):
            report = redrive(topic, broker.bootstrap)
            assert report.complete
            assert report.sent == 2, "each group's own letter, once"
            assert sum(report.end_offsets.values()) == 2 * run
            wait_for(
                lambda run=run: all(c.dead_letters_failed_again == run for c in consumers),
                60,
                lambda: f"the letters to fail again: {[vars(c) for c in consumers]}",
            )
            letters = dead_letters(broker.bootstrap, topic)
            assert len(letters) == 2 * (run + 1), "one more record per group and run"
            newest = [h for h in letters if h["bum-dlt-attempts"] == str(run + 1).encode()]
            assert sorted(h["bum-dlt-consumer-group"].decode() for h in newest) == sorted(
                c.group_id for c in consumers
            )
            for h in newest:  # each failed again in the group it was sent to, nowhere else
                assert h["bum-redrive-group"] == h["bum-dlt-consumer-group"]

        stop_after = dead_letters(broker.bootstrap, topic)
        threading.Event().wait(2.0)  # nothing feeds itself meanwhile
        assert len(dead_letters(broker.bootstrap, topic)) == len(stop_after) == 6
        for c in consumers:
            assert c.dead_lettered == 1, "the dead-letter count is unchanged by the re-drives"
            assert c.redrives_for_other_groups == 2  # the other group's letter, per run
            assert c.applied == len(events) and c.duplicates == 0
    finally:
        stop.set()
        for t in threads:
            t.join(15)
