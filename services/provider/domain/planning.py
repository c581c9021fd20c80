"""Visit planning: a pure function of the granted frequency and the calendar.

"2 gange om ugen" becomes fixed weekdays, "hver 14. dag" every other week on the start
weekday, "3 gange dagligt" three time windows each day. The provider adjusts single visits
afterwards; this only turns a grant into a first plan.

Helligdage (`holidays`, DK): personal care and meals are needed every day, so those visits
stay on a public holiday. Practical help and rehabilitation training move to the next
working day (Monday to Friday, not a holiday) within the grant on which the order has no
visit in that window; if there is none within a week (a plan on every working day), the
visit stays on the holiday rather than being lost. Weekend visits a grant asks for
(6 or 7 a week) are not moved: only holidays are.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from shared.kernel.tidsramme import plus_dage

#: Weekdays (0 = Monday) used for n visits a week: spread out, weekdays first.
UGEDAGE: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
#: Time windows for n visits a day.
TIDSVINDUER: dict[int, tuple[str, ...]] = {
    1: ("formiddag",),
    2: ("morgen", "aften"),
    3: ("morgen", "middag", "aften"),
    4: ("morgen", "middag", "aften", "nat"),
}
#: When each window starts (hour), used for the notice a cancellation gave.
VINDUE_START_TIME: dict[str, int] = {
    "morgen": 7,
    "formiddag": 9,
    "middag": 12,
    "eftermiddag": 14,
    "aften": 17,
    "nat": 22,
}


#: Window (from, to) in minutes after midnight: where a helper's visit must lie.
VINDUE_INTERVAL: dict[str, tuple[int, int]] = {
    "morgen": (7 * 60, 10 * 60),
    "formiddag": (9 * 60, 12 * 60),
    "middag": (11 * 60, 14 * 60),
    "eftermiddag": (14 * 60, 17 * 60),
    "aften": (17 * 60, 21 * 60),
    "nat": (22 * 60, 24 * 60),
    "dag": (8 * 60, 15 * 60),
}
#: Categories whose visits move off a public holiday (see the module docstring).
FLYTTES_FRA_HELLIGDAG = frozenset({"praktisk", "rehabilitering"})
#: How far a holiday visit may move; a move never crosses more than a week.
MAKS_FLYT = timedelta(days=7)


def vindue_interval(tidsvindue: str) -> tuple[int, int]:
    """Minutes (from, to) of a window; numbered windows ("besoeg-3") get three-hour slots
    from 06:00, unknown names a working day."""
    if tidsvindue in VINDUE_INTERVAL:
        return VINDUE_INTERVAL[tidsvindue]
    if tidsvindue.startswith("besoeg-") and tidsvindue[7:].isdigit():
        start = min(6 * 60 + (int(tidsvindue[7:]) - 1) * 180, 21 * 60)
        return start, start + 180
    return 8 * 60, 16 * 60


@lru_cache(maxsize=64)
def _helligdage(aar: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=aar).keys())


def er_helligdag(d: date) -> bool:
    return d in _helligdage(d.year)


def er_arbejdsdag(d: date) -> bool:
    return d.weekday() < 5 and not er_helligdag(d)


def planlaeg(
    antal: int,
    periode: str,
    startdato: date,
    slutdato: date | None,
    fra: date,
    til: date,
    kategori: str | None = None,
) -> list[tuple[date, str]]:
    """Visits (date, time window) for a grant within [fra, til), in date order.

    For a category in FLYTTES_FRA_HELLIGDAG, holiday visits move (module docstring). The
    moves are computed from a fixed point before `fra` (see `_flyt_fra`), so planning
    [a, c) at once gives the same visits as planning [a, b) and then [b, c).
    """
    if kategori not in FLYTTES_FRA_HELLIGDAG:
        return _grundplan(antal, periode, startdato, slutdato, fra, til)
    # Saturating arithmetic: a grant near year 9999 plans what fits instead of overflowing.
    origin = _flyt_fra(max(startdato, plus_dage(fra, -MAKS_FLYT.days)))
    base = _grundplan(antal, periode, startdato, slutdato, origin, plus_dage(til, MAKS_FLYT.days))
    moved = _flyt_helligdage(base, slutdato)
    return sorted((d, w) for d, w in moved if fra <= d < til)


def _flyt_fra(d: date) -> date:
    """A day on or before `d` with no holiday in the week before it: no visit moved from
    before it can land on or after it, so processing moves from there is exact."""
    while d > date.min and any(
        er_helligdag(plus_dage(d, -i)) for i in range(1, MAKS_FLYT.days + 1)
    ):
        d -= timedelta(days=1)
    return d


def _flyt_helligdage(plan: list[tuple[date, str]], slutdato: date | None) -> list[tuple[date, str]]:
    occupied = set(plan)
    result: list[tuple[date, str]] = []
    for d, w in plan:  # in date order: an earlier move occupies its new day first
        target = d
        if er_helligdag(d):
            for i in range(1, MAKS_FLYT.days + 1):
                t = plus_dage(d, i)
                if slutdato is not None and t > slutdato:
                    break
                if er_arbejdsdag(t) and (t, w) not in occupied:
                    target = t
                    break
        occupied.discard((d, w))
        occupied.add((target, w))
        result.append((target, w))
    return result


def _grundplan(
    antal: int, periode: str, startdato: date, slutdato: date | None, fra: date, til: date
) -> list[tuple[date, str]]:
    first = max(startdato, fra)
    last = til if slutdato is None else min(til, plus_dage(slutdato, 1))
    if first >= last:
        return []
    days = [first + timedelta(days=i) for i in range((last - first).days)]
    if periode == "dag":
        windows = TIDSVINDUER.get(antal) or tuple(f"besoeg-{i + 1}" for i in range(antal))
        return [(d, w) for d in days for w in windows]
    if periode == "uge":
        weekdays = UGEDAGE[min(antal, 7)]
        return [(d, "dag") for d in days if d.weekday() in weekdays]
    if periode == "anden_uge":
        # Every other week counted from the grant's start, so the rhythm survives re-planning.
        offsets = {round(i * 14 / antal) for i in range(antal)}
        return [(d, "dag") for d in days if (d - startdato).days % 14 in offsets]
    if periode == "maaned":
        month_days = {1 + round(i * 28 / antal) for i in range(antal)}
        return [(d, "dag") for d in days if d.day in month_days]
    raise ValueError(f"ukendt periode {periode!r}")
