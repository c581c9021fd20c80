"""What the rest of BUM may know of a recorder beyond the library's documented interface:
which store it writes to, its datastore (for our own tables beside the events), the names
of its tables, and the pinned connection of a consumer batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing import postgres as library_postgres
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


__all__ = [
    "MORE_TRACKING",
    "datastore_of",
    "events_table",
    "is_postgres",
    "notify_channel",
    "our_process_recorder",
    "pinned_connection",
    "postgres_connection",
    "postgres_schema",
    "tracking_table",
]
