"""Where the simulated year is stored, and how much it left in each store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bench.simulate.flow import Kommune
from shared.infra.es import datastore_of, events_table, is_postgres, tracking_table
from shared.infra.eventstore import EventStoreApplication

SERVICES = ("visitation", "provider", "supervision")


@contextlib.contextmanager
def postgres_urls(base_url: str | None, private: bool, prefix: str) -> Iterator[dict[str, str]]:
    """One fresh database per service on the given server, or on a private one started
    here. The private one commits without waiting for its WAL flush (synchronous_commit
    off): what it is for is table sizes per event, and durable commit rates are
    `make bench`'s subject (at ~25 ms per fsync here a year would take days)."""
    cluster: Any = None
    if private:
        from infra.local.pg_cluster import PrivateCluster

        cluster = PrivateCluster().start()
        base_url = cluster.url()
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET synchronous_commit = off")
            conn.execute("SELECT pg_reload_conf()")
    assert base_url is not None
    head, _, _ = base_url.rpartition("/")
    urls = {s: f"{head}/{prefix}_{s}" for s in SERVICES}
    with psycopg.connect(base_url, autocommit=True) as conn:
        for s in SERVICES:
            name = sql.Identifier(f"{prefix}_{s}")
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield urls
    finally:
        if cluster is not None:
            cluster.stop()


def _tables(app: EventStoreApplication) -> dict[str, str]:
    rec: Any = app.process_recorder
    return {
        "events": events_table(rec),
        "tracking": tracking_table(rec),
        "published_log": "bum_published_event",
    }


def _count(app: EventStoreApplication, table: str) -> tuple[int, int | None]:
    """Rows, and bytes on disk with indexes (PostgreSQL only; SQLite reports its file)."""
    rec: Any = app.process_recorder
    postgres = is_postgres(rec)
    with datastore_of(rec).transaction(commit=False) as cur:
        try:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
        except Exception:  # a table this service never created (no tracking, no relay)
            return 0, None
        row = cur.fetchone()
        rows = int(row["count"] if postgres else row[0])
        if not postgres:
            return rows, None
        cur.execute("SELECT pg_total_relation_size(%s) AS size", (table,))
        size = cur.fetchone()
        return rows, int(size["size"])


def tael(kommune: Kommune, data_dir: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for service in SERVICES:
        app: EventStoreApplication = getattr(kommune, service)
        figures: dict[str, Any] = {}
        for what, table in _tables(app).items():
            rows, size = _count(app, table)
            figures[what] = rows
            if size is not None:
                figures[f"{what}_bytes"] = size
        if data_dir is not None:
            files = list(data_dir.glob(f"{service}.sqlite*"))
            figures["sqlite_bytes"] = sum(f.stat().st_size for f in files)
        out[service] = figures
    return out
