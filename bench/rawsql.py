"""Baselines (b) and (c): what PostgreSQL itself does with the same payload, no Python app.

The table mirrors the library's stored events table (primary key on originator id and
version, a serial notification id with its own unique index), so the only differences are
the layers above it. A variant takes the library's `LOCK TABLE ... IN EXCLUSIVE MODE` in
every transaction, to show what serialising writers costs on its own.
"""

from __future__ import annotations

import threading
import time
import uuid

import psycopg

from bench.stats import CpuMeter, RunResult, summarise

DDL = """
CREATE TABLE IF NOT EXISTS raw_events (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text NOT NULL,
    state bytea,
    notification_id bigserial,
    PRIMARY KEY (originator_id, originator_version)
);
CREATE UNIQUE INDEX IF NOT EXISTS raw_events_notification_id_idx
    ON raw_events (notification_id);
"""
INSERT = (
    "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
    "VALUES (%s, %s, %s, %s)"
)
TOPIC = "services.provider.domain.bestilling:Bestilling.IndsatsLeveret"


def prepare(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DDL)


def raw_inserts(
    name: str,
    url: str,
    payload: bytes,
    clients: int,
    duration: float,
    *,
    batch: int = 1,
    lock: bool = False,
    meter: CpuMeter | None = None,
) -> RunResult:
    """`clients` threads, each with its own connection, committing `batch` rows per
    transaction until the time is up. Latency is per transaction (= per row when batch=1)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    conns = [psycopg.connect(url) for _ in range(clients)]
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker(k: int) -> None:
        conn = conns[k]
        start_gate.wait()
        while (t0 := time.perf_counter()) < deadline[0]:
            rows = [(uuid.uuid4(), 1, TOPIC, payload) for _ in range(batch)]
            try:
                with conn.transaction(), conn.cursor() as cur:
                    if lock:
                        cur.execute("LOCK TABLE raw_events IN EXCLUSIVE MODE")
                    if batch == 1:
                        cur.execute(INSERT, rows[0], prepare=True)
                    else:
                        cur.executemany(INSERT, rows)
            except psycopg.Error:
                errors[k] += 1
                continue
            latencies[k].append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    if meter:
        meter.start()
    deadline[0] = time.perf_counter() + duration
    began = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    flat = [lat for per in latencies for lat in per]
    result = summarise(name, flat, sum(errors), seconds)
    # Rows, not transactions, are the unit compared with commands.
    result.ok = len(flat) * batch
    if meter:
        # Before closing: a backend's CPU is unreadable once its connection has ended.
        result.cpu_ms_per_op = meter.stop(result.ok)
    for conn in conns:
        conn.close()
    return result
