"""A lean reader of supervision's own notification log, for rebuilding read models.

The library's `select_notifications` builds a `Notification` (with a parsed UUID) per row;
for a pass over millions of rows that object work costs more than the folds. This reader
selects only (position, topic, state) on the two stores we run, and falls back to the
library on any other recorder.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import ProcessRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from shared.infra.es import datastore_of, events_table, postgres_connection, postgres_schema

Raekke = tuple[int, str, bytes]


def laes_log(recorder: ProcessRecorder, start: int, limit: int, stop: int | None) -> list[Raekke]:
    """Rows with position >= start (and <= stop), in log order, at most `limit`."""
    hoejst = stop if stop is not None else 2**62
    if isinstance(recorder, SQLiteApplicationRecorder):
        sql = (
            f"SELECT rowid, topic, state FROM {events_table(recorder)} "
            "WHERE rowid>=? AND rowid<=? ORDER BY rowid LIMIT ?"
        )
        with datastore_of(recorder).transaction(commit=False) as c:
            c.execute(sql, (start, hoejst, limit))
            return [(r[0], r[1], r[2]) for r in c.fetchall()]
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = SQL(
            "SELECT notification_id, topic, state FROM {schema}.{table} "
            "WHERE notification_id>=%s AND notification_id<=%s "
            "ORDER BY notification_id LIMIT %s"
        ).format(
            schema=Identifier(postgres_schema(recorder)),
            table=Identifier(events_table(recorder)),
        )
        with postgres_connection(recorder) as conn, conn.cursor() as curs:
            curs.execute(statement, (start, hoejst, limit), prepare=True)
            rows: list[Any] = curs.fetchall()
            return [(r["notification_id"], r["topic"], bytes(r["state"])) for r in rows]
    return [
        (n.id, n.topic, n.state)
        for n in recorder.select_notifications(start=start, limit=limit, stop=stop)
    ]
