"""Unit tests of the provider domain: the Bestilling aggregate, its visits and their outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.values import Levering, PlanlagtBesoeg
from shared.kernel import Aktoer, DomainRuleViolation, NotFound

CPH = ZoneInfo("Europe/Copenhagen")
MANDAG = date(2024, 1, 8)  # a Monday in winter (CET, UTC+1)
NU = datetime(2024, 1, 5, 12, 0, tzinfo=CPH)
#: When a care worker registers a delivery, a visit in vain or a cancellation: after every
#: reported moment of the tests (a report stamped later than its registration is refused).
REGISTRERET = datetime(2024, 3, 1, 12, 0, tzinfo=CPH)
PLANLAEGGER = Aktoer("p-1", "planlaegger", "hjemmeplejen-nord")
MEDARBEJDER = Aktoer("m-2", "medarbejder", "hjemmeplejen-nord")
BORGER = Aktoer("b-3", "borger", "borger")


def ny_bestilling(
    bevilling_id: UUID | None = None,
    *,
    antal: int = 2,
    periode: str = "uge",
    startdato: date = MANDAG,
    slutdato: date | None = None,
) -> Bestilling:
    return Bestilling(
        bevilling_id=bevilling_id or uuid4(),
        sag_id=uuid4(),
        borger_id=uuid4(),
        leverandoer_id="hjemmeplejen-nord",
        indsats_kode="PS-BAD",
        indsats_navn="Bad",
        kategori="personlig",
        antal=antal,
        periode=periode,
        minutter_pr_besoeg=25,
        startdato=startdato,
        slutdato=slutdato,
        aktoer=PLANLAEGGER,
        occurred_at=NU,
    )


def planlagt(antal: int = 2, periode: str = "uge") -> Bestilling:
    b = ny_bestilling(antal=antal, periode=periode)
    b.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU)
    b.collect_events()
    return b


def besoeg_paa(b: Bestilling, dato: date, tidsvindue: str = "dag") -> PlanlagtBesoeg:
    (besoeg,) = [x for x in b.besoeg.values() if x.dato == dato and x.tidsvindue == tidsvindue]
    return besoeg


def levering(besoeg: PlanlagtBesoeg, tidspunkt: datetime, minutter: int = 25) -> Levering:
    return Levering(besoeg.besoeg_id, tidspunkt, minutter, "medarbejder-42")


def kl(d: date, hour: int, minute: int = 0, tz: ZoneInfo = CPH) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)


# -- creation ------------------------------------------------------------------------
def test_one_order_per_grant() -> None:
    bevilling_id = uuid4()
    b = ny_bestilling(bevilling_id)
    assert b.id == Bestilling.create_id(bevilling_id)
    assert ny_bestilling(bevilling_id).id == b.id
    assert ny_bestilling().id != b.id
    (e,) = b.collect_events()
    assert isinstance(e, Bestilling.BestillingModtaget)
    assert e.bevilling_id == bevilling_id
    assert e.aktoer == PLANLAEGGER
    assert b.besoeg == {}


# -- planning ------------------------------------------------------------------------
class TestPlanlaegning:
    def test_plans_four_weeks_from_fra(self) -> None:
        b = ny_bestilling(antal=2, periode="uge")
        b.collect_events()
        b.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU)
        (e,) = b.collect_events()
        assert isinstance(e, Besoegsforloeb.BesoegPlanlagt)
        assert [(x.dato, x.tidsvindue) for x in e.besoeg] == [
            (MANDAG + timedelta(weeks=w, days=d), "dag") for w in range(4) for d in (0, 3)
        ]
        assert all(x.planlagte_minutter == 25 for x in e.besoeg)
        assert e.sag_id == b.sag_id
        assert e.leverandoer_id == "hjemmeplejen-nord"
        assert e.aktoer == PLANLAEGGER
        assert set(b.besoeg) == {x.besoeg_id for x in e.besoeg}

    def test_visit_ids_are_deterministic(self) -> None:
        bevilling_id = uuid4()
        first = ny_bestilling(bevilling_id, antal=3, periode="dag")
        second = ny_bestilling(bevilling_id, antal=3, periode="dag")
        first.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU)
        second.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU + timedelta(hours=1))
        assert first.besoeg == second.besoeg
        assert len(first.besoeg) == 28 * 3

    def test_visit_ids_differ_between_orders_dates_and_windows(self) -> None:
        a, other = ny_bestilling(antal=2, periode="dag"), ny_bestilling(antal=2, periode="dag")
        a.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU)
        other.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU)
        assert len(set(a.besoeg)) == len(a.besoeg) == 28 * 2
        assert set(a.besoeg).isdisjoint(other.besoeg)

    def test_planning_twice_adds_nothing(self) -> None:
        b = planlagt()
        before = dict(b.besoeg)
        b.planlaeg_besoeg(MANDAG, PLANLAEGGER, NU)
        assert b.collect_events() == []
        assert b.besoeg == before

    def test_rolling_plan_adds_only_new_days(self) -> None:
        b = planlagt()
        before = dict(b.besoeg)
        b.planlaeg_besoeg(MANDAG + timedelta(weeks=1), PLANLAEGGER, NU)
        (e,) = b.collect_events()
        assert isinstance(e, Besoegsforloeb.BesoegPlanlagt)
        assert [x.dato for x in e.besoeg] == [
            MANDAG + timedelta(weeks=4),
            MANDAG + timedelta(weeks=4, days=3),
        ]
        assert b.besoeg == before | {x.besoeg_id: x for x in e.besoeg}

    def test_nothing_to_plan_after_the_grant_ended(self) -> None:
        b = ny_bestilling(slutdato=MANDAG + timedelta(days=2))
        b.collect_events()
        b.planlaeg_besoeg(MANDAG + timedelta(weeks=1), PLANLAEGGER, NU)
        assert b.collect_events() == []


# -- delivery ------------------------------------------------------------------------
class TestLevering:
    def test_delivery_stamped_ahead_of_its_registration_refused(self) -> None:
        """Settlement counts deliveries: one stamped a year ahead would be paid for a visit
        that has not happened. A phone's clock may run a few minutes fast."""
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        nu = kl(MANDAG, 10)
        with pytest.raises(DomainRuleViolation) as exc:
            b.registrer_levering(levering(besoeg, nu + timedelta(days=365)), MEDARBEJDER, nu)
        assert exc.value.rule == "levering-i-fremtiden"
        with pytest.raises(DomainRuleViolation):
            b.registrer_levering(levering(besoeg, nu + timedelta(minutes=6)), MEDARBEJDER, nu)
        b.registrer_levering(levering(besoeg, nu + timedelta(minutes=4)), MEDARBEJDER, nu)

    def test_cancellation_stamped_in_the_future_refused(self) -> None:
        """Timeliness is read from the cancellation's stamp: a stamp ahead of now cannot
        make a late cancellation look early, nor report one that has not been made."""
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        nu = kl(MANDAG - timedelta(days=2), 10)
        with pytest.raises(DomainRuleViolation) as exc:
            b.aflys_besoeg(besoeg.besoeg_id, "borger", "Syg", nu + timedelta(hours=1), BORGER, nu)
        assert exc.value.rule == "aflysning-i-fremtiden"

    def test_delivery_recorded(self) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        lev = levering(besoeg, kl(MANDAG, 10), minutter=30)
        b.registrer_levering(lev, MEDARBEJDER, REGISTRERET)
        (e,) = b.collect_events()
        assert isinstance(e, Besoegsforloeb.IndsatsLeveret)
        assert e.levering == lev
        assert e.sag_id == b.sag_id
        assert e.leverandoer_id == "hjemmeplejen-nord"
        assert e.aktoer == MEDARBEJDER
        assert b.leveringer == {besoeg.besoeg_id: lev}

    def test_delivery_before_planned_day_refused(self) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG + timedelta(days=3))
        with pytest.raises(DomainRuleViolation) as exc_info:
            b.registrer_levering(levering(besoeg, kl(MANDAG, 23, 59)), MEDARBEJDER, REGISTRERET)
        assert exc_info.value.rule == "levering-foer-besoegsdato"
        assert b.collect_events() == []
        assert b.leveringer == {}

    def test_planned_day_is_the_danish_calendar_day(self) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        # 23:30 UTC on Sunday is 00:30 on Monday in Copenhagen: on the planned day.
        sunday_late_utc = kl(MANDAG - timedelta(days=1), 23, 30, ZoneInfo("UTC"))
        b.registrer_levering(levering(besoeg, sunday_late_utc), MEDARBEJDER, REGISTRERET)
        assert besoeg.besoeg_id in b.leveringer

    def test_danish_day_before_refused_even_if_same_utc_day(self) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        # 23:30 Sunday in Copenhagen is 22:30 UTC Sunday: still the day before.
        with pytest.raises(DomainRuleViolation) as exc_info:
            b.registrer_levering(
                levering(besoeg, kl(MANDAG - timedelta(days=1), 23, 30)), MEDARBEJDER, REGISTRERET
            )
        assert exc_info.value.rule == "levering-foer-besoegsdato"

    @pytest.mark.parametrize("minutter", [-1, 601])
    def test_invalid_actual_minutes_refused(self, minutter: int) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        with pytest.raises(DomainRuleViolation) as exc_info:
            b.registrer_levering(
                levering(besoeg, kl(MANDAG, 10), minutter), MEDARBEJDER, REGISTRERET
            )
        assert exc_info.value.rule == "ugyldigt-tidsforbrug"
        assert b.collect_events() == []

    @pytest.mark.parametrize("minutter", [0, 600])
    def test_actual_minute_bounds_accepted(self, minutter: int) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        b.registrer_levering(levering(besoeg, kl(MANDAG, 10), minutter), MEDARBEJDER, REGISTRERET)
        assert b.leveringer[besoeg.besoeg_id].faktiske_minutter == minutter

    def test_unknown_visit_not_found(self) -> None:
        b = planlagt()
        unknown = uuid4()
        with pytest.raises(NotFound) as exc_info:
            b.registrer_levering(
                Levering(unknown, kl(MANDAG, 10), 25, "medarbejder-42"), MEDARBEJDER, REGISTRERET
            )
        assert exc_info.value.ident == unknown
        assert b.collect_events() == []


# -- closed visits -------------------------------------------------------------------
def _lever(b: Bestilling, besoeg: PlanlagtBesoeg) -> None:
    b.registrer_levering(levering(besoeg, kl(besoeg.dato, 10)), MEDARBEJDER, REGISTRERET)


def _aflys(b: Bestilling, besoeg: PlanlagtBesoeg) -> None:
    b.aflys_besoeg(
        besoeg.besoeg_id,
        "borger",
        "Indlagt",
        kl(besoeg.dato - timedelta(days=1), 12),
        BORGER,
        REGISTRERET,
    )


@pytest.mark.parametrize("luk", [_lever, _aflys], ids=["delivered", "cancelled"])
@pytest.mark.parametrize("igen", [_lever, _aflys], ids=["deliver-again", "cancel-again"])
def test_closed_visit_cannot_be_delivered_or_cancelled(
    luk: Callable[[Bestilling, PlanlagtBesoeg], None],
    igen: Callable[[Bestilling, PlanlagtBesoeg], None],
) -> None:
    b = planlagt()
    besoeg = besoeg_paa(b, MANDAG)
    luk(b, besoeg)
    b.collect_events()
    with pytest.raises(DomainRuleViolation) as exc_info:
        igen(b, besoeg)
    assert exc_info.value.rule == "besoeg-afsluttet"
    assert b.collect_events() == []


# -- cancellation --------------------------------------------------------------------
class TestAflysning:
    def test_unknown_visit_not_found(self) -> None:
        b = planlagt()
        with pytest.raises(NotFound):
            b.aflys_besoeg(uuid4(), "borger", "Syg", kl(MANDAG, 6), BORGER, REGISTRERET)
        assert b.collect_events() == []

    @pytest.mark.parametrize("aarsag", ["", "   "])
    def test_cancellation_without_reason_refused(self, aarsag: str) -> None:
        b = planlagt()
        besoeg = besoeg_paa(b, MANDAG)
        with pytest.raises(DomainRuleViolation) as exc_info:
            b.aflys_besoeg(besoeg.besoeg_id, "borger", aarsag, kl(MANDAG, 6), BORGER, REGISTRERET)
        assert exc_info.value.rule == "aflysning-uden-aarsag"
        assert b.collect_events() == []
        assert b.aflysninger == {}

    def test_citizen_cancelling_the_day_before_is_on_time(self) -> None:
        b = planlagt(antal=1, periode="dag")  # window "formiddag" starts 09:00
        besoeg = besoeg_paa(b, MANDAG, "formiddag")
        aflyst = kl(MANDAG - timedelta(days=1), 18)
        aflysning = b.aflys_besoeg(besoeg.besoeg_id, "borger", "Besøg", aflyst, BORGER, REGISTRERET)
        assert aflysning.rettidig is True
        assert aflysning.varsel_timer > 0
        assert aflysning.varsel_timer == 15.0
        assert aflysning.aflyst_af == "borger"
        assert aflysning.aflyst_tidspunkt == aflyst
        # The reason is free text about the citizen: theirs, encrypted with their key.
        assert aflysning.aarsag.vis() == "Besøg" and aflysning.aarsag.ejer == str(b.borger_id)
        (e,) = b.collect_events()
        assert isinstance(e, Besoegsforloeb.BesoegAflyst)
        assert e.aflysning == aflysning
        assert e.sag_id == b.sag_id
        assert e.aktoer == BORGER
        assert b.aflysninger == {besoeg.besoeg_id: aflysning}

    def test_citizen_cancelling_the_same_day_is_late(self) -> None:
        b = planlagt(antal=1, periode="dag")
        besoeg = besoeg_paa(b, MANDAG, "formiddag")
        aflysning = b.aflys_besoeg(
            besoeg.besoeg_id, "borger", "Syg", kl(MANDAG, 7, 30), BORGER, REGISTRERET
        )
        assert aflysning.rettidig is False
        assert aflysning.varsel_timer == 1.5

    def test_same_day_after_window_start_gives_negative_notice(self) -> None:
        b = planlagt(antal=1, periode="dag")
        besoeg = besoeg_paa(b, MANDAG, "formiddag")
        aflysning = b.aflys_besoeg(
            besoeg.besoeg_id, "borger", "Glemt", kl(MANDAG, 10), BORGER, REGISTRERET
        )
        assert aflysning.rettidig is False
        assert aflysning.varsel_timer == -1.0

    def test_rettidig_uses_the_danish_calendar_day(self) -> None:
        b = planlagt(antal=1, periode="dag")
        besoeg = besoeg_paa(b, MANDAG, "formiddag")
        # 23:30 UTC on Sunday is already Monday 00:30 in Copenhagen.
        aflyst = kl(MANDAG - timedelta(days=1), 23, 30, ZoneInfo("UTC"))
        aflysning = b.aflys_besoeg(besoeg.besoeg_id, "borger", "Syg", aflyst, BORGER, REGISTRERET)
        assert aflysning.rettidig is False
        assert aflysning.varsel_timer == 8.5

    def test_utc_input_gives_same_notice_as_danish_time(self) -> None:
        b = planlagt(antal=1, periode="dag")
        besoeg = besoeg_paa(b, MANDAG, "formiddag")
        aflyst = kl(MANDAG - timedelta(days=1), 18).astimezone(UTC)
        aflysning = b.aflys_besoeg(besoeg.besoeg_id, "borger", "Syg", aflyst, BORGER, REGISTRERET)
        assert aflysning.rettidig is True
        assert aflysning.varsel_timer == 15.0

    def test_window_without_start_hour_defaults_to_eight(self) -> None:
        b = planlagt()  # "uge" visits use the window "dag"
        besoeg = besoeg_paa(b, MANDAG)
        aflysning = b.aflys_besoeg(
            besoeg.besoeg_id,
            "leverandoer",
            "Personalemangel",
            kl(MANDAG, 6),
            PLANLAEGGER,
            REGISTRERET,
        )
        assert aflysning.varsel_timer == 2.0
        assert aflysning.aflyst_af == "leverandoer"


def test_a_visit_note_needs_text_and_is_the_citizens() -> None:
    from datetime import UTC, datetime
    from uuid import uuid4

    from services.provider.domain.notat import MAKS_TEGN, Besoegsnotat, nyt_notat
    from services.provider.domain.values import Enhedsregistrering
    from shared.kernel import Aktoer, DomainRuleViolation
    from shared.kernel.personoplysning import fritekst

    borger = uuid4()
    nu = datetime(2026, 12, 4, 12, tzinfo=UTC)
    aktoer = Aktoer("sosu-maria", "leverandoer", "omsorg-plus-aps")

    def notat(tekst: str, enhed: Enhedsregistrering | None = None) -> Besoegsnotat:
        return nyt_notat(
            uuid4(), uuid4(), borger, "omsorg-plus-aps", "m", fritekst(tekst), enhed, aktoer, nu
        )

    for tom in ("", "  \n "):
        with pytest.raises(DomainRuleViolation, match="notat-tomt"):
            notat(tom)
    with pytest.raises(DomainRuleViolation, match="notat-for-langt"):
        notat("x" * (MAKS_TEGN + 1))
    skrevet = notat("Alt vel; æblegrød til frokost.")
    assert skrevet.tekst.ejer == str(borger) and skrevet.skrevet == nu
    paa_telefon = datetime(2026, 12, 4, 9, tzinfo=UTC)
    synket = notat("ok", Enhedsregistrering("telefon-1", paa_telefon))
    assert synket.skrevet == paa_telefon
