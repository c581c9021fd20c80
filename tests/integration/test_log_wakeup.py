"""Followers of a store's log wake when events are committed, by this process (in memory)
or by another writer on the same PostgreSQL store (LISTEN/NOTIFY), rather than at their
fallback poll interval."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from tests.conftest import Postgres, SettingsFactory
from tests.scenario import decided_case

pytestmark = pytest.mark.integration

FALLBACK_POLL = 30.0  # far longer than any wait below: only a wake-up can end it in time


def _woken_within(follower: VisitationApplication, write: object) -> float:
    follower.wait_for_new_events(follower.log_generation, 0.01)  # starts any listener
    time.sleep(0.5)  # let a LISTEN connection settle before the write
    seen = follower.log_generation
    woke: list[float] = []

    def wait() -> None:
        start = time.monotonic()
        if follower.wait_for_new_events(seen, FALLBACK_POLL):
            woke.append(time.monotonic() - start)

    t = threading.Thread(target=wait)
    t.start()
    time.sleep(0.2)
    assert callable(write)
    write()
    t.join(FALLBACK_POLL + 5)
    assert woke, "the follower was not woken"
    return woke[0]


def test_own_commits_wake_followers(store_settings: SettingsFactory) -> None:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    try:
        waited = _woken_within(app, lambda: decided_case(app, date(2026, 11, 2)))
        assert waited < 5.0
    finally:
        app.close()


def test_another_writers_commits_wake_followers_on_postgres(postgres: Postgres) -> None:
    settings = ServiceSettings(store="postgres", database_url=postgres.new_database())
    env = store_env(settings, "visitation")
    follower = VisitationApplication(env=env)
    writer = VisitationApplication(env=env)  # as a second instance or a CLI would be
    try:
        waited = _woken_within(follower, lambda: decided_case(writer, date(2026, 11, 2)))
        assert waited < 5.0
    finally:
        follower.close()
        writer.close()
