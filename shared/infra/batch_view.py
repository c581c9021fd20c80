"""What a consumer's handler sees while the consumer applies a batch of messages in one
transaction: the aggregates earlier messages of the batch changed, not their stored state.

Handlers load aggregates with `app.repository.get(id)`. Within a batch the second message
for a case must see the first one's effect although nothing is stored yet, so while a batch
is open on a thread, `get` answers from the batch's own aggregates (the very objects the
earlier handlers changed) and remembers each aggregate it loads (`HurtigRepository`); with
the consumer's cache, state folded by earlier batches is not replayed either. Other
threads (the API) never see them: the view is per thread and gone when the batch ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from shared.infra.aggregate_cache import Turn
from shared.infra.es import pinned_connection
from shared.infra.repository import HurtigRepository


class BatchView:
    def __init__(self, app: Any) -> None:
        repository = app.repository
        if not isinstance(repository, HurtigRepository):
            raise TypeError(f"{type(app).__qualname__}'s repository cannot hold a batch")
        self.repository = repository
        self._recorder = app.recorder

    @contextmanager
    def open(self, turn: Turn | None = None) -> Iterator[None]:
        """A batch on this thread: its aggregates, and one database connection for it.
        With a `turn`, what the batch is handed comes from (and is counted against) the
        consumer's cache (aggregate_cache.py); keeping or evicting is the caller's."""
        self.repository.open_batch(turn)
        try:
            with pinned_connection(self._recorder):
                yield
        finally:
            self.repository.close_batch()

    def _aggregates(self) -> dict[UUID, Any]:
        batch = self.repository.batch_aggregates()
        assert batch is not None, "no batch open on this thread"
        return batch

    def remember(self, aggregates: Iterable[Aggregate]) -> None:
        """Aggregates a handler returned (new ones included) are what later messages see."""
        batch = self._aggregates()
        for aggregate in aggregates:
            batch[aggregate.id] = aggregate

    def changed_but_not_returned(self) -> bool:
        """Did a handler change an aggregate without returning it? Then its change would
        be stored only if a later message returned the same aggregate: the batch cannot
        stand in for one transaction per message."""
        return any(getattr(a, "pending_events", None) for a in self._aggregates().values())


def batch_view(app: Any) -> BatchView:
    """The application's view (the state lives in its repository, per thread, so views of
    one application are interchangeable)."""
    return BatchView(app)
