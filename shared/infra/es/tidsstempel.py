"""Events are stamped by the application clock (`shared/infra/tid.py`), not the host's.

The library stamps every new domain event with `CanCreateTimestamp.create_timestamp()`,
which reads `datetime.now()`. That stamp travels as `ce_recordedtime` and is what an
auditor's "state as of a date" (supervision's as-of views) cuts on, while every other
instant of a command (`occurred_at`, deadlines, "today") is read from the application
clock. With a clock moved by `BUM_CLOCK_OFFSET_SECONDS` (a training stack, the end-to-end
tests) the two disagreed and an as-of view dropped events stamped "before" they happened.

The library resolves `create_timestamp` on the event class, and no event class of ours
overrides it, so replacing the one static method on the library's mixin reaches every
event class of every aggregate (ours and the library's own) without a common base class
in the pure domain layer. Installed once, when the fence is imported (every service's
event store imports it). In production the offset is zero and the stamp is the same
`datetime.now(UTC)` the library would have taken.
"""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import CanCreateTimestamp

from shared.infra import tid


def _application_clock() -> datetime:
    return tid.now()


def stamp_events_with_the_application_clock() -> None:
    CanCreateTimestamp.create_timestamp = staticmethod(_application_clock)  # type: ignore[method-assign]


__all__ = ["stamp_events_with_the_application_clock"]
