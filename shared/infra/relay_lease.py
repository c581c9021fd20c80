"""Which process's relay publishes a store, when several processes of a service share it.

Every process of a service runs a relay over the same store. Two publishing at once lose
nothing (the per-case numbers are a pure function of the log, so consumers drop the
copies), but every event would go out twice and both would write the relay's state row. So
one relay leads and the others stand by: the leader holds a PostgreSQL session advisory
lock named for the store's relay, on a connection of its own (a pooled connection would
carry the lock to whoever borrows it next). The lock is the server's to keep: it goes with
the leader's connection, so a leader that crashes, hangs up or is cut off releases it,
and a standby takes it at its next try.

The leader checks its connection every `check_seconds`: a leader cut off from the server
notices within that time and stops. Until it notices, the new leader and it may both
publish the same events with the same numbers, which consumers drop as redeliveries.

SQLite: a file store belongs to one process (the embedded default of `make run`), so its
relay always leads.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

import psycopg
import structlog

from shared.infra.log_wakeup import conninfo_from_env

log = structlog.get_logger("relay")


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a relay's name."""
    return int.from_bytes(
        hashlib.sha256(f"bum-relay:{name}".encode()).digest()[:8], "big", signed=True
    )


class RelayLease:
    def __init__(self, conninfo: str | None, name: str, check_seconds: float = 1.0) -> None:
        self.conninfo = conninfo
        self.name = name
        self.key = lock_key(name)
        self.check_seconds = check_seconds
        self._conn: Any = None
        self._next_check = 0.0
        #: Times this lease was taken (a standby that took over counts one more).
        self.acquired = 0

    @classmethod
    def for_store(cls, env: Mapping[str, str], name: str, check_seconds: float = 1.0) -> RelayLease:
        """PostgreSQL stores elect a leader; any other store's relay always leads."""
        postgres = env.get("PERSISTENCE_MODULE", "").endswith("postgres")
        return cls(conninfo_from_env(env) if postgres else None, name, check_seconds)

    @property
    def leads(self) -> bool:
        """As of the last check (no round trip)."""
        return self.conninfo is None or self._conn is not None

    def held(self) -> bool:
        """Does this relay lead now? Takes the lease when it is free; checks a held one
        every `check_seconds` (one round trip), and tries a taken one at the same pace."""
        if self.conninfo is None:
            return True
        now = time.monotonic()
        if now < self._next_check:
            return self._conn is not None
        self._next_check = now + self.check_seconds
        try:
            if self._conn is not None:
                self._conn.execute("SELECT 1")
                return True
            conn = psycopg.connect(
                self.conninfo, autocommit=True, application_name="bum-relay-lease"
            )
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
            if not (row and row[0]):
                conn.close()
                return False
            self._conn = conn
            self.acquired += 1
            log.info("relay_lease_taken", relay=self.name)
            return True
        except psycopg.Error as exc:
            if self._conn is not None:
                log.warning("relay_lease_lost", relay=self.name, error=repr(exc))
                # The side that lost its connection is the likelier unhealthy one: it gives
                # the standbys a head start before it competes again.
                self._next_check = now + 3 * self.check_seconds
            self.release()
            return False

    def release(self) -> None:
        """Give the lease up (closing the connection releases the lock on the server)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error as exc:  # a broken connection is released all the same
                log.debug("relay_lease_close_failed", error=repr(exc))
