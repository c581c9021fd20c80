"""Danish legal clocks: working days and deadline arithmetic (pure; no clock reading).

Public holidays come from the maintained `holidays` library (Store Bededag is gone from
2024 there, as in law), not from a hand-kept list. "Today" is always an argument, so every
deadline is reproducible in a test and in a replay.

Total functions: a date near `date.max` (stored before the APIs bounded dates) gives
`date.max`, "never", instead of an `OverflowError` that would break every read of the case.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from shared.kernel.tidsramme import plus_dage


@lru_cache(maxsize=64)
def _helligdage(aar: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=aar).keys())


@dataclass(frozen=True)
class Arbejdskalender:
    """Working days of one kommune: Monday-Friday except public holidays and the kommune's
    own closed days (kommune.yaml; e.g. 24 and 31 December). The default has none, so a
    kommune that says nothing counts those days as working days, as the law does."""

    aarlige_lukkedage: frozenset[tuple[int, int]] = frozenset()  # (month, day)
    lukkedage: frozenset[date] = frozenset()

    def er_arbejdsdag(self, d: date) -> bool:
        return (
            d.weekday() < 5
            and d not in _helligdage(d.year)
            and (d.month, d.day) not in self.aarlige_lukkedage
            and d not in self.lukkedage
        )

    def naeste_arbejdsdag(self, d: date) -> date:
        """`d` itself if it is a working day, else the next one."""
        while not self.er_arbejdsdag(d) and d < date.max:
            d += timedelta(days=1)
        return d

    def plus_arbejdsdage(self, start: date, antal: int) -> date:
        """The `antal`-th working day after `start` (the start day itself does not count)."""
        d = start
        talt = 0
        while talt < antal and d < date.max:
            d += timedelta(days=1)
            if self.er_arbejdsdag(d):
                talt += 1
        return d

    def plus_uger(self, start: date, uger: int) -> date:
        """A week deadline ends on the same weekday; if that is a weekend, public holiday or
        a day the kommune is closed it runs to the next working day (as Ankestyrelsen counts
        klagefrister: a deadline cannot end on a day the authority cannot be reached)."""
        return self.naeste_arbejdsdag(plus_dage(start, uger=uger))


#: Public holidays and weekends only: every kommune's calendar before its own closed days.
STANDARDKALENDER = Arbejdskalender()


def er_arbejdsdag(d: date) -> bool:
    return STANDARDKALENDER.er_arbejdsdag(d)


def naeste_arbejdsdag(d: date) -> date:
    return STANDARDKALENDER.naeste_arbejdsdag(d)


def plus_arbejdsdage(start: date, antal: int) -> date:
    return STANDARDKALENDER.plus_arbejdsdage(start, antal)


def plus_uger(start: date, uger: int) -> date:
    return STANDARDKALENDER.plus_uger(start, uger)


def plus_maaneder(start: date, maaneder: int) -> date:
    """Same day of month `maaneder` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    m = start.month - 1 + maaneder
    aar, maaned = start.year + m // 12, m % 12 + 1
    if not date.min.year <= aar <= date.max.year:
        return date.max if maaneder > 0 else date.min
    return date(aar, maaned, min(start.day, calendar.monthrange(aar, maaned)[1]))


def foerste_i_maaneden_efter_naeste(d: date) -> date:
    """Leverandørskift: "løbende måned + 1 måned" takes effect on this day."""
    m = d.month + 1  # zero-based month index of the month after next
    aar = d.year + m // 12
    return date.max if aar > date.max.year else date(aar, m % 12 + 1, 1)
