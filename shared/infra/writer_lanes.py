"""One writer per aggregate: at most one command at a time holds an aggregate's cached
instance.

An aggregate kept in memory (aggregate_cache.py) is handed out without a copy, so two
commands must never hold it at once. A command claims the ids of the aggregates it writes
(a lane per id) for as long as it runs and saves; commands on other aggregates run in
parallel on their own threads, and their saves still share transactions in the
GroupCommitter, the one place transactions are batched. No writer thread is in between:
a command runs on its request's thread, so an uncontended command costs one claim.
Measured (bench/cache.py, 8 threads on their own orders, same run): a writer per
aggregate 1,391 deliveries/s at 0.52 ms CPU each, 4 commands per transaction; one
command at a time in the whole application (a single writer) 491/s, one per transaction,
since each command then waits for the commit of the one before it; cache off 524/s.

A second command that arrives while another holds the aggregate does not queue behind
it: it runs as every command did before the cache, on its own replay of the aggregate,
and the store's version check decides between the two (the loser answers 409). Queueing
it would run it on the winner's result instead, a decision made on a state its author
never saw (tests/faults/test_concurrent_decision.py: two visitators decide at once, one
gets 409). Contention on one aggregate is rare; its cost is today's replay.

Between processes nothing is claimed: a write by another process is caught by the store's
version check when the stale copy is saved (EventStoreApplication.run_command).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from uuid import UUID


class WriterLanes:
    def __init__(self) -> None:
        self._busy: set[UUID] = set()
        self._lock = threading.Lock()
        self._held = threading.local()
        #: Commands that found their aggregate held by another and ran on a replay.
        self.contended = 0

    def held(self) -> frozenset[UUID]:
        """The aggregate ids this thread holds now."""
        found: frozenset[UUID] = getattr(self._held, "ids", frozenset())
        return found

    def owns(self, aggregate_id: UUID) -> bool:
        """Is this thread the aggregate's one writer now?"""
        return aggregate_id in self.held()

    @contextmanager
    def claim(self, aggregate_ids: Iterable[UUID]) -> Iterator[bool]:
        """Hold `aggregate_ids` while the block runs, if no other thread holds any of
        them: yields whether this thread holds them all (ids it held already count)."""
        held = self.held()
        wanted = set(aggregate_ids) - held
        with self._lock:
            free = self._busy.isdisjoint(wanted)
            if free:
                self._busy |= wanted
            else:
                self.contended += 1
        if not free:
            yield False
            return
        self._held.ids = held | wanted
        try:
            yield True
        finally:
            self._held.ids = held
            with self._lock:
                self._busy -= wanted
