"""Aggregates kept in memory by their one writer, instead of replayed for every command or
consumed message (issue 15).

Replaying an aggregate costs in proportion to its history: ~36% of supervision's consumer
CPU was replaying case histories, ~30% of visitation's replaying the case. The library's
own cache deep-copies every aggregate it hands out (so a failed command cannot corrupt
it), which measured slower than the replay. Here an aggregate is handed out *without* a
copy, and what keeps that safe is ownership instead:

- A cache belongs to one writer: the command lanes of an application (writer_lanes.py)
  or one consumer. Only the writer holding an aggregate's turn gets the cached instance;
  a query (no turn on its thread) replays as before, so it never sees a writer's
  instance half-way through a command.
- A turn that fails (the command raised, its save failed, a consumer batch's transaction
  failed) evicts every aggregate it was handed: their in-memory state may hold changes
  the store never got, and a redelivered message must not find them applied.
- An aggregate the turn changed but did not save is evicted even when the turn succeeds.
- Every write this process records evicts the other caches' older copies of the
  aggregates it wrote (`evict_older`); a write by another process is caught by the
  store's version check when the stale copy is saved (IntegrityError), which evicts it,
  and the writer retries once on fresh state.

The cache is bounded by count (least recently used goes first): set by
BUM_AGGREGATE_CACHE_SIZE (0 turns caching off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

#: Aggregates kept per cache unless configured otherwise. Large aggregates (a year-old
#: order, a case history) take a few MB each in memory.
DEFAULT_SIZE = 500


class AggregateCache:
    """Least recently used aggregates by id, each with the tags (consumer partitions) it
    was kept under. Safe to call from any thread: the owner reads and writes it, others
    only evict."""

    def __init__(self, maxsize: int = DEFAULT_SIZE) -> None:
        if maxsize < 1:
            raise ValueError("an aggregate cache holds at least one aggregate")
        self.maxsize = maxsize
        self._entries: OrderedDict[UUID, Any] = OrderedDict()
        self._tags: dict[UUID, set[str]] = {}
        # The version this process last stored of each kept aggregate (as many as kept):
        # a command whose save lost to one of those lost a race in this process (409),
        # not to a write elsewhere that its copy had not heard of.
        self._written: OrderedDict[UUID, int] = OrderedDict()
        self._lock = threading.Lock()
        #: Bumped by every drop of a tag (or of everything): a consumer batch that saw it
        #: change keeps nothing, since its aggregates may belong to a revoked partition.
        self.drops = 0
        self.hits = self.misses = self.evictions = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, aggregate_id: object) -> bool:
        return aggregate_id in self._entries

    def get(self, aggregate_id: UUID) -> Any | None:
        with self._lock:
            found = self._entries.get(aggregate_id)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(aggregate_id)
            self.hits += 1
            return found

    def put(self, aggregate: Any, tag: str | None = None) -> None:
        with self._lock:
            if self._written.get(aggregate.id, 0) > aggregate.version:
                # This process stored a later version while the copy was out (a second
                # command on the aggregate ran on its own replay): the copy is stale.
                self._entries.pop(aggregate.id, None)
                return
            self._entries[aggregate.id] = aggregate
            self._entries.move_to_end(aggregate.id)
            if tag is not None:
                self._tags.setdefault(aggregate.id, set()).add(tag)
            while len(self._entries) > self.maxsize:
                gone, _ = self._entries.popitem(last=False)
                self._tags.pop(gone, None)

    def evict(self, aggregate_ids: Iterable[UUID]) -> None:
        with self._lock:
            for aggregate_id in aggregate_ids:
                if self._entries.pop(aggregate_id, None) is not None:
                    self.evictions += 1
                self._tags.pop(aggregate_id, None)

    def evict_older(self, aggregate_id: UUID, version: int) -> None:
        """This process stored `aggregate_id` at `version`: a copy below it is stale."""
        with self._lock:
            found = self._entries.get(aggregate_id)
            if found is None:
                return
            self._written[aggregate_id] = version
            self._written.move_to_end(aggregate_id)
            while len(self._written) > self.maxsize:
                self._written.popitem(last=False)
            if found.version < version:
                del self._entries[aggregate_id]
                self._tags.pop(aggregate_id, None)
                self.evictions += 1

    def written_here(self, aggregate_id: UUID) -> int | None:
        """The version this process last stored of a kept aggregate (None: not known)."""
        return self._written.get(aggregate_id)

    def drop_tag(self, tag: str) -> None:
        """Forget every aggregate kept under `tag` (a partition this consumer lost)."""
        with self._lock:
            self.drops += 1
            for aggregate_id in [a for a, tags in self._tags.items() if tag in tags]:
                self._entries.pop(aggregate_id, None)
                del self._tags[aggregate_id]

    def clear(self) -> None:
        with self._lock:
            self.drops += 1
            self._entries.clear()
            self._tags.clear()

    def status(self) -> dict[str, int]:
        return {
            "size": len(self._entries),
            "hits": self.hits,
            "misses": self.misses,
            "evictions": self.evictions,
        }


class Turn:
    """One writer's turn (a command in its lanes, a consumer's batch or message): the
    aggregates it may take from `cache` without a copy, and what it was handed.

    `owns(id)` says which ids the turn writes (a command: those in the lanes it holds; a
    consumer: all). `get` on the repository answers an owned id from `handed`, then from
    the cache, then from the store, and remembers it in `handed`: a second look within the
    turn sees the first one's changes (a consumer batch's later messages see the earlier)."""

    def __init__(
        self,
        cache: AggregateCache | None,
        owns: Callable[[UUID], bool] = lambda _id: True,
        *,
        tracked: bool = False,
    ) -> None:
        self.cache = cache
        self.owns = owns
        #: A consumer's turn: its tracking dropped every redelivery before the handler ran,
        #: so a handler may append without loading what it would need to spot one.
        self.tracked = tracked
        self.handed: dict[UUID, Any] = {}
        #: Ids a read-ahead found not stored (`HurtigRepository.forhaand`): `get` answers
        #: them "not found" without asking the store again, unless the turn made them.
        self.absent: set[UUID] = set()
        #: Ids a read-ahead found stored: `in` answers them without asking again.
        self.present: set[UUID] = set()
        self.from_cache: set[UUID] = set()
        #: Did a save of this turn succeed? A turn that stored something is not run again.
        self.saved = False
        #: What the turn keeps on success: aggregate id -> (aggregate, tags).
        self.kept: dict[UUID, tuple[Any, set[str]]] = {}
        self._drops_at_start = cache.drops if cache is not None else 0

    def keep(self, aggregates: Iterable[Any], tag: str | None = None) -> None:
        """The turn's writer folds these (a consumer's handler returned them)."""
        for aggregate in aggregates:
            tags = self.kept.get(aggregate.id, (None, set[str]()))[1]
            self.kept[aggregate.id] = (aggregate, tags)
            if tag is not None:
                tags.add(tag)

    def forget(self, aggregate_ids: Iterable[UUID]) -> None:
        """A save of these failed: the next look within the turn reads the store."""
        for aggregate_id in aggregate_ids:
            self.handed.pop(aggregate_id, None)
            self.kept.pop(aggregate_id, None)

    def failed(self) -> None:
        """Nothing the turn was handed stays cached."""
        if self.cache is not None:
            self.cache.evict([*self.handed, *self.kept])

    def succeeded(self, keep_handed: bool) -> None:
        """What the turn saved (or only read, with `keep_handed`) stays cached; what it
        changed and did not save is evicted. A consumer keeps what its handler returned
        (`keep`), a command everything it was handed in its own lanes."""
        cache = self.cache
        if cache is None:
            return
        if cache.drops != self._drops_at_start:
            # A partition was revoked (or everything dropped) during the turn: what it
            # holds may be a lost partition's; keep nothing.
            cache.evict([*self.handed, *self.kept])
            return
        unsaved = [i for i, a in self.handed.items() if getattr(a, "pending_events", None)]
        unsaved += [i for i, (a, _) in self.kept.items() if getattr(a, "pending_events", None)]
        cache.evict(unsaved)
        if keep_handed:
            for aggregate_id, aggregate in self.handed.items():
                if aggregate_id not in unsaved and aggregate_id not in self.kept:
                    cache.put(aggregate)
        for aggregate_id, (aggregate, tags) in self.kept.items():
            if aggregate_id in unsaved:
                continue
            for tag in tags or (None,):
                cache.put(aggregate, tag)
