"""The library's SQLite persistence with our process recorder (PERSISTENCE_MODULE names
this module; the library takes the one infrastructure factory it finds here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing import sqlite as library
from eventsourcing.persistence import StoredEvent

from shared.infra.es.common import MORE_TRACKING


class SQLiteProcessRecorder(library.SQLiteProcessRecorder):
    """Tracking records for a whole batch of messages.

    The library's process recorder writes one tracking record per transaction; a consumer
    that applies a poll batch in one transaction needs several (one per case the batch
    touches). `insert_events(..., tracking=t1, more_tracking=[t2, ...])` writes every
    record in the events' transaction, through the same private hooks the library's own
    record uses (`_insert_events`, `_insert_tracking`). Each insert fails (IntegrityError,
    everything rolls back) when its name already has that position or a later one, exactly
    like the first record.
    """

    def _insert_events(
        self, c: library.SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # After the library's own record, in the order given: a name may come twice (its
        # first position in the batch, which guards against a redelivery, then its last).
        returning = super()._insert_events(c, stored_events, **kwargs)
        for tracking in kwargs.get(MORE_TRACKING, ()):
            self._insert_tracking(c, tracking)
        return returning


class SQLiteFactory(library.SQLiteFactory):
    process_recorder_class = SQLiteProcessRecorder


__all__ = ["SQLiteFactory", "SQLiteProcessRecorder"]
