"""The consumer's per-case ordering rule, on both stores, without a broker in the way:
event n of a case is applied only right after n-1."""

from __future__ import annotations

from datetime import date

import pytest

from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from tests.conftest import SettingsFactory
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


def test_gap_is_passed_over_and_filled_in_order(store_settings: SettingsFactory) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    decided_case(visitation, date(2026, 11, 2))
    notifications = visitation.process_recorder.select_notifications(start=1, limit=100)
    first, second, third = public_events(visitation, "visitation", to_public, notifications, {})
    assert [e.case_sequence for e in (first, second, third)] == [1, 2, 3]

    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    consumer = EventConsumer(
        supervision,
        group_id="ordering",
        topics=[],
        handler=RecordEverything(supervision),
        bootstrap="unused:9",
    )
    # The second message was lost by the broker: the third waits for it.
    assert [consumer.apply(e) for e in (first, third)] == ["applied", "gap"]
    # The publisher starts over and sends the case again, in order.
    assert [consumer.apply(e) for e in (first, second, third)] == [
        "duplicate",
        "applied",
        "applied",
    ]
    sag = supervision.historik(first.case_id)
    assert [h["event_id"] for h in sag] == [str(e.event_id) for e in (first, second, third)]
