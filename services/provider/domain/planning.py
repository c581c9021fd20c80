"""Visit planning: a pure function of the granted frequency and the calendar.

"2 gange om ugen" becomes fixed weekdays, "hver 14. dag" every other week on the start
weekday, "3 gange dagligt" three time windows each day. The provider adjusts single visits
afterwards; this only turns a grant into a first plan.

The kommune's planning rules come with the order (`Planlaegningsregler`, from the
kvalitetsstandard): the weekdays a category may be planned on, what happens to a visit on
a holiday or on a forbidden weekday (moved to the previous or next hverdag, left out, or
for holidays planned anyway) and where an every-other-week rhythm counts from.

Without rules (orders from before them, a standard that names none) the defaults are the
behaviour before rules were data: every weekday allowed; personal care and meals stay on
a public holiday; practical help and rehabilitation training move to the next working
day (Monday to Friday, not a holiday) within the grant on which the order has no visit in
that window; if there is none within a week, the visit stays on the holiday rather than
being lost.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from shared.kernel.planlaegningsregler import (
    ALLE_UGEDAGE,
    FLYTTES_FRA_HELLIGDAG,
    Planlaegningsregler,
    standard_planlaegning,
)
from shared.kernel.tidsramme import plus_dage

__all__ = ["FLYTTES_FRA_HELLIGDAG", "er_hverdag", "planlaeg", "rytmens_anker"]

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
    regler: Planlaegningsregler | None = None,
) -> list[tuple[date, str]]:
    """Visits (date, time window) for a grant within [fra, til), in date order.

    `regler` are the kommune's planning rules sent with the order; without them the
    category's defaults (`standard_planlaegning`: the behaviour before rules were data).
    No visit is ever on a weekday outside `regler.ugedage`. Visits the rhythm puts on a
    holiday or a forbidden weekday move as the rules say (`_flyt`). The moves are computed
    from a fixed point before `fra` (see `_flyt_fra`), so planning [a, c) at once gives the
    same visits as planning [a, b) and then [b, c).
    """
    r = regler if regler is not None else standard_planlaegning(kategori)
    anker = rytmens_anker(startdato, r)
    if r.helligdage == "planlaeg_alligevel" and r.ugedage == ALLE_UGEDAGE:
        return _grundplan(antal, periode, startdato, anker, slutdato, fra, til, r.ugedage)
    if r.ugedage == ALLE_UGEDAGE and r.helligdage == "flyt_til_naeste_hverdag":
        # Only holidays move, and only forward (the rule before rules were data): a day
        # with no holiday in the week before it is a fixed point.
        # Saturating arithmetic: a grant near year 9999 plans what fits.
        origin = _flyt_fra(max(startdato, plus_dage(fra, -MAKS_FLYT.days)))
        base = _grundplan(
            antal, periode, startdato, anker, slutdato, origin, plus_dage(til, MAKS_FLYT.days)
        )
    else:
        base = _grundplan_fra_fast_punkt(antal, periode, startdato, anker, slutdato, fra, til, r)
    moved = _flyt(base, startdato, slutdato, r)
    return sorted((d, w) for d, w in moved if fra <= d < til)


#: How far before `fra` a fixed point is looked for before planning from the start.
SOEG_FAST_PUNKT = timedelta(days=63)


def _grundplan_fra_fast_punkt(
    antal: int,
    periode: str,
    startdato: date,
    anker: date,
    slutdato: date | None,
    fra: date,
    til: date,
    r: Planlaegningsregler,
) -> list[tuple[date, str]]:
    """The rhythm's visits from a fixed point on or before `fra` to a week after `til`.

    A day d is a fixed point when no visit in [d - 7, d + 7) needs a move: a move goes at
    most a week, so no move crosses d, and the moves from d on are those of planning from
    the order's start. Forbidden weekdays recur every week, so only visits (not days) are
    looked at; if none is found within SOEG_FAST_PUNKT, planning starts at the order's
    start (exact, and a few thousand dates for a grant of years)."""
    slut = plus_dage(til, MAKS_FLYT.days)
    lo = max(startdato, plus_dage(fra, -(SOEG_FAST_PUNKT + 2 * MAKS_FLYT).days))
    base = _grundplan(antal, periode, startdato, anker, slutdato, lo, slut, r.ugedage)
    if lo == startdato:
        return base
    flyttes = sorted({d for d, _ in base if _regel(d, r) is not None})
    d = fra
    graense = plus_dage(lo, MAKS_FLYT.days)
    while d >= graense:
        naermeste = next(
            (
                x
                for x in flyttes
                if plus_dage(d, -MAKS_FLYT.days) <= x < plus_dage(d, MAKS_FLYT.days)
            ),
            None,
        )
        if naermeste is None:
            return [(x, w) for x, w in base if x >= d]
        d = plus_dage(naermeste, -MAKS_FLYT.days)  # the first candidate it leaves free
    return _grundplan(antal, periode, startdato, anker, slutdato, startdato, slut, r.ugedage)


def er_hverdag(d: date, r: Planlaegningsregler) -> bool:
    """A day a moved visit may land on (Planlaegningsregler's docstring)."""
    if d.weekday() not in r.ugedage:
        return False
    if r.helligdage != "planlaeg_alligevel" and er_helligdag(d):
        return False
    return d.weekday() < 5 or all(u >= 5 for u in r.ugedage)


def rytmens_anker(startdato: date, r: Planlaegningsregler) -> date:
    """The day an every-other-week rhythm counts from."""
    if r.rytme_anker == "foerste_hverdag":
        for i in range(MAKS_FLYT.days * 2):
            d = plus_dage(startdato, i)
            if er_hverdag(d, r):
                return d
    return startdato


def _flyt_fra(d: date) -> date:
    """A day on or before `d` with no holiday in the week before it: no visit moved from
    before it can land on or after it, so processing moves from there is exact."""
    while d > date.min and any(
        er_helligdag(plus_dage(d, -i)) for i in range(1, MAKS_FLYT.days + 1)
    ):
        d -= timedelta(days=1)
    return d


def _regel(d: date, r: Planlaegningsregler) -> str | None:
    """What the rules say about a visit the rhythm put on `d`; None: it stays."""
    if r.helligdage != "planlaeg_alligevel" and er_helligdag(d):
        return r.helligdage
    if d.weekday() not in r.ugedage:
        return r.uden_for_ugedage
    return None


def _flyt(
    plan: list[tuple[date, str]],
    startdato: date,
    slutdato: date | None,
    r: Planlaegningsregler,
) -> list[tuple[date, str]]:
    """Move or leave out the visits on holidays and forbidden weekdays. A move goes to the
    nearest hverdag within a week in its direction, inside the grant, whose window is free;
    if there is none, a holiday visit on an allowed weekday stays (rather than being lost)
    and a visit on a forbidden weekday is left out (the weekday rule is never broken)."""
    occupied = set(plan)
    result: list[tuple[date, str]] = []
    for d, w in plan:  # in date order: an earlier move occupies its new day first
        regel = _regel(d, r)
        target: date | None = d
        if regel is not None:
            target = None
            if regel != "udelad":
                step = -1 if regel == "flyt_til_forrige_hverdag" else 1
                for i in range(1, MAKS_FLYT.days + 1):
                    t = plus_dage(d, step * i)
                    if t < startdato or (slutdato is not None and t > slutdato):
                        break
                    if er_hverdag(t, r) and (t, w) not in occupied:
                        target = t
                        break
                if target is None and d.weekday() in r.ugedage:
                    target = d
        occupied.discard((d, w))
        if target is not None:
            occupied.add((target, w))
            result.append((target, w))
    return result


def ugedage_for(antal: int, tilladte: tuple[int, ...]) -> tuple[int, ...]:
    """The fixed weekdays of n visits a week: UGEDAGE[n] where the rules allow them all,
    else n allowed days spread over the allowed ones (at most one visit a day)."""
    faste = UGEDAGE[min(antal, 7)]
    if set(faste) <= set(tilladte):
        return faste
    n = min(antal, len(tilladte))
    return tuple(sorted({tilladte[i * len(tilladte) // n] for i in range(n)}))


def _grundplan(
    antal: int,
    periode: str,
    startdato: date,
    anker: date,
    slutdato: date | None,
    fra: date,
    til: date,
    ugedage: tuple[int, ...] = ALLE_UGEDAGE,
) -> list[tuple[date, str]]:
    """The rhythm's visits before holidays and forbidden weekdays are handled. Daily and
    weekly grants are placed on allowed weekdays only; every other week counts from
    `anker` (on or after the start); monthly visits fall on fixed days of the month."""
    first = max(anker if periode == "anden_uge" else startdato, fra)
    last = til if slutdato is None else min(til, plus_dage(slutdato, 1))
    if first >= last:
        return []
    days = [first + timedelta(days=i) for i in range((last - first).days)]
    if periode == "dag":
        windows = TIDSVINDUER.get(antal) or tuple(f"besoeg-{i + 1}" for i in range(antal))
        return [(d, w) for d in days if d.weekday() in ugedage for w in windows]
    if periode == "uge":
        weekdays = ugedage_for(antal, ugedage)
        return [(d, "dag") for d in days if d.weekday() in weekdays]
    if periode == "anden_uge":
        # Every other week counted from the anchor, so the rhythm survives re-planning.
        offsets = {round(i * 14 / antal) for i in range(antal)}
        return [(d, "dag") for d in days if (d - anker).days % 14 in offsets]
    if periode == "maaned":
        month_days = {1 + round(i * 28 / antal) for i in range(antal)}
        return [(d, "dag") for d in days if d.day in month_days]
    raise ValueError(f"ukendt periode {periode!r}")
