"""Group commit: the commands that arrive while one transaction commits share the next one.

The library serialises writers with a table lock that is held through each commit's fsync,
so one transaction per command caps a service at a few hundred commands per second however
fast the rest is (bench/README.md). Here request threads hand their events to one writer
thread, which stores everything that queued up meanwhile in one transaction: at low load a
command commits alone and at once; under load many share one lock and one fsync.

Each command keeps its own outcome. When a combined transaction fails on a concurrent
change (IntegrityError), the writer stores that batch's commands one by one, so only the
command that really conflicts gets the IntegrityError (409), exactly as without batching.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

import structlog
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError

from shared.infra.metrics import Timings

log = structlog.get_logger("group_commit")

#: Stores one command's events; returns its recordings (the application's EventStore.put).
Put = Callable[[Sequence[Any]], list[Any]]


class GroupCommitter:
    def __init__(self, put: Put, max_batch: int = 500, timings: Timings | None = None) -> None:
        self._put_untimed = put
        #: Batch sizes and commit latency for /metrics (off: Timings(enabled=False)).
        self.timings = timings or Timings(enabled=False)
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[Sequence[Any], Future[list[Any]]]] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.transactions = self.commands = 0
        self._in_flight = 0  # commands in the transaction being committed now

    @property
    def pending(self) -> int:
        """Commands handed over and not yet answered (queued or being committed): shown on
        /health, where a store that is slow or locked shows as a growing number."""
        return self._queue.qsize() + self._in_flight

    def put(self, events: Sequence[Any]) -> list[Any]:
        """Store one command's events; returns when they are committed (or raises)."""
        self._ensure_writer()
        done: Future[list[Any]] = Future()
        self._queue.put((events, done))
        return done.result()

    def _ensure_writer(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="group-commit", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self._max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._in_flight = len(batch)
            try:
                self._commit(batch)
            finally:
                self._in_flight = 0

    def _put(self, events: Sequence[Any]) -> list[Any]:
        started = time.perf_counter()
        try:
            return self._put_untimed(events)
        finally:
            self.timings.store_call("commit", time.perf_counter() - started)

    def _commit(self, batch: list[tuple[Sequence[Any], Future[list[Any]]]]) -> None:
        self.transactions += 1
        self.commands += len(batch)
        self.timings.batch(len(batch))
        if len(batch) == 1:
            self._commit_one(*batch[0])
            return
        combined = [event for events, _ in batch for event in events]
        try:
            recordings = self._put(combined)
        except IntegrityError:
            # Someone's command conflicts: find whose by storing them one at a time.
            for events, done in batch:
                self._commit_one(events, done)
            return
        except BaseException as failure:  # the database is away: every waiter hears it
            for _, done in batch:
                done.set_exception(failure)
            self._fail_queued(failure)
            return
        start = 0
        for events, done in batch:
            done.set_result(recordings[start : start + len(events)])
            start += len(events)

    def _commit_one(self, events: Sequence[Any], done: Future[list[Any]]) -> None:
        try:
            done.set_result(self._put(events))
        except BaseException as failure:
            done.set_exception(failure)
            self._fail_queued(failure)

    def _fail_queued(self, failure: BaseException) -> None:
        """The store just failed to answer: the commands that queued meanwhile get the same
        answer now (503), instead of each waiting out the database timeout again behind
        the others. Found by the PostgreSQL restart test (tests/faults)."""
        if not isinstance(failure, OperationalError | InterfaceError):
            return
        while True:
            try:
                _, done = self._queue.get_nowait()
            except queue.Empty:
                return
            done.set_exception(failure)
