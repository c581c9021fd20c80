"""Tracking records for a whole batch of messages: the library's process recorders write one
tracking record per transaction and read one name per query; a consumer that applies a poll
batch in one transaction needs several of each (one per case the batch touches).

Both work on the SQLite and the PostgreSQL process recorders, through the same private
hooks the library's own process recorders use (`_insert_events`, `_insert_tracking`), so
the records are written inside the library's transaction, with its table lock.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from eventsourcing.persistence import ProcessRecorder, Tracking

#: The keyword argument of `insert_events` that carries the batch's further records.
MORE_TRACKING = "more_tracking"

#: Names per SQLite query (its default limit of bound parameters is far above this).
_SQLITE_CHUNK = 500


def allow_several_trackings(recorder: ProcessRecorder) -> None:
    """Let `insert_events(..., tracking=t1, more_tracking=[t2, ...])` write every record in
    the events' transaction. Each insert fails (IntegrityError, everything rolls back) when
    its name already has that position or a later one, exactly like the first record."""
    inner = recorder._insert_events  # type: ignore[attr-defined]
    insert_tracking = recorder._insert_tracking  # type: ignore[attr-defined]

    def _insert_events(cursor: Any, stored_events: Any, **kwargs: Any) -> Any:
        # After the library's own record, in the order given: a name may come twice (its
        # first position in the batch, which guards against a redelivery, then its last).
        # On PostgreSQL this hook runs before the table lock and the events' insert, so a
        # conflict fails early, as the library's own record does.
        returning = inner(cursor, stored_events, **kwargs)
        for tracking in kwargs.get(MORE_TRACKING, ()):
            insert_tracking(cursor, tracking)
        return returning

    recorder._insert_events = _insert_events  # type: ignore[attr-defined]


def last_tracked_many(recorder: ProcessRecorder, names: Collection[str]) -> dict[str, int]:
    """The tracked position of each name in one query (names never tracked are left out)."""
    if not names:
        return {}
    if type(recorder).__module__.endswith("postgres"):
        return _postgres(recorder, list(names))
    return _sqlite(recorder, list(names))


def _postgres(recorder: Any, names: list[str]) -> dict[str, int]:
    from psycopg.sql import SQL, Identifier

    statement = SQL(
        "SELECT application_name, MAX(notification_id) AS max FROM {0}.{1} "
        "WHERE application_name = ANY(%s) GROUP BY application_name"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.tracking_table_name))
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(statement, (names,))
        return {row["application_name"]: row["max"] for row in curs.fetchall()}


def _sqlite(recorder: Any, names: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    with recorder.datastore.transaction(commit=False) as c:
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


__all__ = ["MORE_TRACKING", "Tracking", "allow_several_trackings", "last_tracked_many"]
