"""Two processes of one service over one PostgreSQL store (two applications on the same
database here, each with its own relay, as two replicas would have): one relay publishes,
the other stands by; when the leader stops or loses its connection, the standby takes
over from the positions the leader saved, and the topic holds every event once, in order.
Against a real PostgreSQL and a real Tansu broker."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest

from infra.local.broker import TansuBroker
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.eventstore import store_env
from shared.infra.relay import OutboxRelay
from shared.infra.relay_lease import RelayLease
from shared.infra.settings import ServiceSettings
from tests.conftest import Postgres
from tests.integration.test_relay_consumer import wait_for
from tests.integration.test_relay_fanout import (
    assert_topic_holds_once_in_order,
    expected_ids,
    read_topic,
    wait_published,
)
from tests.leverandoerer import IMPORTERET_VED_START
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)


class Replica:
    """One process's application and relay over the shared store, its relay on a thread."""

    def __init__(self, settings: ServiceSettings, topic: str, bootstrap: str) -> None:
        self.app = VisitationApplication(env=store_env(settings, "visitation"))
        self.relay = OutboxRelay(
            self.app,
            source="visitation",
            topic=topic,
            mapping=to_public,
            bootstrap=bootstrap,
            poll_seconds=0.02,
            check_seconds=0.2,
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.relay.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(15)
        self.app.close()


@pytest.fixture
def replicas(postgres: Postgres, broker: TansuBroker) -> Iterator[tuple[Replica, Replica, str]]:
    settings = ServiceSettings(store="postgres", database_url=postgres.new_database("bum_lease"))
    topic = f"test.{uuid.uuid4().hex[:8]}.lease"
    first = Replica(settings, topic, broker.bootstrap)
    wait_for(lambda: first.relay.leder, 10, lambda: "the first relay leads")
    second = Replica(settings, topic, broker.bootstrap)
    try:
        yield first, second, topic
    finally:
        second.close()
        first.close()


def test_one_relay_publishes_and_a_standby_takes_over(
    replicas: tuple[Replica, Replica, str], broker: TansuBroker
) -> None:
    first, second, topic = replicas
    for i in range(3):
        decided_case(first.app, DAY, cpr=f"06014{i:05d}")
    decided_case(second.app, DAY, cpr="0601499999")  # written by the other process
    wait_published(first.relay, first.app)
    assert first.relay.leder and not second.relay.leder
    assert first.relay.published_total == 12 + IMPORTERET_VED_START  # and the register
    assert second.relay.published_total == 0

    first.close()  # the leader's process stops: its lease goes with its connection
    wait_for(lambda: second.relay.leder, 10, lambda: "the standby takes over")
    for i in range(2):
        decided_case(second.app, DAY, cpr=f"07014{i:05d}")
    wait_published(second.relay, second.app)
    assert second.relay.published_total == 6  # only what came after the leader stopped
    assert_topic_holds_once_in_order(
        read_topic(broker.bootstrap, topic, 18), expected_ids(second.app, to_public)
    )


def test_a_leader_cut_off_from_the_server_gives_the_lease_up(
    replicas: tuple[Replica, Replica, str], postgres: Postgres, broker: TansuBroker
) -> None:
    first, second, topic = replicas
    decided_case(first.app, DAY, cpr="0801400000")
    wait_published(first.relay, first.app)
    # The server ends the leader's lease connection (a network cut, an idle timeout).
    with psycopg.connect(postgres.server_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'bum-relay-lease' AND pid IN "
            "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)"
        )
    wait_for(lambda: second.relay.leder, 10, lambda: "the standby takes the freed lease")
    decided_case(second.app, DAY, cpr="0801400001")
    wait_published(second.relay, second.app)
    # The first may lead again later (after the second stops); never both at once.
    assert not (first.relay.leder and second.relay.leder)
    assert_topic_holds_once_in_order(
        read_topic(broker.bootstrap, topic, 6), expected_ids(second.app, to_public)
    )


def test_an_sqlite_store_has_one_relay_that_always_leads() -> None:
    lease = RelayLease.for_store({"PERSISTENCE_MODULE": "shared.infra.es.sqlite"}, "x")
    assert lease.held() and lease.leads
