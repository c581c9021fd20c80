"""Check-in and check-out on a visit (BesoegPaabegyndt, BesoegForladt) and which planned
visits are late against the kommune's tolerance (issue 16 item 2). Pure domain: no store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.provider.domain.bestilling import Bestilling
from services.provider.domain.periode import Besoegsplan
from services.provider.domain.regler import seneste_start
from services.provider.domain.values import Leveringsregler, PlanlagtBesoeg
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.loefte import Loefte

LEV = Aktoer("sosu-maria", "leverandoer", "omsorg-plus-aps")
START = date(2026, 3, 2)  # a Monday


def kl(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC)


def plan(tolerance: Loefte | None, regler: Leveringsregler | None = None) -> Besoegsplan:
    b = Bestilling(
        bevilling_id=uuid4(),
        sag_id=uuid4(),
        borger_id=uuid4(),
        leverandoer_id="omsorg-plus-aps",
        indsats_kode="P1.1",
        indsats_navn="Personlig pleje",
        kategori="personlig",
        antal=1,
        periode="dag",
        minutter_pr_besoeg=20,
        startdato=START,
        slutdato=None,
        aktoer=LEV,
        occurred_at=kl(START, 5),
        leveringsregler=regler
        or Leveringsregler(
            "test-2026", forsinkelsestolerance=tolerance, erstatningsfrist=Loefte(3, "timer")
        ),
    )
    p = Besoegsplan(b, dict.fromkeys(Besoegsplan.maaneder_til_planlaegning(START)))
    assert p.planlaeg(START, LEV, kl(START, 5)) > 0
    return p


def foerste(p: Besoegsplan) -> PlanlagtBesoeg:
    return min(p.besoeg.values(), key=lambda b: (b.dato, b.tidsvindue))


def test_check_in_then_check_out() -> None:
    p = plan(Loefte(1, "timer"))
    b = foerste(p)
    ind = kl(b.dato, 8)
    p.paabegynd(b.besoeg_id, ind, "m-1", LEV, ind)
    p.forlad(b.besoeg_id, ind + timedelta(minutes=25), "m-1", LEV, ind + timedelta(minutes=30))
    h = p.holder(b.besoeg_id)
    assert h.paabegyndte[b.besoeg_id] == ind
    assert h.forladte[b.besoeg_id] == ind + timedelta(minutes=25)
    # Still planned until the delivery itself is registered.
    assert p.status(b.besoeg_id) == "planlagt"


def test_check_in_rules() -> None:
    p = plan(Loefte(1, "timer"))
    b = foerste(p)
    nu = kl(b.dato, 9)
    with pytest.raises(DomainRuleViolation, match="i-fremtiden"):
        p.paabegynd(b.besoeg_id, nu + timedelta(hours=1), "m-1", LEV, nu)
    with pytest.raises(DomainRuleViolation, match="besoeg-foer-besoegsdato"):
        p.paabegynd(b.besoeg_id, nu - timedelta(days=1), "m-1", LEV, nu)
    with pytest.raises(DomainRuleViolation):
        p.paabegynd(b.besoeg_id, nu, " ", LEV, nu)
    with pytest.raises(DomainRuleViolation, match="besoeg-ikke-paabegyndt"):
        p.forlad(b.besoeg_id, nu, "m-1", LEV, nu)
    p.paabegynd(b.besoeg_id, nu, "m-1", LEV, nu)
    with pytest.raises(DomainRuleViolation, match="besoeg-allerede-paabegyndt"):
        p.paabegynd(b.besoeg_id, nu, "m-1", LEV, nu)
    with pytest.raises(DomainRuleViolation):
        p.forlad(b.besoeg_id, nu - timedelta(minutes=5), "m-1", LEV, nu)


def test_late_visit_found_only_past_window_plus_tolerance() -> None:
    p = plan(Loefte(1, "timer"))
    b = foerste(p)
    graense = seneste_start(b.dato, b.tidsvindue, Loefte(1, "timer"))
    assert isinstance(graense, datetime)
    assert b not in p.forsinkede(graense)
    assert b in p.forsinkede(graense + timedelta(minutes=1))


def test_started_visit_is_not_late() -> None:
    p = plan(Loefte(1, "timer"))
    b = foerste(p)
    ind = kl(b.dato, 8)
    p.paabegynd(b.besoeg_id, ind, "m-1", LEV, ind)
    assert b not in p.forsinkede(kl(b.dato, 23))


def test_no_tolerance_no_late_check() -> None:
    """Orders from catalogues before schema v2 (Herlev's) keep their old behaviour."""
    p = plan(None)
    assert p.forsinkede(kl(START + timedelta(days=20), 12)) == []


def _med_regler(regler: Leveringsregler) -> Besoegsplan:
    return plan(None, regler)


def test_citizen_cancellation_judged_in_hours() -> None:
    p = _med_regler(Leveringsregler("t", aflysningsvarsel=Loefte(48, "timer")))
    b = foerste(p)
    start = datetime.combine(b.dato, datetime.min.time(), UTC) + timedelta(hours=7)
    a = p.aflys_besoeg(b.besoeg_id, "borger", "Til lægen", start - timedelta(hours=33), LEV, start)
    assert not a.rettidig


def test_working_day_replacement_deadline() -> None:
    # The first visit is Monday 2 March 2026; cancelled on the Friday before + 2 working days.
    p = _med_regler(Leveringsregler("t", erstatningsfrist=Loefte(2, "arbejdsdage")))
    b = foerste(p)
    a = p.aflys_besoeg(b.besoeg_id, "leverandoer", "Syg", kl(b.dato, 5), LEV, kl(b.dato, 5))
    assert a.erstatning_skyldig and a.erstatningsfrist == date(2026, 3, 4)
