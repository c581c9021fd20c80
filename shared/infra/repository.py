"""The library's repository, replaying aggregates without a Protocol check per event, and
answering from a consumer batch's own aggregates while one is open on the thread.

eventsourcing's default projector (`project_aggregate`) runs
`assert isinstance(event, CanMutateProtocol)` for every event it replays. That protocol
is `runtime_checkable`, and such an isinstance walks the protocol's members on every call
(typing._get_protocol_attrs): ~50 µs an event, about 1 ms of a delivery command, which
replays its order. Every event our aggregates store derives from one of two concrete
library classes; checking those is a plain type check.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository
from eventsourcing.domain import CanMutateAggregate, CanSnapshotAggregate

_KAN_MUTERE = (CanMutateAggregate, CanSnapshotAggregate)


def projicer(aggregate: Any, events: Iterable[Any]) -> Any:
    """`project_aggregate` with a concrete type check in place of the Protocol check."""
    for event in events:
        if not isinstance(event, _KAN_MUTERE):
            raise TypeError(f"{type(event).__qualname__} cannot mutate an aggregate")
        aggregate = event.mutate(aggregate)
    return aggregate


class HurtigRepository(Repository[UUID]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._batch = threading.local()

    def open_batch(self) -> dict[UUID, Any]:
        """From now on `get` on this thread answers from (and remembers in) the returned
        dict, until `close_batch` (see batch_view.py)."""
        aggregates: dict[UUID, Any] = {}
        self._batch.aggregates = aggregates
        return aggregates

    def close_batch(self) -> None:
        self._batch.aggregates = None

    def batch_aggregates(self) -> dict[UUID, Any] | None:
        """The aggregates of the batch open on this thread (None: no batch)."""
        found: dict[UUID, Any] | None = getattr(self._batch, "aggregates", None)
        return found

    def get(  # type: ignore[override]
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: Any = projicer,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        batch = self.batch_aggregates()
        if batch is not None and (
            # Only the current version, loaded the usual way, is the batch's to answer.
            version is None
            and projector_func is projicer
            and not fastforward_skipping
            and deepcopy_from_cache
        ):
            found = batch.get(aggregate_id)
            if found is None:
                found = batch[aggregate_id] = self._load(aggregate_id)
            return found
        return self._load(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )

    def _load(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: Any = projicer,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        return super().get(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )
