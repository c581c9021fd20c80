"""An aggregate at its stored version without replaying its history (a "head").

A writer that only appends to a long stream (supervision's case history records every
public event of a case: a year of home care is ~1,500 of them) needs the stream's version
to append at, and a few facts the aggregate keeps about itself, not every event before.
The library has one public way to make an aggregate at a version from a state instead of
its events: a `Snapshot` event's `mutate`. We build such a snapshot in memory (none is
stored) with the state the aggregate's class says a head holds. The state's
`_created_on`/`_modified_on` are the library's own attribute names, which is why this
lives inside the fence (tests/unit/test_library_hooks.py checks them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

A = TypeVar("A", bound=Aggregate)


def aggregat_ved_version(
    cls: type[A],
    aggregate_id: UUID,
    version: int,
    created_on: datetime,
    modified_on: datetime,
    state: dict[str, Any],
) -> A:
    """`cls` at `version` with `state` as its attributes; the next event it triggers is
    stored at `version + 1`, so the store's version check still catches a writer that
    appended meanwhile."""
    snapshot = Aggregate.Snapshot(
        originator_id=aggregate_id,
        originator_version=version,
        timestamp=modified_on,
        topic=get_topic(cls),
        state={"_created_on": created_on, "_modified_on": modified_on, **state},
    )
    aggregate = snapshot.mutate(None)
    assert isinstance(aggregate, cls)
    return aggregate
