"""A PostgreSQL store that goes away and comes back, without any service process around:
calls fail within the configured wait instead of hanging, a consumer keeps the message for
later instead of dead-lettering it, and everything works again once the server is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

import pytest
from eventsourcing.persistence import OperationalError

from infra.local.pg_cluster import PrivateCluster
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.cloudevents import to_kafka
from shared.infra.consumer import EventConsumer, RetryLater
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.infra.settings import ServiceSettings
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


@pytest.fixture
def pg() -> Iterator[PrivateCluster]:
    """A cluster of this test's own: it is stopped and started."""
    with PrivateCluster() as cluster:
        yield cluster


def app_on(pg: PrivateCluster, name: str, cls: type) -> object:
    pg.create_database(f"bum_{name}")
    settings = ServiceSettings(store="postgres", database_url=pg.url(f"bum_{name}"))
    return cls(env=store_env(settings, name))


def test_calls_fail_fast_while_down_and_work_again_after(pg: PrivateCluster) -> None:
    visitation = app_on(pg, "visitation", VisitationApplication)
    supervision = app_on(pg, "supervision", SupervisionApplication)
    assert isinstance(visitation, VisitationApplication)
    assert isinstance(supervision, SupervisionApplication)
    decided_case(visitation, date(2026, 11, 2))
    notifications = visitation.process_recorder.select_notifications(start=1, limit=100)
    first, second = public_events(visitation, "visitation", to_public, notifications, {})[:2]
    record, record2 = (
        SimpleNamespace(topic="t", partition=0, offset=i, key=k, value=v, headers=h)
        for i, (k, v, h) in enumerate(to_kafka(e) for e in (first, second))
    )
    consumer = EventConsumer(
        supervision,
        group_id="outage",
        topics=[],
        handler=RecordEverything(supervision),
        bootstrap="unused:9",
    )

    pg.stop_server()
    started = time.monotonic()
    with pytest.raises(OperationalError):
        supervision.last_tracked("visitation/x")
    # The library alone retried each call 10 times, waiting for the pool each time (~32 s).
    assert time.monotonic() - started < 5
    # The database being away is no fault of the message: read it again later.
    with pytest.raises(RetryLater):
        consumer.process_record(record)
    # So is a batch of messages applied in one transaction (nothing of it is stored).
    with pytest.raises(RetryLater):
        consumer.process_batch([record, record2])
    assert consumer.dead_lettered == 0 and not consumer.parked

    pg.start_server()
    deadline = time.monotonic() + 60
    while True:  # the pool replaces its dead connections by itself
        try:
            assert consumer.process_record(record) == "applied"
            break
        except RetryLater:
            assert time.monotonic() < deadline, "the store did not come back"
            time.sleep(0.2)
    assert supervision.last_tracked(f"visitation/{first.case_id}") == 1
    assert consumer.process_batch([record, record2]) == ["duplicate", "applied"]
    assert supervision.last_tracked(f"visitation/{first.case_id}") == 2
