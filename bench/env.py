"""The bench's own infrastructure: a private PostgreSQL, brokers, service processes.

Everything is started here through infra/local and stopped at the end; a server someone
started by hand is never used, so figures and baselines share one known configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

from infra.local._net import free_port
from infra.local.pg_cluster import PrivateCluster
from infra.local.stack import REPO_ROOT, SERVICES, LocalStack


def start_postgres() -> PrivateCluster:
    """A private cluster (fsync on) that also records commit timestamps.

    track_commit_timestamp lets the propagation figure read when each transaction
    committed on both sides, from one clock, instead of guessing from event timestamps
    taken before the save. It needs a restart and costs a few bytes per commit.
    """
    pg = PrivateCluster().start()
    with psycopg.connect(pg.url(), autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET track_commit_timestamp = on")
    pg.restart()
    with psycopg.connect(pg.url(), autocommit=True) as conn:
        row = conn.execute("SHOW fsync").fetchone()
        assert row is not None and row[0] == "on", "benchmarks need fsync on"
    return pg


def postmaster_pid(pg: PrivateCluster) -> int:
    return int((pg.data_dir / "postmaster.pid").read_text().splitlines()[0])


def new_stack(
    bootstrap: str, data_dir: Path, pg: PrivateCluster, tag: str, log_level: str = "info"
) -> LocalStack:
    """Three services on fresh databases (named with tag), not started yet."""
    urls = {}
    for name in SERVICES:
        pg.create_database(f"{tag}_{name}")
        urls[name] = pg.url(f"{tag}_{name}")
    return LocalStack(
        bootstrap=bootstrap,
        data_dir=data_dir / tag,
        ports={name: free_port() for name in SERVICES},
        database_urls=urls,
        log_level=log_level,
    )


def get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=5) as response:
        data: dict[str, Any] = json.load(response)
        return data


class BareService:
    """Baseline (a) in its own process, same uvicorn settings as the services."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.port = free_port()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bench.bare_service", str(self.port)],
                cwd=REPO_ROOT,
                env={**os.environ, "BENCH_DATABASE_URL": database_url},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.log_path = log_path

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bare service exited; see {self.log_path}")
            try:
                get_json(f"http://127.0.0.1:{self.port}/health")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"bare service not healthy in {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def wait_relay_idle(base_url: str, database_url: str, table: str, timeout: float) -> bool:
    """True once the service's relay has published up to its log's last notification."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(f"SELECT max(notification_id) FROM {table}").fetchone()
            last = (row[0] if row else None) or 0
            relays = get_json(f"{base_url}/health").get("relays")
            assert isinstance(relays, list)
            if all(r["position"] >= last for r in relays):
                return True
            time.sleep(0.2)
    return False


def _health(stack: LocalStack, name: str) -> dict[str, Any]:
    return get_json(f"{stack.services[name].url}/health")


def wait_quiet(stack: LocalStack, names: tuple[str, ...], timeout: float) -> bool:
    """True once every relay has published its whole log and every consumer has handled
    every message the relays of the running services published (counts from /health)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = {n: _health(stack, n) for n in names}
        relays_idle = all(
            wait_relay_idle(
                stack.services[n].url, stack.database_urls[n], f"{n}_events", timeout=0.01
            )
            for n in names
        )
        handled = {
            n: sum(
                c["applied"]
                + c["duplicates"]
                + c["gaps_passed_over"]
                + c["dead_lettered"]
                + c.get("dead_letters_failed_again", 0)  # re-driven copies: handled too
                + c.get("redrives_for_other_groups", 0)
                for c in h["consumers"]
            )
            for n, h in health.items()
        }
        # What each service should have handled: what the other running services published
        # on the topics it consumes (not every topic has a consumer here: a provider's own
        # topic, or the access log where visitation and provider only publish).
        expected = {
            n: sum(
                r["published"]
                for m in names
                if m != n
                for r in health[m]["relays"]
                if any(r["topic"] in c["topics"] for c in health[n]["consumers"])
            )
            for n in names
        }
        if relays_idle and all(handled[n] >= expected[n] for n in names):
            return True
        time.sleep(0.5)
    return False
