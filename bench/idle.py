"""Idle CPU per service: the three services on PostgreSQL with their relays and consumers
running and nothing to do, CPU read from /proc/<pid>/stat over a window.

    .venv/bin/python -m bench.idle [SECONDS]

Starts its own PostgreSQL cluster and broker (nothing started by hand is used), waits
until every consumer has its partitions and a few seconds more (group joins, first
metadata), then reports each service's CPU in ms per second of wall time (10 ms/s = 1%
of a core). Goal: under 20 ms/s (2% of a core) per service.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from infra.local._net import free_port
from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster
from infra.local.stack import SERVICES, LocalStack

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def measure(window: float = 30.0, settle: float = 5.0) -> dict[str, float]:
    with PrivateCluster() as pg, TansuBroker() as broker, tempfile.TemporaryDirectory() as tmp:
        urls = {}
        for name in SERVICES:
            pg.create_database(f"bum_{name}")
            urls[name] = pg.url(f"bum_{name}")
        stack = LocalStack(
            bootstrap=broker.bootstrap,
            data_dir=Path(tmp),
            ports={name: free_port() for name in SERVICES},
            database_urls=urls,
        )
        stack.start()
        try:
            stack.wait_consuming()
            time.sleep(settle)
            pids = {
                name: s.process.pid for name, s in stack.services.items() if s.process is not None
            }
            before = {name: cpu_seconds(pid) for name, pid in pids.items()}
            started = time.monotonic()
            time.sleep(window)
            elapsed = time.monotonic() - started
            return {
                name: (cpu_seconds(pid) - before[name]) * 1000 / elapsed
                for name, pid in pids.items()
            }
        finally:
            stack.stop()


def main() -> None:
    window = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    for name, ms_per_s in measure(window).items():
        print(f"{name:<12} {ms_per_s:6.1f} ms CPU/s idle ({ms_per_s / 10:.1f}% of a core)")


if __name__ == "__main__":
    main()
