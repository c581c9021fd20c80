"""The clock the application layers stamp commands with (the domain gets the time as an
argument, so its rules stay pure and replays reproduce them)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
