"""What the scrape-time collector makes of a service's relays and consumers (no store, no
broker): lag, parked cases, dead letters and the oldest unapplied message's age, and never
a tracking name, which ends in a case id."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from prometheus_client import CollectorRegistry, generate_latest

from shared.infra.metrics import Timings, WiringCollector
from shared.infra.sagsfejl import Sagsfejltaeller, isoleret
from tests.metrik import ids_in_labels, samples, value


def _scrape(wiring: Any, readiness: Any) -> str:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(WiringCollector(wiring, readiness))
    return generate_latest(registry).decode()


def test_figures_from_relays_and_consumers() -> None:
    case = uuid4()
    app = SimpleNamespace(
        timings=Timings(),
        group_commit_status=lambda: {"transactions": 3, "commands": 7, "pending": 1},
        process_recorder=SimpleNamespace(max_notification_id=lambda: 120),
    )
    relay = SimpleNamespace(
        app=app,
        source="visitation",
        leder=True,
        states={"bum.visitation.events.v1": SimpleNamespace(position=100)},
        published_by_type={("bum.visitation.events.v1", "FristOverskredet"): 2},
    )
    consumer = SimpleNamespace(
        app=app,
        group_id="visitation",
        applied=5,
        duplicates=1,
        gaps_passed_over=0,
        redrives_for_other_groups=0,
        dead_lettered=2,
        dead_letters_failed_again=1,
        parked={f"provider/{case}": {"error": f"KeyError('{case}')"}},
        oldest_unapplied_ms=time.time() * 1000 - 90_000,
    )
    readiness = SimpleNamespace(
        check=lambda: SimpleNamespace(klar=False),
        partition_lags={
            "visitation": {("bum.provider.events.v1", 0): 4, ("bum.provider.events.v1", 3): 0}
        },
    )
    wiring = SimpleNamespace(relays=[relay], consumers=[consumer])
    app.timings.store_call("commit", 0.003)
    app.timings.batch(4)

    text = _scrape(wiring, readiness)
    found = samples(text)
    assert value(found, "bum_relay_lag_events", topic="bum.visitation.events.v1") == 20
    assert value(found, "bum_relay_published_events_total", event_type="FristOverskredet") == 2
    assert value(found, "bum_relay_leader", source="visitation") == 1
    assert value(found, "bum_consumer_parked_cases", group="visitation") == 1
    assert value(found, "bum_consumer_dead_letters_total", group="visitation") == 2
    assert value(found, "bum_consumer_dead_letters_failed_again_total") == 1
    assert value(found, "bum_consumer_messages_total", outcome="applied") == 5
    age = value(found, "bum_consumer_oldest_unapplied_age_seconds", group="visitation")
    assert 89 <= age < 120
    assert value(found, "bum_consumer_lag_messages", partition="0") == 4
    assert value(found, "bum_ready") == 0
    assert value(found, "bum_group_commit_pending") == 1
    assert value(found, "bum_group_commit_batch_size_sum") == 4
    assert value(found, "bum_store_call_duration_seconds_count", operation="commit") == 1
    # The parked case's tracking name and error name the case: neither reaches a label.
    assert str(case) not in text and ids_in_labels(found) == []


def test_cases_left_out_are_counted_by_where_never_by_case() -> None:
    case, taeller = uuid4(), Sagsfejltaeller()
    isoleret(case, "arbejdsliste", lambda _sag: 1 / 0, taeller)
    readiness = SimpleNamespace(check=lambda: SimpleNamespace(klar=True), partition_lags={})
    registry = CollectorRegistry(auto_describe=False)
    registry.register(WiringCollector(SimpleNamespace(relays=[], consumers=[]), readiness, taeller))
    text = generate_latest(registry).decode()
    assert value(samples(text), "bum_sagsfejl_total", hvor="arbejdsliste") == 1
    assert str(case) not in text


def test_a_store_that_does_not_answer_leaves_out_the_relay_lag_only() -> None:
    def away() -> int:
        raise OSError("connection refused")

    app = SimpleNamespace(
        timings=Timings(enabled=False),
        group_commit_status=dict,
        process_recorder=SimpleNamespace(max_notification_id=away),
    )
    relay = SimpleNamespace(
        app=app,
        source="s",
        leder=True,
        states={"t": SimpleNamespace(position=1)},
        published_by_type={("t", "X"): 1},
    )
    readiness = SimpleNamespace(check=lambda: SimpleNamespace(klar=False), partition_lags={})
    found = samples(_scrape(SimpleNamespace(relays=[relay], consumers=[]), readiness))
    assert not [s for s in found if s[0] == "bum_relay_lag_events"]
    assert value(found, "bum_relay_published_events_total", topic="t") == 1
    assert value(found, "bum_ready") == 0


def test_a_standby_relay_reports_no_lag_of_its_own() -> None:
    """Several processes over one store: the standby's positions are where it last led, so
    only the leader's lag is the store's (relay_lease.py)."""
    app = SimpleNamespace(
        timings=Timings(enabled=False),
        group_commit_status=dict,
        process_recorder=SimpleNamespace(max_notification_id=lambda: 120),
    )
    standby = SimpleNamespace(
        app=app,
        source="provider",
        leder=False,
        states={"bum.provider.events.v1": SimpleNamespace(position=3)},
        published_by_type={},
    )
    readiness = SimpleNamespace(check=lambda: SimpleNamespace(klar=True), partition_lags={})
    found = samples(_scrape(SimpleNamespace(relays=[standby], consumers=[]), readiness))
    assert value(found, "bum_relay_leader", source="provider") == 0
    assert not [s for s in found if s[0] == "bum_relay_lag_events"]
