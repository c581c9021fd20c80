"""Small pieces of bookkeeping a relay or consumer keeps in its service's own database.

Stored beside the events (same database, own table) so a PostgreSQL deployment keeps them
across container restarts. They need not be atomic with anything else: publishing is
at-least-once and consumers recognise redeliveries.
"""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import ProcessRecorder

from shared.infra.es import datastore_of, is_postgres


class JsonStateStore:
    def __init__(self, recorder: ProcessRecorder, key: str) -> None:
        self._datastore: Any = datastore_of(recorder)
        self._postgres = is_postgres(recorder)
        self._key = key
        self._p = "%s" if self._postgres else "?"
        with self._datastore.transaction(commit=True) as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bum_local_state "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )

    def load(self) -> Any:
        with self._datastore.transaction(commit=False) as cur:
            cur.execute(f"SELECT value FROM bum_local_state WHERE key = {self._p}", (self._key,))
            row = cur.fetchone()
        if row is None:
            return None
        return json.loads(row["value"] if self._postgres else row[0])

    def save(self, value: Any) -> None:
        p = self._p
        with self._datastore.transaction(commit=True) as cur:
            cur.execute(
                f"INSERT INTO bum_local_state (key, value) VALUES ({p}, {p}) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (self._key, json.dumps(value, sort_keys=True)),
            )
