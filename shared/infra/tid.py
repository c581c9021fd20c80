"""The one application clock: every stamp a service puts on a command, and every "today" a
route defaults to, is read here, never from `datetime.now()` or `date.today()` directly. The
domain gets the time as an argument, so its rules stay pure and replays reproduce them.

The clock is the host's clock moved by a fixed offset (`BUM_CLOCK_OFFSET_SECONDS`, zero in
production). A training environment, a demonstration or an end-to-end test sets the offset so
that every process of a stack reads the same chosen instant and lets it run on from there;
`offset_to(instant)` computes it. Token lifetimes and network timeouts are about the real
world and keep reading the host's clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DANMARK = ZoneInfo("Europe/Copenhagen")

#: How far the application clock is ahead of the host's (negative: behind).
_offset = timedelta(0)


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC) + _offset


def idag() -> date:
    """Today in Denmark: the calendar day deadlines, plans and validity periods count in."""
    return now().astimezone(DANMARK).date()


def set_offset(seconds: float) -> None:
    """Move this process's application clock (wiring does it once from the settings)."""
    global _offset
    _offset = timedelta(seconds=seconds)


def offset_to(instant: datetime) -> float:
    """The offset (seconds) that makes the application clock read `instant` right now."""
    if instant.tzinfo is None:
        raise ValueError("the clock's instant must be timezone-aware")
    return (instant - datetime.now(UTC)).total_seconds()


def current_offset() -> float:
    return _offset.total_seconds()
