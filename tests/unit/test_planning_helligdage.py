"""Holidays in visit planning: practical help moves to the next working day, personal care
and meals stay; frequency holds across months; rolling planning in pieces equals planning
at once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.provider.domain.planning import (
    MAKS_FLYT,
    er_arbejdsdag,
    er_helligdag,
    planlaeg,
)

SKAERTORSDAG = date(2026, 4, 2)
LANGFREDAG = date(2026, 4, 3)
ANDEN_PAASKEDAG = date(2026, 4, 6)
JULEDAG = date(2026, 12, 25)  # a Friday


def test_calendar_knows_danish_holidays() -> None:
    assert er_helligdag(JULEDAG) and er_helligdag(ANDEN_PAASKEDAG)
    assert not er_helligdag(date(2026, 12, 24))  # juleaften is not a public holiday
    assert er_arbejdsdag(date(2026, 4, 7)) and not er_arbejdsdag(date(2026, 4, 4))


def test_praktisk_over_easter_moves_without_collision() -> None:
    # Monday + Thursday praktisk: Maundy Thursday moves past Good Friday, the weekend and
    # Easter Monday to Tuesday; Easter Monday's own visit then finds Tuesday taken and
    # moves to Wednesday. Thursday after Easter is kept.
    plan = planlaeg(
        2, "uge", date(2026, 3, 30), None, date(2026, 3, 30), date(2026, 4, 13), "praktisk"
    )
    assert [d for d, _ in plan] == [
        date(2026, 3, 30),
        date(2026, 4, 7),  # from Maundy Thursday
        date(2026, 4, 8),  # from Easter Monday
        date(2026, 4, 9),
    ]
    assert all(w == "dag" for _, w in plan)


def test_praktisk_on_christmas_day_moves_to_monday() -> None:
    # Weekly on Fridays (a grant starting on a Friday, every 7 days = anden_uge twice).
    fri = date(2026, 12, 18)
    plan = planlaeg(2, "anden_uge", fri, None, fri, date(2027, 1, 2), "praktisk")
    assert [d for d, _ in plan] == [fri, date(2026, 12, 28)]
    friday = planlaeg(
        5, "uge", date(2026, 12, 21), None, date(2026, 12, 21), date(2027, 1, 4), "praktisk"
    )
    # Mon-Fri praktisk: 25 and 26 Dec (Fri, Sat) -> only Friday 25 is a planned day; every
    # working day of the next week is taken, so the visit stays (not lost).
    assert len(friday) == 10
    assert (JULEDAG, "dag") in friday


@pytest.mark.parametrize("kategori", ["personlig", "madservice", None])
def test_care_and_meals_stay_on_holidays(kategori: str | None) -> None:
    plan = planlaeg(2, "dag", JULEDAG, None, JULEDAG, JULEDAG + timedelta(days=2), kategori)
    assert plan == [
        (JULEDAG, "morgen"),
        (JULEDAG, "aften"),
        (JULEDAG + timedelta(days=1), "morgen"),
        (JULEDAG + timedelta(days=1), "aften"),
    ]


def test_morning_and_evening_daily_across_months() -> None:
    plan = planlaeg(2, "dag", date(2026, 1, 1), None, date(2026, 1, 1), date(2027, 1, 1))
    per_month = Counter((d.month, w) for d, w in plan)
    for m in range(1, 13):
        days = (date(2026 + m // 12, m % 12 + 1, 1) - date(2026, m, 1)).days
        assert per_month[(m, "morgen")] == per_month[(m, "aften")] == days


def test_every_fourteen_days_across_month_and_year_ends() -> None:
    plan = planlaeg(
        1, "anden_uge", date(2026, 12, 10), None, date(2026, 12, 10), date(2027, 3, 1), "praktisk"
    )
    assert [d for d, _ in plan] == [
        date(2026, 12, 10),
        date(2026, 12, 24),
        date(2027, 1, 7),
        date(2027, 1, 21),
        date(2027, 2, 4),
        date(2027, 2, 18),
    ]


# -- properties ---------------------------------------------------------------------------
datoer = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def praktiske(draw: st.DrawFn) -> dict:
    periode = draw(st.sampled_from(("dag", "uge", "anden_uge", "maaned")))
    antal = draw(st.integers(1, 3) if periode == "dag" else st.integers(1, 7))
    startdato = draw(datoer)
    slutdato = draw(st.none() | st.integers(0, 150).map(lambda n: startdato + timedelta(days=n)))
    fra = draw(st.integers(-30, 90).map(lambda n: startdato + timedelta(days=n)))
    mid = draw(st.integers(0, 60).map(lambda n: fra + timedelta(days=n)))
    til = draw(st.integers(0, 60).map(lambda n: mid + timedelta(days=n)))
    kategori = draw(st.sampled_from(("praktisk", "rehabilitering")))
    return {
        "antal": antal,
        "periode": periode,
        "startdato": startdato,
        "slutdato": slutdato,
        "fra": fra,
        "mid": mid,
        "til": til,
        "kategori": kategori,
    }


def _plan(g: dict, fra: date, til: date) -> list[tuple[date, str]]:
    return planlaeg(
        g["antal"], g["periode"], g["startdato"], g["slutdato"], fra, til, g["kategori"]
    )


@settings(max_examples=150, deadline=None, database=None)
@given(praktiske())
def test_rolling_horizon_in_pieces_equals_at_once(g: dict) -> None:
    whole = _plan(g, g["fra"], g["til"])
    assert _plan(g, g["fra"], g["mid"]) + _plan(g, g["mid"], g["til"]) == whole
    assert len(whole) == len(set(whole))  # no two visits in one slot


@settings(max_examples=150, deadline=None, database=None)
@given(praktiske())
def test_holiday_visit_only_stays_when_no_working_day_is_free(g: dict) -> None:
    plan = _plan(g, g["fra"], g["til"])
    whole = set(_plan(g, g["fra"] - MAKS_FLYT, g["til"] + MAKS_FLYT * 2))
    for d, w in plan:
        if er_helligdag(d):
            for i in range(1, MAKS_FLYT.days + 1):
                t = d + timedelta(days=i)
                if g["slutdato"] is not None and t > g["slutdato"]:
                    break
                assert not er_arbejdsdag(t) or (t, w) in whole


@settings(max_examples=150, deadline=None, database=None)
@given(praktiske())
def test_moving_never_loses_or_adds_a_visit_over_a_whole_grant(g: dict) -> None:
    slut = g["slutdato"] or g["startdato"] + timedelta(days=120)
    args = (g["antal"], g["periode"], g["startdato"], slut, g["startdato"], slut + MAKS_FLYT)
    moved = planlaeg(*args, g["kategori"])
    kept = planlaeg(*args, "personlig")
    assert len(moved) == len(kept)
    assert all(g["startdato"] <= d <= slut for d, _ in moved)
    # Per window the count is the same too: a move keeps the time of day.
    assert Counter(w for _, w in moved) == Counter(w for _, w in kept)
