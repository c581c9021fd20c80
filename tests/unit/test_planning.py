"""Unit tests of visit planning: `planlaeg()` is a pure function of the grant and calendar."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.provider.domain.planning import TIDSVINDUER, UGEDAGE, planlaeg

MANDAG = date(2024, 3, 4)  # a Monday


def _dates(plan: list[tuple[date, str]]) -> list[date]:
    return [d for d, _ in plan]


# -- examples --------------------------------------------------------------------------
class TestDag:
    @pytest.mark.parametrize("antal", [1, 2, 3, 4])
    def test_windows_per_day(self, antal: int) -> None:
        plan = planlaeg(antal, "dag", MANDAG, None, MANDAG, MANDAG + timedelta(days=3))
        assert plan == [
            (MANDAG + timedelta(days=i), w) for i in range(3) for w in TIDSVINDUER[antal]
        ]

    def test_named_windows(self) -> None:
        plan = planlaeg(3, "dag", MANDAG, None, MANDAG, MANDAG + timedelta(days=1))
        assert plan == [(MANDAG, "morgen"), (MANDAG, "middag"), (MANDAG, "aften")]

    def test_more_than_four_a_day_get_numbered_windows(self) -> None:
        plan = planlaeg(6, "dag", MANDAG, None, MANDAG, MANDAG + timedelta(days=1))
        assert plan == [(MANDAG, f"besoeg-{i}") for i in range(1, 7)]


class TestUge:
    def test_twice_a_week_monday_and_thursday(self) -> None:
        plan = planlaeg(2, "uge", MANDAG, None, MANDAG, MANDAG + timedelta(weeks=2))
        assert plan == [
            (date(2024, 3, 4), "dag"),
            (date(2024, 3, 7), "dag"),
            (date(2024, 3, 11), "dag"),
            (date(2024, 3, 14), "dag"),
        ]

    @pytest.mark.parametrize("antal", range(1, 8))
    def test_weekdays_per_antal(self, antal: int) -> None:
        plan = planlaeg(antal, "uge", MANDAG, None, MANDAG, MANDAG + timedelta(weeks=1))
        assert [d.weekday() for d in _dates(plan)] == list(UGEDAGE[antal])
        assert len(plan) == antal

    def test_more_than_seven_is_capped_at_daily(self) -> None:
        plan = planlaeg(10, "uge", MANDAG, None, MANDAG, MANDAG + timedelta(weeks=1))
        assert _dates(plan) == [MANDAG + timedelta(days=i) for i in range(7)]


class TestAndenUge:
    def test_every_other_week_on_start_weekday(self) -> None:
        start = date(2024, 3, 6)  # a Wednesday
        plan = planlaeg(1, "anden_uge", start, None, start, start + timedelta(weeks=6))
        assert plan == [
            (date(2024, 3, 6), "dag"),
            (date(2024, 3, 20), "dag"),
            (date(2024, 4, 3), "dag"),
        ]

    def test_rhythm_counted_from_grant_start_not_from_fra(self) -> None:
        start = date(2024, 3, 6)
        fra = date(2024, 3, 10)
        plan = planlaeg(1, "anden_uge", start, None, fra, fra + timedelta(weeks=4))
        assert _dates(plan) == [date(2024, 3, 20), date(2024, 4, 3)]

    def test_twice_per_fortnight(self) -> None:
        plan = planlaeg(2, "anden_uge", MANDAG, None, MANDAG, MANDAG + timedelta(weeks=2))
        assert _dates(plan) == [MANDAG, MANDAG + timedelta(days=7)]


class TestMaaned:
    def test_once_a_month_on_the_first(self) -> None:
        plan = planlaeg(1, "maaned", date(2024, 1, 15), None, date(2024, 1, 15), date(2024, 5, 1))
        assert plan == [
            (date(2024, 2, 1), "dag"),
            (date(2024, 3, 1), "dag"),
            (date(2024, 4, 1), "dag"),
        ]

    def test_twice_a_month(self) -> None:
        plan = planlaeg(2, "maaned", date(2024, 2, 1), None, date(2024, 2, 1), date(2024, 3, 1))
        assert _dates(plan) == [date(2024, 2, 1), date(2024, 2, 15)]

    @pytest.mark.parametrize("antal", [1, 2, 3, 4])
    def test_count_per_month(self, antal: int) -> None:
        plan = planlaeg(antal, "maaned", date(2024, 1, 1), None, date(2024, 1, 1), date(2025, 1, 1))
        per_month = Counter((d.year, d.month) for d in _dates(plan))
        assert set(per_month.values()) == {antal}
        assert len(per_month) == 12


class TestBounds:
    def test_start_date_respected(self) -> None:
        start = MANDAG + timedelta(days=8)  # Tuesday the week after
        plan = planlaeg(1, "dag", start, None, MANDAG, MANDAG + timedelta(weeks=2))
        assert min(_dates(plan)) == start

    def test_fra_respected(self) -> None:
        fra = MANDAG + timedelta(days=3)
        plan = planlaeg(1, "dag", MANDAG, None, fra, fra + timedelta(days=2))
        assert _dates(plan) == [fra, fra + timedelta(days=1)]

    def test_end_date_is_inclusive(self) -> None:
        slut = MANDAG + timedelta(days=3)  # Thursday
        plan = planlaeg(2, "uge", MANDAG, slut, MANDAG, MANDAG + timedelta(weeks=2))
        assert _dates(plan) == [MANDAG, slut]

    def test_til_is_exclusive(self) -> None:
        til = MANDAG + timedelta(days=3)
        plan = planlaeg(2, "uge", MANDAG, None, MANDAG, til)
        assert _dates(plan) == [MANDAG]

    @pytest.mark.parametrize(
        ("start", "slut", "fra", "til"),
        [
            (MANDAG + timedelta(days=30), None, MANDAG, MANDAG + timedelta(days=28)),
            (
                MANDAG,
                MANDAG + timedelta(days=5),
                MANDAG + timedelta(days=6),
                MANDAG + timedelta(days=20),
            ),
            (MANDAG, None, MANDAG, MANDAG),
            (MANDAG, None, MANDAG + timedelta(days=2), MANDAG),
        ],
        ids=["starts-after-window", "ended-before-window", "empty-window", "inverted-window"],
    )
    def test_nothing_outside_the_grant(
        self, start: date, slut: date | None, fra: date, til: date
    ) -> None:
        for periode in ("dag", "uge", "anden_uge", "maaned"):
            assert planlaeg(1, periode, start, slut, fra, til) == []

    def test_unknown_periode_raises(self) -> None:
        with pytest.raises(ValueError, match="ukendt periode"):
            planlaeg(1, "aar", MANDAG, None, MANDAG, MANDAG + timedelta(days=7))


# -- properties --------------------------------------------------------------------------
datoer = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
PERIODER = ("dag", "uge", "anden_uge", "maaned")


@st.composite
def grants(draw: st.DrawFn, periode: str | None = None, antal: int | None = None) -> dict:
    periode = periode or draw(st.sampled_from(PERIODER))
    if antal is None:
        antal = draw(
            st.integers(1, 6)
            if periode == "dag"
            else st.integers(1, 10)
            if periode == "uge"
            else st.integers(1, 14)
        )
    startdato = draw(datoer)
    slutdato = draw(st.none() | st.integers(0, 200).map(lambda n: startdato + timedelta(days=n)))
    fra = draw(st.integers(-60, 120).map(lambda n: startdato + timedelta(days=n)))
    til = draw(st.integers(-5, 120).map(lambda n: fra + timedelta(days=n)))
    return {
        "antal": antal,
        "periode": periode,
        "startdato": startdato,
        "slutdato": slutdato,
        "fra": fra,
        "til": til,
    }


def _vindue(g: dict) -> tuple[date, date]:
    first = max(g["startdato"], g["fra"])
    last = g["til"] if g["slutdato"] is None else min(g["til"], g["slutdato"] + timedelta(days=1))
    return first, last


@settings(max_examples=150, deadline=None, database=None)
@given(grants())
def test_no_duplicate_visits(g: dict) -> None:
    plan = planlaeg(**g)
    assert len(plan) == len(set(plan))


@settings(max_examples=150, deadline=None, database=None)
@given(grants())
def test_dates_within_grant_and_window(g: dict) -> None:
    first, last = _vindue(g)
    plan = planlaeg(**g)
    assert all(first <= d < last for d in _dates(plan))
    assert _dates(plan) == sorted(_dates(plan))


@settings(max_examples=100, deadline=None, database=None)
@given(grants(periode="uge"))
def test_uge_count_per_full_iso_week(g: dict) -> None:
    first, last = _vindue(g)
    per_week = Counter(d.isocalendar()[:2] for d in _dates(planlaeg(**g)))
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    while monday + timedelta(days=7) <= last:
        assert per_week[monday.isocalendar()[:2]] == min(g["antal"], 7)
        monday += timedelta(days=7)


@settings(max_examples=100, deadline=None, database=None)
@given(grants(periode="dag"))
def test_dag_exactly_antal_visits_each_day(g: dict) -> None:
    first, last = _vindue(g)
    per_day = Counter(_dates(planlaeg(**g)))
    days = [first + timedelta(days=i) for i in range(max(0, (last - first).days))]
    assert set(per_day) == set(days)
    assert all(per_day[d] == g["antal"] for d in days)


@settings(max_examples=100, deadline=None, database=None)
@given(grants(periode="anden_uge", antal=1))
def test_anden_uge_once_is_fourteen_days_apart(g: dict) -> None:
    first, last = _vindue(g)
    dates = _dates(planlaeg(**g))
    assert all(b - a == timedelta(days=14) for a, b in itertools.pairwise(dates))
    assert all((d - g["startdato"]).days % 14 == 0 for d in dates)
    # No fortnight inside the window is skipped.
    if dates:
        assert dates[0] - first < timedelta(days=14)
        assert last - dates[-1] <= timedelta(days=14)
    else:
        assert (last - first).days < 14
