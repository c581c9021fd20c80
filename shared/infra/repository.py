"""The library's repository, replaying aggregates without a Protocol check per event, and
answering from a consumer batch's own aggregates while one is open on the thread.

eventsourcing's default projector (`project_aggregate`) runs
`assert isinstance(event, CanMutateProtocol)` for every event it replays. That protocol
is `runtime_checkable`, and such an isinstance walks the protocol's members on every call
(typing._get_protocol_attrs): ~50 µs an event, about 1 ms of a delivery command, which
replays its order. Every event our aggregates store derives from one of two concrete
library classes; checking those is a plain type check.

While a writer's turn is open on the thread (a command in its lanes, a consumer's batch:
aggregate_cache.py), `get` answers the ids the turn owns from what the turn was handed,
then from the writer's cache without a copy, then from the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import CanMutateAggregate, CanSnapshotAggregate

from shared.infra.aggregate_cache import Turn
from shared.infra.es.forhaand import alle_haendelser, nyeste_og_foerste
from shared.infra.metrics import Timings

_KAN_MUTERE = (CanMutateAggregate, CanSnapshotAggregate)


def projicer(aggregate: Any, events: Iterable[Any]) -> Any:
    """`project_aggregate` with a concrete type check in place of the Protocol check."""
    for event in events:
        if not isinstance(event, _KAN_MUTERE):
            raise TypeError(f"{type(event).__qualname__} cannot mutate an aggregate")
        aggregate = event.mutate(aggregate)
    return aggregate


class HurtigRepository(Repository[UUID]):
    def __init__(self, *args: Any, timings: Timings | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turns = threading.local()
        #: Loads from the store (read and replay; not what a turn or cache answers), timed
        #: for /metrics: how long aggregates take to load as their histories grow.
        self.timings = timings or Timings(enabled=False)

    # -- a writer's turn on this thread (aggregate_cache.py) -------------------------------
    def begin_turn(self, turn: Turn) -> None:
        """From now on `get` on this thread answers the ids `turn` owns from the turn (and
        its cache, without a copy), until `end_turn`."""
        self._turns.turn = turn

    def end_turn(self) -> None:
        self._turns.turn = None

    def current_turn(self) -> Turn | None:
        found: Turn | None = getattr(self._turns, "turn", None)
        return found

    def open_batch(self, turn: Turn | None = None) -> dict[UUID, Any]:
        """A consumer batch (see batch_view.py): a turn that owns every id, with no cache
        unless given one; returns what it is handed."""
        turn = turn or Turn(None)
        self.begin_turn(turn)
        return turn.handed

    def close_batch(self) -> None:
        self.end_turn()

    def batch_aggregates(self) -> dict[UUID, Any] | None:
        """The aggregates of the turn open on this thread (None: no turn)."""
        turn = self.current_turn()
        return None if turn is None else turn.handed

    def __contains__(self, aggregate_id: object) -> bool:
        """Whether `get` would find the aggregate, without replaying it (the library's
        replays the whole history): the turn's own first (a consumer batch's new and changed
        aggregates are not stored yet), then its cache, then one row of the store. A
        consumer asking "is this order known?" for every grant of a decision paid a year-old
        order's replay per grant."""
        if not isinstance(aggregate_id, UUID):
            return False
        turn = self.current_turn()
        if turn is not None and turn.owns(aggregate_id):
            if aggregate_id in turn.handed or aggregate_id in turn.present:
                return True
            if turn.cache is not None and aggregate_id in turn.cache:
                return True
            if aggregate_id in turn.absent:
                return False
        return bool(self.event_store.recorder.select_events(aggregate_id, desc=True, limit=1))

    def forhaand_hele(self, aggregate_ids: Iterable[UUID]) -> None:
        """Read ahead for the turn open on this thread: the ids it owns and holds neither
        handed nor cached are loaded whole, all in one query (es/forhaand.py) and replayed
        here, and handed to the turn; those not stored are marked absent. For handlers
        that read an aggregate they will not keep (visitation checks an order receipt
        against the case). Outside a turn: nothing."""
        turn = self.current_turn()
        if turn is None:
            return
        wanted = self._unknown_to(turn, aggregate_ids)
        if not wanted:
            return
        started = time.perf_counter()
        try:
            stored = alle_haendelser(self.event_store.recorder, wanted)
            mapper = self.event_store.mapper
            for aggregate_id, events in stored.items():
                turn.handed[aggregate_id] = projicer(
                    None, (mapper.to_domain_event(e) for e in events)
                )
        finally:
            self.timings.store_call("read_ahead", time.perf_counter() - started)
        turn.absent.update(i for i in wanted if i not in stored)

    @staticmethod
    def _unknown_to(turn: Turn, aggregate_ids: Iterable[UUID]) -> list[UUID]:
        """Of `aggregate_ids`, those the turn owns and knows nothing of yet."""
        return [
            i
            for i in dict.fromkeys(aggregate_ids)
            if turn.owns(i)
            and i not in turn.handed
            and i not in turn.absent
            and i not in turn.present
            and (turn.cache is None or i not in turn.cache)
        ]

    def forhaand(
        self, aggregate_ids: Iterable[UUID], *, foerste: bool = False
    ) -> tuple[dict[UUID, Any], dict[UUID, Any]]:
        """Read ahead for the turn open on this thread (a consumer's batch): of the ids it
        owns and holds neither handed nor cached, which are stored, in one query
        (es/forhaand.py). Those not stored are marked absent in the turn, the others present;
        returned: each stored id's newest event and (with `foerste`) its first, decoded, for
        a caller that makes heads of them. Outside a turn: nothing."""
        turn = self.current_turn()
        if turn is None:
            return {}, {}
        wanted = self._unknown_to(turn, aggregate_ids)
        if not wanted:
            return {}, {}
        started = time.perf_counter()
        try:
            nyeste, forste = nyeste_og_foerste(self.event_store.recorder, wanted, foerste=foerste)
            mapper = self.event_store.mapper
            decoded_newest = {i: mapper.to_domain_event(e) for i, e in nyeste.items()}
            decoded_first = {i: mapper.to_domain_event(e) for i, e in forste.items()}
        finally:
            self.timings.store_call("read_ahead", time.perf_counter() - started)
        turn.present.update(nyeste)
        turn.absent.update(i for i in wanted if i not in nyeste)
        return decoded_newest, decoded_first

    def get(  # type: ignore[override]
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: Any = projicer,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        turn = self.current_turn()
        if (
            turn is not None
            # Only the current version, loaded the usual way, is the turn's to answer.
            and version is None
            and projector_func is projicer
            and not fastforward_skipping
            and deepcopy_from_cache
            and turn.owns(aggregate_id)
        ):
            found = turn.handed.get(aggregate_id)
            if found is None:
                found = turn.cache.get(aggregate_id) if turn.cache is not None else None
                if found is not None:
                    turn.from_cache.add(aggregate_id)
                elif aggregate_id in turn.absent:
                    raise AggregateNotFoundError(aggregate_id)
                else:
                    found = self._load(aggregate_id)
                turn.handed[aggregate_id] = found
            return found
        return self._load(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )

    def get_for_writer(self, aggregate_id: UUID, load: Callable[[UUID], Any]) -> Any:
        """Like `get`, but what is not in the writer's turn or cache comes from `load`
        (e.g. a head without its history, shared/infra/es/hoved.py), not from a replay;
        `load` answers None for an aggregate not stored. Outside a turn: `load`."""
        turn = self.current_turn()
        if turn is None or not turn.owns(aggregate_id):
            return self._timed_head(load, aggregate_id)
        found = turn.handed.get(aggregate_id)
        if found is None:
            found = turn.cache.get(aggregate_id) if turn.cache is not None else None
            if found is not None:
                turn.from_cache.add(aggregate_id)
            elif aggregate_id not in turn.absent:
                found = self._timed_head(load, aggregate_id)
            if found is not None:
                turn.handed[aggregate_id] = found
        return found

    def _timed_head(self, load: Callable[[UUID], Any], aggregate_id: UUID) -> Any:
        started = time.perf_counter()
        try:
            return load(aggregate_id)
        finally:
            self.timings.store_call("load_head", time.perf_counter() - started)

    def _load(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: Any = projicer,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        started = time.perf_counter()
        try:
            return super().get(
                aggregate_id,
                version=version,
                projector_func=projector_func,
                fastforward_skipping=fastforward_skipping,
                deepcopy_from_cache=deepcopy_from_cache,
            )
        finally:
            self.timings.store_call("load", time.perf_counter() - started)
