"""The library hooks of shared/infra/es on real stores (SQLite file and PostgreSQL): our
factories make our recorders, several tracking records go in one transaction, the tables
and names we read are there, and a consumer batch's calls share one connection. The
checks of names and signatures are in tests/unit/test_library_hooks.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, ProgrammingError, StoredEvent, Tracking

from shared.infra import es
from shared.infra.es import postgres as our_postgres
from shared.infra.es import sqlite as our_sqlite
from shared.infra.eventstore import EventStoreApplication, store_env
from tests.conftest import SettingsFactory

pytestmark = pytest.mark.integration


class Hooks(EventStoreApplication):
    pass


@pytest.fixture
def app(store_settings: SettingsFactory) -> Iterator[Hooks]:
    made = Hooks(env=store_env(store_settings("hooks"), "hooks"))
    yield made
    made.close()


def test_our_factory_makes_our_recorder(app: Hooks) -> None:
    recorder = app.process_recorder
    if es.is_postgres(recorder):
        assert isinstance(recorder, our_postgres.PostgresProcessRecorder)
        # POSTGRES_CONNECT_TIMEOUT (BUM_DB_TIMEOUT_SECONDS): each call's budget in all.
        assert recorder.retry_budget == float(app.env["POSTGRES_CONNECT_TIMEOUT"])
        assert isinstance(es.datastore_of(recorder), our_postgres.PostgresDatastore)
    else:
        assert isinstance(recorder, our_sqlite.SQLiteProcessRecorder)


def test_several_trackings_in_the_events_transaction(app: Hooks) -> None:
    recorder = app.process_recorder
    oid = uuid4()
    recorder.insert_events(
        [StoredEvent(oid, 1, "t", b"{}")],
        tracking=Tracking("a", 1),
        **{es.MORE_TRACKING: [Tracking("b", 4), Tracking("a", 2)]},
    )
    assert app.last_tracked_many(["a", "b", "c"]) == {"a": 2, "b": 4, "c": 0}
    with pytest.raises(IntegrityError):  # "b" is at 4: the events and "c" roll back too
        recorder.insert_events(
            [StoredEvent(oid, 2, "t", b"{}")],
            tracking=Tracking("c", 1),
            **{es.MORE_TRACKING: [Tracking("b", 4)]},
        )
    assert app.last_tracked("c") == 0
    assert len(recorder.select_events(oid)) == 1


def test_the_tables_and_names_we_read_are_there(app: Hooks) -> None:
    recorder = app.process_recorder
    postgres = es.is_postgres(recorder)
    events = es.events_table(recorder)
    tracking = es.tracking_table(recorder)
    if postgres:
        events = f'"{es.postgres_schema(recorder)}"."{events}"'
        tracking = f'"{es.postgres_schema(recorder)}"."{tracking}"'
        assert es.notify_channel(recorder)
    else:
        assert es.notify_channel(recorder) == ""
    with es.datastore_of(recorder).transaction(commit=False) as cur:
        cur.execute(f"SELECT COUNT(*) FROM {events}")
        cur.execute(f"SELECT COUNT(*) FROM {tracking}")


def test_a_pinned_thread_uses_one_connection(app: Hooks) -> None:
    recorder = app.process_recorder
    if not es.is_postgres(recorder):
        with es.pinned_connection(recorder):  # SQLite: left alone
            assert app.last_tracked("x") == 0
        return
    datastore = es.datastore_of(recorder)

    def backend() -> int:
        with es.postgres_connection(recorder) as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid() AS pid")
            row = cur.fetchone()
            assert row is not None
            return int(row["pid"])

    with es.pinned_connection(recorder):
        pid = backend()
        assert backend() == pid
        with datastore.transaction(commit=False) as cur:
            cur.execute("SELECT pg_backend_pid() AS pid")
            assert cur.fetchone()["pid"] == pid
        # psycopg's error as the library's:
        with pytest.raises(ProgrammingError), datastore.transaction(commit=False) as cur:
            cur.execute("SELECT * FROM no_such_table")
        assert app.last_tracked("x") == 0  # the pinned connection is still usable
    assert datastore.pins.conn is None


def test_a_nondurable_transaction_skips_only_its_own_wait_for_the_disk(app: Hooks) -> None:
    """The relay's state commits without waiting for the disk; commands keep the library's
    durable commits (PostgreSQL: per transaction; SQLite: a connection of its own)."""
    recorder = app.process_recorder
    datastore = es.datastore_of(recorder)
    if es.is_postgres(recorder):
        setting, off, durable = "SHOW synchronous_commit", "off", "on"
    else:
        setting, off, durable = "PRAGMA synchronous", 1, 2  # NORMAL, FULL

    def read(cur: Any) -> Any:
        cur.execute(setting)
        row = cur.fetchone()
        return row["synchronous_commit"] if es.is_postgres(recorder) else row[0]

    with datastore.transaction(commit=True) as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS hook_state (k TEXT PRIMARY KEY)")
    with es.nondurable_transaction(recorder) as cur:
        assert read(cur) == off
        cur.execute("INSERT INTO hook_state (k) VALUES ('kept')")
    with pytest.raises(RuntimeError), es.nondurable_transaction(recorder) as cur:
        cur.execute("INSERT INTO hook_state (k) VALUES ('rolled back')")
        raise RuntimeError("a failed batch")
    with datastore.transaction(commit=False) as cur:
        assert read(cur) == durable
        cur.execute("SELECT k FROM hook_state")
        assert [r["k"] if es.is_postgres(recorder) else r[0] for r in cur.fetchall()] == ["kept"]
