"""Reading ahead for a consumer's batch: the newest (and first) stored event of many
aggregates in one query, instead of one round trip per aggregate per message.

At 200 decisions/s the consumers' per-message point reads (is this grant's order known?
a case history's newest event to append after) were most of their time: each a round trip
to PostgreSQL and its CPU on both sides. A batch asks once. Raw SQL on the library's table
is why this lives inside the fence (package docstring); other stores ask per aggregate
through the recorder's public `select_events`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from shared.infra.es.recorders import (
    events_table,
    is_postgres,
    postgres_connection,
    postgres_schema,
)

_POSTGRES = (
    # The newest event of each id: one index probe per id (LATERAL ... LIMIT 1), never the
    # rows of a long stream. With `foerste`, each stream's first event too.
    "SELECT n.originator_id, n.originator_version, n.topic, n.state "
    "FROM unnest(%s::uuid[]) AS wanted(id) CROSS JOIN LATERAL ("
    " SELECT originator_id, originator_version, topic, state FROM {schema}.{table}"
    " WHERE originator_id = wanted.id ORDER BY originator_version DESC LIMIT 1) AS n"
)
_POSTGRES_FOERSTE = (
    " UNION ALL SELECT originator_id, originator_version, topic, state"
    " FROM {schema}.{table} WHERE originator_id = ANY(%s::uuid[]) AND originator_version = 1"
)


def nyeste_og_foerste(
    recorder: Any, ids: Sequence[UUID], *, foerste: bool = False
) -> tuple[dict[UUID, StoredEvent], dict[UUID, StoredEvent]]:
    """Per stored id its newest event and (with `foerste`) its first; ids not stored are in
    neither. Runs on the thread's pinned connection when a batch holds one."""
    nyeste: dict[UUID, StoredEvent] = {}
    forste: dict[UUID, StoredEvent] = {}
    if not ids:
        return nyeste, forste
    if not is_postgres(recorder):
        for aggregate_id in ids:
            found = recorder.select_events(aggregate_id, desc=True, limit=1)
            if found:
                nyeste[aggregate_id] = found[0]
                if foerste:
                    first = recorder.select_events(aggregate_id, limit=1)
                    forste[aggregate_id] = first[0]
        return nyeste, forste
    statement = SQL(_POSTGRES + (_POSTGRES_FOERSTE if foerste else "")).format(
        schema=Identifier(postgres_schema(recorder)), table=Identifier(events_table(recorder))
    )
    params: tuple[Any, ...] = (list(ids), list(ids)) if foerste else (list(ids),)
    with postgres_connection(recorder) as conn, conn.cursor(row_factory=tuple_row) as curs:
        curs.execute(statement, params, prepare=True)
        rows: list[Any] = curs.fetchall()
    for originator_id, version, topic, state in rows:
        stored = StoredEvent(originator_id, int(version), topic, bytes(state))
        # The newest of a one-event stream is also its first: the higher version is newest.
        current = nyeste.get(originator_id)
        if current is None or current.originator_version < stored.originator_version:
            nyeste[originator_id] = stored
        if foerste and stored.originator_version == 1:
            forste[originator_id] = stored
    return nyeste, forste


_POSTGRES_ALLE = (
    "SELECT originator_id, originator_version, topic, state FROM {schema}.{table}"
    " WHERE originator_id = ANY(%s::uuid[]) ORDER BY originator_id, originator_version"
)


def alle_haendelser(recorder: Any, ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
    """Per stored id all its events in version order, in one query (other stores: one per
    id); ids not stored are left out."""
    ud: dict[UUID, list[StoredEvent]] = {}
    if not ids:
        return ud
    if not is_postgres(recorder):
        for aggregate_id in ids:
            found = recorder.select_events(aggregate_id)
            if found:
                ud[aggregate_id] = list(found)
        return ud
    statement = SQL(_POSTGRES_ALLE).format(
        schema=Identifier(postgres_schema(recorder)), table=Identifier(events_table(recorder))
    )
    with postgres_connection(recorder) as conn, conn.cursor(row_factory=tuple_row) as curs:
        curs.execute(statement, (list(ids),), prepare=True)
        rows: list[Any] = curs.fetchall()
    for originator_id, version, topic, state in rows:
        ud.setdefault(originator_id, []).append(
            StoredEvent(originator_id, int(version), topic, bytes(state))
        )
    return ud


__all__ = ["alle_haendelser", "nyeste_og_foerste"]
