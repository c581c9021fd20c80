"""What the rest of BUM may know of a recorder beyond the library's documented interface:
which store it writes to, its datastore (for our own tables beside the events), the names
of its tables, and the pinned connection of a consumer batch."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing import postgres as library_postgres
from eventsourcing import sqlite as library_sqlite
from eventsourcing.persistence import InfrastructureFactory, ProcessRecorder

from shared.infra.es.common import MORE_TRACKING
from shared.infra.es.postgres import PostgresDatastore, PostgresProcessRecorder
from shared.infra.es.sqlite import SQLiteProcessRecorder


def our_process_recorder(factory: InfrastructureFactory[Any]) -> ProcessRecorder:
    """The factory's process recorder, which must be one of ours: the library's own would
    quietly drop a batch's further tracking records (PERSISTENCE_MODULE must name
    shared.infra.es.sqlite or shared.infra.es.postgres, as store_env does)."""
    recorder = factory.process_recorder()
    if not isinstance(recorder, (SQLiteProcessRecorder, PostgresProcessRecorder)):
        raise TypeError(
            f"{type(recorder).__qualname__} is not a BUM recorder: set PERSISTENCE_MODULE "
            "to shared.infra.es.sqlite or shared.infra.es.postgres"
        )
    return recorder


def is_postgres(recorder: Any) -> bool:
    return isinstance(recorder, library_postgres.PostgresRecorder)


def notify_channel(recorder: Any) -> str:
    """The PostgreSQL channel the library NOTIFYs on each insert ("" on other stores)."""
    return str(getattr(recorder, "channel_name", ""))


def datastore_of(recorder: Any) -> Any:
    """The recorder's datastore: `transaction(commit=...)` gives a cursor on its database
    (SQLite: `?` parameters and rows by index; PostgreSQL: `%s` and rows by name)."""
    return recorder.datastore


def events_table(recorder: Any) -> str:
    return str(recorder.events_table_name)


def tracking_table(recorder: Any) -> str:
    """The process recorder's tracking table (SQLite's recorder has no name for it)."""
    return str(getattr(recorder, "tracking_table_name", "tracking"))


def postgres_schema(recorder: Any) -> str:
    return str(datastore_of(recorder).schema)


@contextmanager
def postgres_connection(recorder: Any) -> Iterator[Any]:
    """A psycopg connection from the recorder's pool (the batch's own while one is pinned);
    psycopg's errors leave it as the library's."""
    with datastore_of(recorder).get_connection() as conn:
        yield conn


@contextmanager
def pinned_connection(recorder: Any) -> Iterator[None]:
    """While the block runs, this thread's calls share one connection (PostgreSQL; see
    `PostgresDatastore`). Other stores are left alone."""
    datastore = getattr(recorder, "datastore", None)
    if not isinstance(datastore, PostgresDatastore):
        yield
        return
    with datastore.pinned():
        yield


class _OwnConnection:
    """A connection of its own beside an SQLite datastore's pool, one writer at a time."""

    def __init__(self, pool: Any) -> None:
        self.lock = threading.Lock()
        self.conn = sqlite3.connect(
            pool.db_name,
            uri=True,
            check_same_thread=False,
            isolation_level=None,  # we say BEGIN and COMMIT
            timeout=pool.lock_timeout or 5,
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")


#: Per SQLite datastore, the connection of `nondurable_transaction` (gone with the datastore).
_own: weakref.WeakKeyDictionary[Any, _OwnConnection] = weakref.WeakKeyDictionary()
_own_lock = threading.Lock()


@contextmanager
def nondurable_transaction(recorder: Any) -> Iterator[Any]:
    """A write transaction on the recorder's database whose commit does not wait for the
    disk: for state that can be rebuilt (a relay's position, which after a lost commit only
    makes it send again what consumers already have). A crash of the database server or
    the machine may lose the last such commits; a crash of our process loses nothing that
    was committed.

    PostgreSQL: `SET LOCAL synchronous_commit = off` for this transaction only, on a
    connection from the pool (a later durable commit flushes it along: the WAL is one
    sequence). SQLite: `synchronous = NORMAL` in WAL mode (no fsync at commit, only at
    checkpoints) on a connection of its own, so the pool's connections, which commands
    use, keep the library's setting. Cursor rows as `datastore_of` describes.
    """
    datastore = datastore_of(recorder)
    if is_postgres(recorder):
        with datastore.transaction(commit=True) as cur:
            cur.execute("SET LOCAL synchronous_commit = off")
            yield cur
        return
    if not isinstance(datastore, library_sqlite.SQLiteDatastore):
        raise TypeError(f"no non-durable transaction on {type(datastore).__qualname__}")
    pool = datastore.pool
    if pool.is_sqlite_memory_mode:
        # An in-memory database is private to the pool's connections: use them.
        with datastore.transaction(commit=True) as cur:
            yield cur
        return
    with _own_lock:
        own = _own.get(datastore)
        if own is None:
            own = _own[datastore] = _OwnConnection(pool)
    with own.lock:
        cur = own.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            own.conn.rollback()
            raise
        own.conn.commit()


__all__ = [
    "MORE_TRACKING",
    "datastore_of",
    "events_table",
    "is_postgres",
    "nondurable_transaction",
    "notify_channel",
    "our_process_recorder",
    "pinned_connection",
    "postgres_connection",
    "postgres_schema",
    "tracking_table",
]
