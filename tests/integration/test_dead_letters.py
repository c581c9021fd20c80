"""A poisoned event parks its case; after the fix a re-drive applies it and the parked
events in their original order. Real broker, real stores."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from infra.local.broker import TansuBroker
from shared.contracts import PublicEvent
from shared.infra.redrive import redrive
from tests.conftest import SettingsFactory
from tests.integration.test_relay_consumer import (
    Pipeline,
    assert_exactly_once_in_order,
    wait_for,
)
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
        assert p.received()[1] == 1
        assert p.consumer.parked[f"visitation/{sag_id}"]["case_sequence"] == 2
        assert p.consumer.applied == 1

        handler.broken = False  # the fix is deployed
        assert redrive(p.topic, broker.bootstrap) == 2
        assert_exactly_once_in_order(p)
        assert p.consumer.parked == {}
        assert redrive(p.topic, broker.bootstrap, idle_seconds=1) == 0  # nothing sent twice
