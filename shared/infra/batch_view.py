"""What a consumer's handler sees while the consumer applies a batch of messages in one
transaction: the aggregates earlier messages of the batch changed, not their stored state.

Handlers load aggregates with `app.repository.get(id)`. Within a batch the second message
for a case must see the first one's effect although nothing is stored yet, so while a batch
is open on a thread, `get` answers from the batch's own aggregates (the very objects the
earlier handlers changed) and remembers each aggregate it loads. Other threads (the API)
never see them: the view is per thread and gone when the batch ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from shared.infra.pinned_connection import ConnectionPin

_ATTRIBUTE = "_bum_batch_view"
_MAKING = threading.Lock()


class BatchView:
    def __init__(self, app: Any) -> None:
        self._local = threading.local()
        self._pin = ConnectionPin(app.recorder)
        repository = app.repository
        load = repository.get

        def get(aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
            batch: dict[UUID, Any] | None = getattr(self._local, "aggregates", None)
            if batch is None or args or kwargs:  # outside a batch, or an older version
                return load(aggregate_id, *args, **kwargs)
            found = batch.get(aggregate_id)
            if found is None:
                found = batch[aggregate_id] = load(aggregate_id)
            return found

        repository.get = get

    @contextmanager
    def open(self) -> Iterator[None]:
        """A batch on this thread: its aggregates, and one database connection for it."""
        self._local.aggregates = {}
        try:
            with self._pin.pinned():
                yield
        finally:
            self._local.aggregates = None

    def remember(self, aggregates: Iterable[Aggregate]) -> None:
        """Aggregates a handler returned (new ones included) are what later messages see."""
        batch: dict[UUID, Any] = self._local.aggregates
        for aggregate in aggregates:
            batch[aggregate.id] = aggregate

    def changed_but_not_returned(self) -> bool:
        """Did a handler change an aggregate without returning it? Then its change would
        be stored only if a later message returned the same aggregate: the batch cannot
        stand in for one transaction per message."""
        batch: dict[UUID, Any] = self._local.aggregates
        return any(getattr(a, "pending_events", None) for a in batch.values())


def batch_view(app: Any) -> BatchView:
    """The application's view, made on first use (one per application, shared by its
    consumers: each thread has its own batch)."""
    with _MAKING:
        view: BatchView | None = app.__dict__.get(_ATTRIBUTE)
        if view is None:
            view = BatchView(app)
            setattr(app, _ATTRIBUTE, view)
        return view
