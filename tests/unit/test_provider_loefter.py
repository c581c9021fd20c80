"""Typed promises (issue 16): hours to the minute, working days past weekends and Danish
public holidays, and the old integer days unchanged."""

from datetime import date, datetime, timedelta

import pytest

from services.provider.domain.regler import (
    DANMARK,
    Loefte,
    er_forsinket,
    er_rettidig,
    er_rettidig_loefte,
    erstatningsfrist,
    erstatningsfrist_loefte,
    frist_efter,
    plus_arbejdsdage,
    seneste_start,
)
from services.provider.domain.values import Leveringsregler
from shared.kernel import DomainRuleViolation


def _kl(d: date, time: int, minut: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, time, minut, tzinfo=DANMARK)


def test_friday_plus_two_working_days_is_tuesday() -> None:
    assert plus_arbejdsdage(date(2026, 3, 6), 2) == date(2026, 3, 10)


def test_working_days_skip_easter() -> None:
    # 2026: Skærtorsdag 2 April, Langfredag 3 April, 2. påskedag 6 April.
    onsdag = date(2026, 4, 1)
    assert plus_arbejdsdage(onsdag, 1) == date(2026, 4, 7)
    assert plus_arbejdsdage(onsdag, 2) == date(2026, 4, 8)


def test_calendar_days_stay_calendar_days() -> None:
    fredag = _kl(date(2026, 3, 6), 10)
    assert frist_efter(fredag, Loefte(2, "kalenderdage")) == date(2026, 3, 8)
    assert frist_efter(fredag, Loefte(2, "arbejdsdage")) == date(2026, 3, 10)


def test_hour_promise_is_an_instant() -> None:
    start = _kl(date(2026, 3, 6), 10, 30)
    assert frist_efter(start, Loefte(1, "timer")) == start + timedelta(hours=1)


def test_old_integer_days_give_the_old_deadline() -> None:
    regler = Leveringsregler(erstatningsfrist_dage=8)
    aflyst = _kl(date(2026, 3, 5), 9)
    gammel = erstatningsfrist(date(2026, 3, 6), aflyst, regler)
    ny = erstatningsfrist_loefte(date(2026, 3, 6), "morgen", aflyst, Loefte.fra_dage(8))
    assert ny == gammel


def test_hour_replacement_counts_from_window_start_or_later_cancellation() -> None:
    dag = date(2026, 3, 6)
    frist = erstatningsfrist_loefte(dag, "morgen", _kl(dag, 5), Loefte(3, "timer"))
    assert isinstance(frist, datetime) and frist > _kl(dag, 5)
    sent = _kl(dag, 14)
    assert erstatningsfrist_loefte(dag, "morgen", sent, Loefte(3, "timer")) == _kl(dag, 17)


def test_citizen_notice_in_hours() -> None:
    besoeg = date(2026, 3, 6)
    # 33 hours before the start of the "dag" window (08:00) is late with 48 hours' notice.
    start = _kl(besoeg, 8)
    assert not er_rettidig_loefte(besoeg, "dag", start - timedelta(hours=33), Loefte(48, "timer"))
    assert er_rettidig_loefte(besoeg, "dag", start - timedelta(hours=49), Loefte(48, "timer"))


def test_citizen_notice_in_days_as_before() -> None:
    regler = Leveringsregler(aflysningsfrist_dage_foer=1)
    besoeg = date(2026, 3, 6)
    for aflyst in (_kl(date(2026, 3, 5), 23), _kl(besoeg, 6)):
        assert er_rettidig_loefte(besoeg, "dag", aflyst, Loefte.fra_dage(1)) == er_rettidig(
            besoeg, aflyst, regler
        )


def test_late_visit_with_hour_tolerance() -> None:
    dag = date(2026, 3, 6)
    graense = seneste_start(dag, "dag", Loefte(1, "timer"))
    assert isinstance(graense, datetime)
    assert not er_forsinket(dag, "dag", Loefte(1, "timer"), graense)
    assert er_forsinket(dag, "dag", Loefte(1, "timer"), graense + timedelta(minutes=1))
    # Started in time, checked later: not late.
    assert not er_forsinket(
        dag, "dag", Loefte(1, "timer"), graense + timedelta(hours=5), paabegyndt=graense
    )


def test_late_visit_with_day_tolerance_waits_for_the_day_to_pass() -> None:
    dag = date(2026, 3, 6)
    assert not er_forsinket(dag, "dag", Loefte(0, "kalenderdage"), _kl(dag, 23))
    assert er_forsinket(dag, "dag", Loefte(0, "kalenderdage"), _kl(date(2026, 3, 7), 0, 1))


def test_unknown_unit_refused() -> None:
    with pytest.raises(DomainRuleViolation):
        Loefte(1, "minutter")  # type: ignore[arg-type]
    with pytest.raises(DomainRuleViolation):
        Loefte(-1, "timer")
