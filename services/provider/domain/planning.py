"""Visit planning: a pure function of the granted frequency and the calendar.

"2 gange om ugen" becomes fixed weekdays, "hver 14. dag" every other week on the start
weekday, "3 gange dagligt" three time windows each day. The provider adjusts single visits
afterwards; this only turns a grant into a first plan.
"""

from __future__ import annotations

from datetime import date, timedelta

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


def planlaeg(
    antal: int, periode: str, startdato: date, slutdato: date | None, fra: date, til: date
) -> list[tuple[date, str]]:
    """Visits (date, time window) for a grant within [fra, til), in date order."""
    first = max(startdato, fra)
    last = til if slutdato is None else min(til, slutdato + timedelta(days=1))
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
