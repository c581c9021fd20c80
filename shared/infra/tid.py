"""The one application clock: every stamp a service puts on a command, and every "today" a
route defaults to, is read here, never from `datetime.now()` or `date.today()` directly. The
domain gets the time as an argument, so its rules stay pure and replays reproduce them.

The clock is the host's clock moved by a fixed offset (`BUM_CLOCK_OFFSET_SECONDS`, zero in
production). A training environment, a demonstration or an end-to-end test sets the offset so
that every process of a stack reads the same chosen instant and lets it run on from there;
`offset_to(instant)` computes it. Token lifetimes and network timeouts are about the real
world and keep reading the host's clock.

`UR` is the process's clock: `runner.main` moves it once from the settings, the wiring hands
it to every application (`EventStoreApplication.ur`), and the library stamps events with it
(es/tidsstempel.py). The functions below read it, for code that holds no application.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DANMARK = ZoneInfo("Europe/Copenhagen")


class Ur:
    """An application clock: the host's clock moved by an offset (zero: the host's)."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        #: How far this clock is ahead of the host's (negative: behind).
        self._offset = timedelta(seconds=offset_seconds)

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        return datetime.now(UTC) + self._offset

    def idag(self) -> date:
        """Today in Denmark: the calendar day deadlines, plans and validity periods count in."""
        return self.now().astimezone(DANMARK).date()

    def set_offset(self, seconds: float) -> None:
        """Move the clock (the process's: once at start; a test: for its duration)."""
        self._offset = timedelta(seconds=seconds)

    @property
    def offset_seconds(self) -> float:
        return self._offset.total_seconds()


#: The process's application clock.
UR = Ur()


def now() -> datetime:
    """The current instant by the process's clock, timezone-aware (UTC)."""
    return UR.now()


def idag() -> date:
    """Today in Denmark by the process's clock."""
    return UR.idag()


def set_offset(seconds: float) -> None:
    """Move this process's application clock (runner.main does it once from the settings)."""
    UR.set_offset(seconds)


def offset_to(instant: datetime) -> float:
    """The offset (seconds) that makes the application clock read `instant` right now."""
    if instant.tzinfo is None:
        raise ValueError("the clock's instant must be timezone-aware")
    return (instant - datetime.now(UTC)).total_seconds()


def current_offset() -> float:
    return UR.offset_seconds


def vent(stop: threading.Event, sekunder: float) -> bool:
    """Wait up to `sekunder`, or until `stop` is set (then True), for a background loop.

    In slices of `time.sleep`, not `Event.wait(timeout)`: a lock's timed wait counts to an
    absolute deadline, and where the process clock is shifted (libfaketime in
    `.ci/any-day`, weeks ahead) it waited the whole shift, so the late-visit check never
    ran. A relative sleep is unaffected; a slice bounds how late a stop is seen."""
    slut = time.monotonic() + sekunder
    while not stop.is_set():
        rest = slut - time.monotonic()
        if rest <= 0:
            return False
        time.sleep(min(rest, 0.25))
    return True
