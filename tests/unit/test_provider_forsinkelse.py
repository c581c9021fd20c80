"""The late-visit check (issue 16 item 2): a visit not started within the kommune's
tolerance gets one BesoegForsinket and a replacement duty, or LeveringSvigtet where none
can be owed; the hour deadlines count elapsed hours in Europe/Copenhagen. Pure domain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from services.provider.domain import regler as r
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.erstatning import Erstatningsforloeb
from services.provider.domain.periode import Besoegsplan
from services.provider.domain.values import Leveringsregler, PlanlagtBesoeg
from shared.kernel.loefte import Loefte
from tests.unit.test_provider_tjekind import LEV, foerste, kl, plan

CPH = ZoneInfo("Europe/Copenhagen")
TIME = Loefte(1, "timer")


def pleje(**regler: object) -> Besoegsplan:
    return plan(
        None,
        Leveringsregler(
            "test-2026",
            forsinkelsestolerance=TIME,
            erstatningsfrist=Loefte(3, "timer"),
            **regler,  # type: ignore[arg-type]
        ),
    )


def graense(b: PlanlagtBesoeg) -> datetime:
    return r.seneste_start_tidspunkt(b.dato, b.tidsvindue, TIME)


def haendelser(p: Besoegsplan, cls: type) -> list[object]:
    return [e for h in p.holdere() for e in h.pending_events if isinstance(e, cls)]


def test_late_at_the_tolerance_boundary_once_only() -> None:
    p = pleje()
    b = foerste(p)
    g = graense(b)
    # Personal care's formiddag window ends 12:00; one hour's tolerance: 13:00 Danish time.
    assert g == datetime.combine(b.dato, datetime.min.time(), CPH).replace(hour=13)
    assert p.kontroller_forsinkelser(g, LEV, g) == []  # exactly at the limit: not late
    nu = g + timedelta(minutes=1)
    assert p.kontroller_forsinkelser(nu, LEV, nu) == [b.besoeg_id]
    # However often it runs, the visit is found late once and owes one duty.
    assert p.kontroller_forsinkelser(nu + timedelta(minutes=5), LEV, nu) == []
    # The next day's visit is late in its turn; this one is not found again.
    assert b.besoeg_id not in p.kontroller_forsinkelser(nu + timedelta(days=1), LEV, nu)
    ev, _ = haendelser(p, Besoegsforloeb.BesoegForsinket)
    assert isinstance(ev, Besoegsforloeb.BesoegForsinket) and ev.besoeg_id == b.besoeg_id
    assert ev.seneste_start == g and ev.paabegyndt is None and ev.erstatning_skyldig
    pligt = p.bestilling.pligt(b.besoeg_id)
    assert pligt.aarsag == "forsinket" and pligt.aflyst_tidspunkt == g
    assert p.bestilling.erstatningspligter()[b.besoeg_id] == b.dato  # 13:00 + 3 hours
    assert p.status(b.besoeg_id) == "planlagt"  # the worker may still come


def test_a_late_check_in_before_the_check_ran_is_late_without_a_duty() -> None:
    p = pleje()
    b = foerste(p)
    ind = graense(b) + timedelta(minutes=10)
    p.paabegynd(b.besoeg_id, ind, "m-1", LEV, ind)
    nu = ind + timedelta(minutes=5)
    assert p.kontroller_forsinkelser(nu, LEV, nu) == [b.besoeg_id]
    [ev] = haendelser(p, Besoegsforloeb.BesoegForsinket)
    assert isinstance(ev, Besoegsforloeb.BesoegForsinket)
    assert ev.paabegyndt == ind and not ev.erstatning_skyldig and ev.erstatningsfrist is None
    assert p.bestilling.erstatningspligter() == {}
    assert p.kontroller_forsinkelser(nu + timedelta(hours=1), LEV, nu) == []


def test_a_check_in_within_the_tolerance_is_never_late() -> None:
    p = pleje()
    b = foerste(p)
    ind = graense(b) - timedelta(minutes=1)
    p.paabegynd(b.besoeg_id, ind, "m-1", LEV, ind)
    nu = graense(b) + timedelta(hours=5)
    assert p.kontroller_forsinkelser(nu, LEV, nu) == []


def test_late_visit_delivered_by_the_deadline_meets_its_duty() -> None:
    from services.provider.domain.values import Levering

    p = pleje()
    b = foerste(p)
    nu = graense(b) + timedelta(minutes=1)
    p.kontroller_forsinkelser(nu, LEV, nu)
    ind = nu + timedelta(minutes=30)
    p.paabegynd(b.besoeg_id, ind, "m-1", LEV, ind)
    lev = ind + timedelta(minutes=20)
    p.registrer_levering(Levering(b.besoeg_id, lev, 20, "m-1"), LEV, lev)
    assert p.bestilling.erstatningspligter() == {}
    assert p.bestilling.kontroller_frister(b.dato + timedelta(days=2), LEV, lev) == []


def test_no_replacement_owed_is_a_delivery_failure_at_once() -> None:
    p = pleje(erstatning_ved_leverandoeraflysning=False)
    b = foerste(p)
    nu = graense(b) + timedelta(minutes=1)
    assert p.kontroller_forsinkelser(nu, LEV, nu) == [b.besoeg_id]
    [svigt] = haendelser(p, Erstatningsforloeb.LeveringSvigtet)
    assert isinstance(svigt, Erstatningsforloeb.LeveringSvigtet)
    assert svigt.besoeg_id == b.besoeg_id and svigt.kontrolleret_dato == b.dato
    assert p.bestilling.svigtede == {b.besoeg_id}
    assert p.bestilling.erstatningspligter() == {}


def test_unmet_late_duty_fails_the_day_after_its_deadline() -> None:
    p = pleje()
    b = foerste(p)
    nu = graense(b) + timedelta(minutes=1)
    p.kontroller_forsinkelser(nu, LEV, nu)
    assert p.bestilling.kontroller_frister(b.dato, LEV, nu) == []
    naeste = b.dato + timedelta(days=1)
    assert p.bestilling.kontroller_frister(naeste, LEV, nu) == [b.besoeg_id]


def test_paused_ended_or_cancelled_visits_are_not_late() -> None:
    p = pleje()
    b = foerste(p)
    p.aflys_besoeg(b.besoeg_id, "borger", "Til lægen", kl(b.dato, 5), LEV, kl(b.dato, 5))
    nu = graense(b) + timedelta(hours=1)
    assert p.kontroller_forsinkelser(nu, LEV, nu) == []


def test_hour_deadline_across_midnight() -> None:
    # A night visit (22-24) an hour's tolerance: not started by 01:00; three hours: 04:00.
    d = date(2026, 11, 10)
    g = r.seneste_start_tidspunkt(d, "nat", TIME)
    assert g == datetime(2026, 11, 11, 1, tzinfo=CPH)
    regler = Leveringsregler("t", erstatningsfrist=Loefte(3, "timer"))
    frist = r.erstatningsfrist_forsinket(d, "nat", g, regler)
    assert frist == datetime(2026, 11, 11, 4, tzinfo=CPH)
    assert isinstance(frist, datetime) and r.dansk_dato(frist) == date(2026, 11, 11)


def test_hour_deadlines_count_elapsed_hours_over_the_dst_changes() -> None:
    regler = Leveringsregler("t", erstatningsfrist=Loefte(3, "timer"))
    # Spring: on 29 March 2026 the clock jumps 02:00 -> 03:00. 01:00 + 3 hours is 05:00.
    g = r.seneste_start_tidspunkt(date(2026, 3, 28), "nat", TIME)
    assert g == datetime(2026, 3, 29, 1, tzinfo=CPH)
    frist = r.erstatningsfrist_forsinket(date(2026, 3, 28), "nat", g, regler)
    assert isinstance(frist, datetime)
    assert frist.astimezone(UTC) - g.astimezone(UTC) == timedelta(hours=3)
    assert frist.astimezone(CPH).replace(tzinfo=None) == datetime(2026, 3, 29, 5)
    # Autumn: on 25 October 2026 03:00 -> 02:00. 01:00 + 3 hours is 03:00.
    g = r.seneste_start_tidspunkt(date(2026, 10, 24), "nat", TIME)
    frist = r.erstatningsfrist_forsinket(date(2026, 10, 24), "nat", g, regler)
    assert isinstance(frist, datetime)
    assert frist.astimezone(UTC) - g.astimezone(UTC) == timedelta(hours=3)
    assert frist.astimezone(CPH).replace(tzinfo=None) == datetime(2026, 10, 25, 3)
    # The late check itself: not late a minute before the limit in UTC terms either.
    before = g.astimezone(UTC) - timedelta(minutes=1)
    assert not r.er_forsinket(date(2026, 10, 24), "nat", TIME, before)
    assert r.er_forsinket(date(2026, 10, 24), "nat", TIME, g.astimezone(UTC) + timedelta(seconds=1))


def test_day_tolerance_ends_at_midnight_after_its_last_day() -> None:
    d = date(2026, 11, 10)
    assert r.seneste_start_tidspunkt(d, "formiddag", Loefte(1, "kalenderdage")) == datetime(
        2026, 11, 12, 0, tzinfo=CPH
    )
    assert kl(d, 12).tzinfo is UTC


# -- the duty's deadline as an instant (item 2) ------------------------------------------


def test_a_late_visit_owes_a_replacement_by_the_instant_of_an_hour_promise() -> None:
    p = pleje()
    b = foerste(p)
    g = graense(b)
    nu = g + timedelta(minutes=1)
    p.kontroller_forsinkelser(nu, LEV, nu)
    ev, *_ = haendelser(p, Besoegsforloeb.BesoegForsinket)
    assert isinstance(ev, Besoegsforloeb.BesoegForsinket)
    assert ev.frist_tidspunkt == g + timedelta(hours=3) and ev.erstatningsfrist == b.dato
    assert p.bestilling.frist_tidspunkter() == {b.besoeg_id: g + timedelta(hours=3)}
    # Due to the minute when the instant is given; the day check waits for the next day.
    o = p.bestilling
    assert o.kontroller_frister(b.dato, LEV, nu, g + timedelta(hours=3)) == []
    assert o.kontroller_frister(b.dato, LEV, nu) == []
    assert o.kontroller_frister(b.dato, LEV, nu, g + timedelta(hours=3, minutes=1)) == [b.besoeg_id]
    [svigt] = haendelser(p, Erstatningsforloeb.LeveringSvigtet)
    assert isinstance(svigt, Erstatningsforloeb.LeveringSvigtet)
    assert svigt.frist_tidspunkt == g + timedelta(hours=3)


def test_the_late_duty_across_midnight_and_the_spring_dst_change() -> None:
    p = pleje()
    nat = PlanlagtBesoeg(uuid4(), date(2026, 3, 28), "nat", 20)
    g = r.seneste_start_tidspunkt(nat.dato, nat.tidsvindue, TIME)
    frist = p.bestilling.forsinkelsesfrist(nat, g)
    assert frist is not None
    dag, tidspunkt = frist
    assert dag == date(2026, 3, 29)  # the Danish day of the instant, past midnight
    assert tidspunkt is not None
    assert tidspunkt.astimezone(UTC) == datetime(2026, 3, 29, 3, tzinfo=UTC)  # 05:00 CEST


def test_a_cancellation_with_an_hour_promise_is_met_only_by_its_instant() -> None:
    from services.provider.domain.values import Levering

    p = pleje()
    b = foerste(p)
    aflyst = kl(b.dato, 6)  # 07:00 Danish time, before the 09-12 window
    a = p.aflys_besoeg(b.besoeg_id, "leverandoer", "Syg", aflyst, LEV, aflyst)
    start = datetime.combine(b.dato, datetime.min.time(), CPH).replace(hour=9)
    assert a.frist_tidspunkt == start + timedelta(hours=3) and a.erstatningsfrist == b.dato
    assert p.bestilling.pligt(b.besoeg_id).frist_tidspunkt == a.frist_tidspunkt
    e = p.planlaeg_erstatning(b.besoeg_id, b.dato, "aften", LEV, aflyst)
    [planlagt] = haendelser(p, Besoegsforloeb.ErstatningsbesoegPlanlagt)
    assert isinstance(planlagt, Besoegsforloeb.ErstatningsbesoegPlanlagt)
    assert planlagt.frist_tidspunkt == a.frist_tidspunkt
    # Delivered on the deadline's day but after its instant: the duty is not met.
    sent = a.frist_tidspunkt + timedelta(hours=2)
    p.registrer_levering(Levering(e.besoeg_id, sent, 20, "m-1"), LEV, sent)
    assert b.besoeg_id in p.bestilling.erstatningspligter()


def test_the_latest_start_is_total_at_the_end_of_time() -> None:
    """A visit stored on 31 December 9999 (before the APIs bounded dates) still gets a
    latest start, so neither the work lists nor the check fail on it."""
    g = r.seneste_start_tidspunkt(date(9999, 12, 31), "nat", TIME)
    assert g.date() == date(9999, 12, 31)
    assert not r.er_forsinket(date(9999, 12, 31), "nat", TIME, datetime(2027, 1, 1, tzinfo=UTC))
