"""Tracking records for a whole batch of messages: the library's process recorders read one
name per query; a consumer that applies a poll batch in one transaction needs the position
of several (one per case the batch touches). Writing several records in one transaction is
our process recorders' work (`MORE_TRACKING`, shared/infra/es).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from eventsourcing.persistence import ProcessRecorder, Tracking

from shared.infra.es import (
    MORE_TRACKING,
    datastore_of,
    is_postgres,
    postgres_schema,
    tracking_table,
)

#: Names per SQLite query (its default limit of bound parameters is far above this).
_SQLITE_CHUNK = 500


def last_tracked_many(recorder: ProcessRecorder, names: Collection[str]) -> dict[str, int]:
    """The tracked position of each name in one query (names never tracked are left out)."""
    if not names:
        return {}
    if is_postgres(recorder):
        return _postgres(recorder, list(names))
    return _sqlite(recorder, list(names))


def _postgres(recorder: Any, names: list[str]) -> dict[str, int]:
    from psycopg.sql import SQL, Identifier

    statement = SQL(
        "SELECT application_name, MAX(notification_id) AS max FROM {0}.{1} "
        "WHERE application_name = ANY(%s) GROUP BY application_name"
    ).format(Identifier(postgres_schema(recorder)), Identifier(tracking_table(recorder)))
    with datastore_of(recorder).transaction(commit=False) as curs:
        curs.execute(statement, (names,))
        return {row["application_name"]: row["max"] for row in curs.fetchall()}


def _sqlite(recorder: Any, names: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    with datastore_of(recorder).transaction(commit=False) as c:
        for i in range(0, len(names), _SQLITE_CHUNK):
            chunk = names[i : i + _SQLITE_CHUNK]
            marks = ",".join("?" * len(chunk))
            c.execute(
                "SELECT application_name, MAX(notification_id) FROM tracking "
                f"WHERE application_name IN ({marks}) GROUP BY application_name",
                chunk,
            )
            found.update({row[0]: row[1] for row in c.fetchall()})
    return found


__all__ = ["MORE_TRACKING", "Tracking", "last_tracked_many"]
