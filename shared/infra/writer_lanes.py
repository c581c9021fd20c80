"""One writer per aggregate: commands on the same aggregate run one after the other.

An aggregate kept in memory (aggregate_cache.py) is handed out without a copy, so two
commands must never hold it at once. Each aggregate id falls in one of N lanes
(`id.int % N`, the same in every process, so processes can partition the same way); a
command holds the lanes of the aggregates it writes for as long as it runs and saves.
Commands in other lanes run in parallel on their own threads, and their saves still share
transactions in the GroupCommitter, the one place transactions are batched: a lane does
not wait for a writer thread, only for the command before it on the same lanes.

Lanes rather than one writer thread, by measurement (bench/cache.py): with one lane
every command waits for the commit of the one before it, so group commit never gets more
than one command per transaction.

Several lanes are taken in ascending order, so two commands over overlapping sets of
aggregates cannot deadlock. A command on this thread that asks for lanes it already holds
runs inside the turn it is in.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from uuid import UUID

#: Lanes unless configured (BUM_WRITER_LANES).
DEFAULT_LANES = 16


class WriterLanes:
    def __init__(self, lanes: int = DEFAULT_LANES) -> None:
        if lanes < 1:
            raise ValueError("at least one writer lane")
        self._locks = [threading.Lock() for _ in range(lanes)]
        self._held = threading.local()

    def lane_of(self, aggregate_id: UUID) -> int:
        return aggregate_id.int % len(self._locks)

    def held(self) -> frozenset[int]:
        """The lanes this thread holds now."""
        found: frozenset[int] = getattr(self._held, "lanes", frozenset())
        return found

    def owns(self, aggregate_id: UUID) -> bool:
        """Does this thread hold the aggregate's lane (is it its one writer now)?"""
        return self.lane_of(aggregate_id) in self.held()

    @contextmanager
    def hold(self, aggregate_ids: Iterable[UUID]) -> Iterator[frozenset[int]]:
        """Hold the lanes of `aggregate_ids` (in ascending order) while the block runs;
        yields the lanes newly taken (empty: the thread held them all already)."""
        held = self.held()
        wanted = sorted({self.lane_of(i) for i in aggregate_ids} - held)
        taken: list[int] = []
        try:
            for lane in wanted:
                self._locks[lane].acquire()
                taken.append(lane)
            self._held.lanes = held | frozenset(taken)
            yield frozenset(taken)
        finally:
            self._held.lanes = held
            for lane in reversed(taken):
                self._locks[lane].release()
