"""Staffing visits (pure): no helper double-booked, windows and working hours respected,
a fixed helper where possible, deterministic."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.provider.domain.planning import planlaeg, vindue_interval
from services.provider.domain.tildeling import (
    KOERETID_MINUTTER,
    Medarbejder,
    Opgave,
    Tildeling,
    faste_hjaelpere,
    kontroller_stab,
    tildel,
)
from shared.kernel import DomainRuleViolation

MANDAG = date(2026, 11, 2)
DAG_OG_AFTEN = (
    Medarbejder("anna", fra_minut=7 * 60, til_minut=15 * 60, arbejdsdage=tuple(range(7))),
    Medarbejder("bo", fra_minut=7 * 60, til_minut=15 * 60, arbejdsdage=tuple(range(7))),
    Medarbejder("carl", fra_minut=15 * 60, til_minut=23 * 60, arbejdsdage=tuple(range(7))),
)


def opgaver_for(borger: uuid.UUID, antal: int, periode: str, kategori: str, dage: int) -> list:
    return [
        Opgave(uuid.uuid4(), borger, kategori, d, w, 30)
        for d, w in planlaeg(antal, periode, MANDAG, None, MANDAG, MANDAG + timedelta(days=dage))
    ]


def test_morning_and_evening_daily_get_a_day_and_an_evening_helper() -> None:
    borger = uuid.uuid4()
    plan = tildel(opgaver_for(borger, 2, "dag", "personlig", 14), DAG_OG_AFTEN, {}, {})
    assert len(plan) == 28
    by_window: dict[str, set[str]] = defaultdict(set)
    starts = {t.start_minut for t in plan}
    assert starts <= {7 * 60, 17 * 60}
    for t in plan:
        by_window["morgen" if t.start_minut < 12 * 60 else "aften"].add(t.medarbejder_id)
    # The same morning helper every day (fixed helper), the evening helper in the evening.
    assert by_window == {"morgen": {"anna"}, "aften": {"carl"}}


def test_fixed_helper_from_history_is_kept_when_free() -> None:
    borger = uuid.uuid4()
    ops = opgaver_for(borger, 2, "uge", "praktisk", 14)
    plan = tildel(ops, DAG_OG_AFTEN, {}, {borger: "bo"})
    assert {t.medarbejder_id for t in plan} == {"bo"}


def test_busy_fixed_helper_gives_way_and_nobody_is_double_booked() -> None:
    borger = uuid.uuid4()
    ops = [Opgave(uuid.uuid4(), borger, "personlig", MANDAG, "morgen", 60)]
    # bo is booked the whole morning window already.
    plan = tildel(ops, DAG_OG_AFTEN, {("bo", MANDAG): [(7 * 60, 10 * 60)]}, {borger: "bo"})
    assert plan == [Tildeling(ops[0].besoeg_id, "anna", 7 * 60)]


def test_visit_nobody_can_take_is_left_unstaffed() -> None:
    ops = [Opgave(uuid.uuid4(), uuid.uuid4(), "madservice", MANDAG, "nat", 30)]
    only_care = (Medarbejder("anna", kategorier=("personlig",), fra_minut=0, til_minut=1440),)
    assert tildel(ops, only_care, {}, {}) == []


def test_history_picks_the_most_frequent_helper() -> None:
    b = uuid.uuid4()
    assert faste_hjaelpere([(b, "bo"), (b, "anna"), (b, "bo")]) == {b: "bo"}
    assert faste_hjaelpere([(b, "bo"), (b, "anna")]) == {b: "anna"}  # tie: smallest id


@pytest.mark.parametrize(
    ("stab", "regel"),
    [
        ((Medarbejder("a"), Medarbejder("a")), "medarbejder-dublet"),
        ((Medarbejder("a", fra_minut=600, til_minut=600),), "ugyldig-arbejdstid"),
        ((Medarbejder("a", arbejdsdage=(7,)),), "ugyldig-medarbejder"),
        ((Medarbejder("a", kategorier=("vaskeri",)),), "ugyldig-medarbejder"),
    ],
)
def test_roster_rules(stab: tuple[Medarbejder, ...], regel: str) -> None:
    with pytest.raises(DomainRuleViolation) as exc:
        kontroller_stab(stab)
    assert exc.value.rule == regel


# -- properties ---------------------------------------------------------------------------
VINDUER = ("morgen", "formiddag", "middag", "eftermiddag", "aften", "nat", "dag", "besoeg-5")
KAT = ("personlig", "praktisk", "madservice", "rehabilitering")

medarbejdere = st.builds(
    lambda i, kats, dage, fra, laengde: Medarbejder(
        f"m{i}", "", tuple(kats), tuple(sorted(dage)), fra, min(fra + laengde, 1440)
    ),
    st.integers(0, 5),
    st.sets(st.sampled_from(KAT), min_size=1),
    st.sets(st.integers(0, 6), min_size=1),
    st.integers(0, 20 * 60),
    st.integers(60, 12 * 60),
)
opgaver = st.builds(
    Opgave,
    st.uuids(),
    st.sampled_from([uuid.UUID(int=i) for i in range(4)]),
    st.sampled_from(KAT),
    st.integers(0, 6).map(lambda n: MANDAG + timedelta(days=n)),
    st.sampled_from(VINDUER),
    st.sampled_from([5, 15, 30, 45, 60, 90]),
)


def _stab(ms: list[Medarbejder]) -> tuple[Medarbejder, ...]:
    return tuple({m.medarbejder_id: m for m in ms}.values())


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(opgaver, max_size=40), st.lists(medarbejdere, min_size=1, max_size=6))
def test_no_double_booking_and_every_visit_fits(ops: list[Opgave], ms: list[Medarbejder]) -> None:
    stab = _stab(ms)
    plan = tildel(ops, stab, {}, {})
    by_id = {o.besoeg_id: o for o in ops}
    staff = {m.medarbejder_id: m for m in stab}
    assert len({t.besoeg_id for t in plan}) == len(plan)
    days: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for t in plan:
        o, m = by_id[t.besoeg_id], staff[t.medarbejder_id]
        w_fra, w_til = vindue_interval(o.tidsvindue)
        assert max(w_fra, m.fra_minut) <= t.start_minut
        assert t.start_minut + o.minutter <= min(w_til, m.til_minut)
        assert o.kategori in m.kategorier and o.dato.weekday() in m.arbejdsdage
        days[(t.medarbejder_id, o.dato)].append((t.start_minut, t.start_minut + o.minutter))
    for intervals in days.values():
        intervals.sort()
        for (_, e1), (s2, _) in itertools.pairwise(intervals):
            assert e1 + KOERETID_MINUTTER <= s2  # never two visits at once, time to drive
    assert tildel(list(reversed(ops)), stab, {}, {}) == plan  # deterministic


@settings(max_examples=100, deadline=None, database=None)
@given(
    st.sampled_from([(1, "uge"), (3, "uge"), (1, "anden_uge"), (2, "maaned"), (1, "dag")]),
    st.sampled_from(KAT),
)
def test_one_citizen_with_an_all_round_helper_sees_only_them(
    grant: tuple[int, str], kategori: str
) -> None:
    borger = uuid.uuid4()
    antal, periode = grant
    ops = opgaver_for(borger, antal, periode, kategori, 62)
    stab = (
        Medarbejder("z-anden", arbejdsdage=tuple(range(7)), fra_minut=0, til_minut=1440),
        Medarbejder("a-fast", arbejdsdage=tuple(range(7)), fra_minut=0, til_minut=1440),
    )
    plan = tildel(ops, stab, {}, {})
    assert len(plan) == len(ops) and {t.medarbejder_id for t in plan} == {"a-fast"}
