"""The three services as real processes on a private PostgreSQL and broker of their own, so a
fault test may kill any of them, restart PostgreSQL and read every store afterwards.

Waiting is always on a condition with a generous deadline (a loaded 2-core machine can be
slow); the only fixed waits are short polling intervals.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from infra.local._net import free_port
from infra.local.broker import TansuBroker
from infra.local.pg_cluster import PrivateCluster
from infra.local.stack import SERVICES, LocalStack
from services.provider.application.provider_app import ProviderApplication
from services.supervision.application.supervision_app import SupervisionApplication
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from tests.faults.ledger import Ledger
from tests.scenario import decided_case
from tests.ur import E2E_NU

DAY = date(2026, 11, 2)


def wait_for(condition: Callable[[], bool], timeout: float, what: Callable[[], str]) -> None:
    """Poll condition until true; on timeout fail with what() describing the state then."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what()}")
        time.sleep(0.1)


class FaultStack:
    def __init__(self, pg: PrivateCluster, broker: TansuBroker, data_dir: Path) -> None:
        self.pg = pg
        self.broker = broker
        self.urls: dict[str, str] = {}
        for name in SERVICES:
            pg.create_database(f"bum_{name}")
            self.urls[name] = pg.url(f"bum_{name}")
        self.stack = LocalStack(
            bootstrap=broker.bootstrap,
            data_dir=data_dir,
            ports={name: free_port() for name in SERVICES},
            database_urls=self.urls,
            clock=E2E_NU,
        )
        self._apps: dict[str, Any] = {}

    # -- processes ------------------------------------------------------------------------
    def url(self, name: str) -> str:
        return self.stack.services[name].url

    def set_env(self, name: str, **env: str) -> None:
        self.stack.services[name].env.update(env)

    def start(self, *names: str) -> None:
        for name in names or SERVICES:
            self.stack.services[name].start()
        self.stack.wait_healthy(120, names=names or SERVICES)

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown code runs, no batch is finished, nothing is flushed."""
        self.stack.services[name].kill()

    def health(self, name: str) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(f"{self.url(name)}/health", timeout=5) as response:
                body: dict[str, Any] = json.load(response)
                return body
        except OSError as exc:
            return {"error": repr(exc)}

    def applied(self, name: str) -> int:
        return sum(c.get("applied", 0) for c in self.health(name).get("consumers", []))

    # -- stores ---------------------------------------------------------------------------
    def app(self, name: str) -> Any:
        """The service's application on its real database, opened in this test process."""
        if name not in self._apps:
            settings = ServiceSettings(store="postgres", database_url=self.urls[name])
            cls = {
                "visitation": VisitationApplication,
                "provider": ProviderApplication,
                "supervision": SupervisionApplication,
            }[name]
            self._apps[name] = cls(env=store_env(settings, name))
        return self._apps[name]

    def ledger(self) -> Ledger:
        return Ledger(self.app("visitation"), self.app("provider"), self.app("supervision"))

    def seed_cases(self, count: int, first: int = 0, threads: int = 4) -> list[UUID]:
        """Decided cases written through visitation's application layer in this process
        (several at once, so the store's group commit batches them)."""
        visitation = self.app("visitation")
        with ThreadPoolExecutor(threads) as pool:
            return list(
                pool.map(
                    lambda i: decided_case(visitation, DAY, cpr=f"0101{i:06d}"),
                    range(first, first + count),
                )
            )

    def notification_count(self, name: str) -> int:
        return len(self.app(name).process_recorder.select_notifications(start=1, limit=10**7))

    def relay_position(self, name: str) -> int:
        relays = self.health(name).get("relays") or [{"position": -1}]
        return int(relays[0]["position"])

    def wait_exactly_once(self, timeout: float = 180) -> dict[str, Any]:
        """Wait until every store agrees exactly once, then check once more after the
        consumers have had time to apply anything still in flight, which would be a double."""
        ledger = self.ledger()
        wait_for(
            lambda: not ledger.problems(),
            timeout,
            lambda: f"{ledger.problems()}; health: {[self.health(n) for n in SERVICES]}",
        )
        time.sleep(2.0)
        ledger.assert_exactly_once()
        summary = ledger.summary()
        print(f"\nledger: {json.dumps(summary)}")  # counts and checksums, with pytest -s
        return summary

    def close(self) -> None:
        self.stack.stop()
        for app in self._apps.values():
            app.close()
        self._apps.clear()


@contextmanager
def fault_stack(data_dir: Path) -> Iterator[FaultStack]:
    """A private PostgreSQL, a memory-only broker and the three services (not started)."""
    with PrivateCluster() as pg, TansuBroker() as broker:
        stack = FaultStack(pg, broker, data_dir)
        try:
            yield stack
        finally:
            stack.close()


class Load:
    """Commands over HTTP from client threads until stopped; records every answer."""

    def __init__(self, send: Callable[[int], tuple[int, float, Any]], clients: int = 2) -> None:
        self._send = send
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._next = 0
        self.answers: list[tuple[int, float, Any]] = []  # (status, seconds, result)
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                i = self._next
                self._next += 1
            answer = self._send(i)
            with self._lock:
                self.answers.append(answer)

    def statuses(self) -> list[int]:
        with self._lock:
            return [s for s, _, _ in self.answers]

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(60)
