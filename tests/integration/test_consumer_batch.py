"""A poll batch applied in one transaction keeps every rule of one message per transaction:
per-case order, redeliveries and gaps, an aggregate changed by several messages, and a
redelivery racing the batch. Both stores."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking

from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer, tracking_name
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from tests.conftest import SettingsFactory
from tests.leverandoerer import uden_register
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


def record(event: PublicEvent, offset: int) -> Any:
    key, value, headers = to_kafka(event)
    return SimpleNamespace(
        topic="t", partition=0, offset=offset, key=key, value=value, headers=headers
    )


def two_cases(store_settings: SettingsFactory) -> list[PublicEvent]:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    decided_case(visitation, date(2026, 11, 2), cpr="0301400001")
    decided_case(visitation, date(2026, 11, 2), cpr="0301400002")
    notifications = visitation.process_recorder.select_notifications(start=1, limit=1000)
    return uden_register(public_events(visitation, "visitation", to_public, notifications, {}))


def supervision_consumer(store_settings: SettingsFactory) -> EventConsumer:
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    return EventConsumer(
        app, group_id="batch", topics=[], handler=RecordEverything(app), bootstrap="unused:9"
    )


def test_batch_applies_in_case_order_with_duplicates_and_gaps(
    store_settings: SettingsFactory,
) -> None:
    events = two_cases(store_settings)
    a = [e for e in events if e.case_id == events[0].case_id]
    b = [e for e in events if e.case_id != events[0].case_id]
    assert len(a) == len(b) == 3
    consumer = supervision_consumer(store_settings)
    app = consumer.app
    assert isinstance(app, SupervisionApplication)
    before = app.process_recorder.max_notification_id() or 0

    # Case b's second message is missing: its third waits. Case a arrives in full, its
    # first message twice; both cases' histories (one aggregate each) change several times.
    batch = [a[0], b[0], a[0], a[1], b[2], a[2]]
    outcomes = consumer.process_batch([record(e, i) for i, e in enumerate(batch)])
    assert outcomes == ["applied", "applied", "duplicate", "applied", "gap", "applied"]
    assert (consumer.applied, consumer.duplicates, consumer.gaps_passed_over) == (4, 1, 1)
    assert [h["event_id"] for h in app.historik(a[0].case_id)] == [str(e.event_id) for e in a]
    assert [h["event_id"] for h in app.historik(b[0].case_id)] == [str(b[0].event_id)]
    assert app.last_tracked(tracking_name(a[0])) == 3
    assert app.last_tracked(tracking_name(b[0])) == 1
    # One transaction: the events are stored in the order the messages caused them.
    stored = app.process_recorder.select_notifications(start=before + 1, limit=100)
    a_id, b_id = a[0].case_id, b[0].case_id
    assert [n.originator_id for n in stored] == [a_id, a_id, b_id, b_id, a_id, a_id]

    # The publisher starts over: the whole batch again changes nothing; b fills in.
    again = consumer.process_batch([record(e, i) for i, e in enumerate([*a, *b])])
    assert again == ["duplicate"] * 4 + ["applied", "applied"]
    assert [h["event_id"] for h in app.historik(b[0].case_id)] == [str(e.event_id) for e in b]


def test_a_redelivery_that_won_the_race_rolls_the_whole_batch_back(
    store_settings: SettingsFactory,
) -> None:
    """A second consumer (a rebalance) stored position 2 of a case while this batch held
    1..3 of it: the batch's guard record for position 1 fails and nothing is stored."""
    consumer = supervision_consumer(store_settings)
    app = consumer.app
    name = "visitation/batch-race"
    app.save_batch_with_tracking(ProcessingEvent(), [Tracking("other", 1), Tracking(name, 2)])
    before = app.process_recorder.max_notification_id()
    with pytest.raises(IntegrityError):
        app.save_batch_with_tracking(
            ProcessingEvent(), [Tracking("other", 2), Tracking(name, 1), Tracking(name, 3)]
        )
    assert app.last_tracked_many([name, "other", "never"]) == {name: 2, "other": 1, "never": 0}
    assert app.process_recorder.max_notification_id() == before


def test_a_failing_message_sends_the_batch_one_by_one(store_settings: SettingsFactory) -> None:
    """process_batch stores nothing when a handler fails; the consumer then applies the
    batch one message per transaction (where the poisoned one is dead-lettered)."""
    events = two_cases(store_settings)
    consumer = supervision_consumer(store_settings)
    good = consumer.handler

    def poisoned(event: PublicEvent) -> Any:
        if event.case_sequence == 2:
            raise RuntimeError("bug")
        return good(event)

    consumer.handler = poisoned
    with pytest.raises(Exception, match="handler failed"):
        consumer.process_batch([record(e, i) for i, e in enumerate(events)])
    assert consumer.applied == 0
    assert consumer.app.last_tracked_many([tracking_name(e) for e in events]) == {
        tracking_name(e): 0 for e in events
    }
    # The view of the failed batch is gone: a fresh batch reads the stored (empty) state.
    consumer.handler = good
    outcomes = consumer.process_batch([record(e, i) for i, e in enumerate(events)])
    assert outcomes == ["applied"] * len(events)
