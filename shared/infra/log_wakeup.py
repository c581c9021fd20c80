"""Waking a log's followers when any process commits events to a PostgreSQL store.

The library already sends `NOTIFY <events table>` inside every insert transaction, so
PostgreSQL delivers it at commit. One thread per application LISTENs on that channel and
wakes the application's relays. Without it a relay notices another process's writes (a
second instance, a CLI, the bench's seeding) only at its fallback poll interval.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

import psycopg
import structlog
from psycopg import sql

from shared.infra import tid
from shared.infra.es.common import libpq_tls

log = structlog.get_logger("log_wakeup")


def conninfo_from_env(env: Mapping[str, str]) -> str:
    """The libpq connection string for the store the library's POSTGRES_* settings name
    (with the TLS parameters of the database URL, as for the library's own pool)."""
    return psycopg.conninfo.make_conninfo(
        dbname=env["POSTGRES_DBNAME"],
        host=env.get("POSTGRES_HOST", "127.0.0.1"),
        port=env.get("POSTGRES_PORT", "5432"),
        user=env.get("POSTGRES_USER", "postgres"),
        password=env.get("POSTGRES_PASSWORD", ""),
        connect_timeout=5,
        application_name="bum-log-listener",
        **libpq_tls(env),
    )


class LogListener:
    """LISTENs on `channel` and calls `wake()` for every notification, reconnecting after
    any failure (a missed wake-up only costs the followers their fallback poll)."""

    def __init__(self, conninfo: str, channel: str, wake: Callable[[], None]) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.wake = wake
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"listen-{channel}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.wake()  # anything committed while we were not listening
                    while not self.stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.wake()
            except Exception as exc:  # the database is away: the fallback poll covers us
                log.debug("log_listener_retry", channel=self.channel, error=repr(exc))
                tid.vent(self.stop, 1.0)
