"""Unit tests of cancellations with replacement duty, forgæves visits, deadline checks,
ophør, leverandørskift, hospital stays and change reports (no I/O)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from services.provider.domain import regler
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.erstatning import Erstatningsforloeb
from services.provider.domain.forloeb import Bestillingsforloeb
from services.provider.domain.values import (
    Aendringsindberetning,
    Forgaeves,
    Levering,
    Leveringsregler,
)
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import fritekst

CPH = ZoneInfo("Europe/Copenhagen")
MANDAG = date(2024, 1, 8)
TORSDAG = MANDAG + timedelta(days=3)
NU = datetime(2024, 1, 5, 12, 0, tzinfo=CPH)
#: When a care worker registers a delivery, a visit in vain or a cancellation: after every
#: reported moment of the tests (a report stamped later than its registration is refused).
REGISTRERET = datetime(2024, 3, 1, 12, 0, tzinfo=CPH)
LEV = Aktoer("p-1", "leverandoer", "hjemmeplejen-nord")
BORGER = Aktoer("b-3", "borger", "borger")
HERLEV_RENGOERING = Leveringsregler("herlev-2013", 1, True, True, 8)


def kl(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=CPH)


def bestilling(regler_: Leveringsregler | None = None) -> Bestilling:
    b = Bestilling(
        bevilling_id=uuid4(),
        sag_id=uuid4(),
        borger_id=uuid4(),
        leverandoer_id="hjemmeplejen-nord",
        indsats_kode="H2.1",
        indsats_navn="Rengøring",
        kategori="praktisk",
        antal=2,
        periode="uge",
        minutter_pr_besoeg=30,
        startdato=MANDAG,
        slutdato=None,
        aktoer=LEV,
        occurred_at=NU,
        leveringsregler=regler_,
    )
    b.planlaeg_besoeg(MANDAG, LEV, NU)
    b.collect_events()
    return b


def paa(b: Bestilling, d: date) -> UUID:
    (x,) = [v.besoeg_id for v in b.besoeg.values() if v.dato == d]
    return x


# -- pure rules -------------------------------------------------------------------------
class TestRegler:
    def test_default_rules_are_herlevs_day_before(self) -> None:
        std = Leveringsregler()
        assert regler.er_rettidig(MANDAG, kl(MANDAG - timedelta(days=1), 23), std)
        assert not regler.er_rettidig(MANDAG, kl(MANDAG, 6), std)

    def test_longer_notice_from_the_catalogue(self) -> None:
        to_dage = Leveringsregler(aflysningsfrist_dage_foer=2)
        assert regler.er_rettidig(MANDAG, kl(MANDAG - timedelta(days=2), 20), to_dage)
        assert not regler.er_rettidig(MANDAG, kl(MANDAG - timedelta(days=1), 8), to_dage)

    @pytest.mark.parametrize(
        ("aflyst_af", "rettidig", "ved_borger", "skyldig"),
        [
            ("leverandoer", False, False, True),
            ("borger", True, False, False),
            ("borger", True, True, True),
            ("borger", False, True, False),
        ],
    )
    def test_who_owes_a_replacement(
        self, aflyst_af: str, rettidig: bool, ved_borger: bool, skyldig: bool
    ) -> None:
        r = Leveringsregler(erstatning_ved_rettidig_borgeraflysning=ved_borger)
        assert regler.erstatning_skyldig(aflyst_af, rettidig, r) is skyldig

    def test_catalogue_can_waive_provider_replacement(self) -> None:
        r = Leveringsregler(erstatning_ved_leverandoeraflysning=False)
        assert regler.erstatning_skyldig("leverandoer", False, r) is False

    def test_deadline_counts_from_visit_or_later_cancellation(self) -> None:
        r = Leveringsregler(erstatningsfrist_dage=8)
        assert regler.erstatningsfrist(MANDAG, kl(MANDAG - timedelta(days=3)), r) == date(
            2024, 1, 16
        )
        assert regler.erstatningsfrist(MANDAG, kl(MANDAG + timedelta(days=2)), r) == date(
            2024, 1, 18
        )


# -- cancellation and replacement -----------------------------------------------------
class TestErstatning:
    def test_provider_cancellation_opens_duty_with_deadline(self) -> None:
        b = bestilling()
        v = paa(b, MANDAG)
        a = b.aflys_besoeg(v, "leverandoer", "Sygdom i personalet", kl(MANDAG, 6), LEV, REGISTRERET)
        assert a.erstatning_skyldig and a.erstatningsfrist == MANDAG + timedelta(days=8)
        assert b.erstatningspligter() == {v: MANDAG + timedelta(days=8)}

    def test_timely_citizen_cancellation_owes_only_where_catalogue_says(self) -> None:
        std, herlev = bestilling(), bestilling(HERLEV_RENGOERING)
        for b, owed in ((std, False), (herlev, True)):
            v = paa(b, TORSDAG)
            a = b.aflys_besoeg(v, "borger", "Hos lægen", kl(MANDAG), BORGER, REGISTRERET)
            assert a.rettidig and a.erstatning_skyldig is owed

    def test_late_citizen_cancellation_owes_nothing(self) -> None:
        b = bestilling(HERLEV_RENGOERING)
        a = b.aflys_besoeg(paa(b, MANDAG), "borger", "Syg", kl(MANDAG, 6), BORGER, REGISTRERET)
        assert not a.rettidig and not a.erstatning_skyldig and a.erstatningsfrist is None

    def _aflyst(self) -> tuple[Bestilling, UUID]:
        b = bestilling()
        v = paa(b, MANDAG)
        b.aflys_besoeg(v, "leverandoer", "Sygdom", kl(MANDAG, 6), LEV, REGISTRERET)
        return b, v

    def test_replacement_links_and_delivery_meets_duty(self) -> None:
        b, v = self._aflyst()
        e = b.planlaeg_erstatning(v, MANDAG + timedelta(days=1), "eftermiddag", LEV, NU)
        assert e.erstatter_besoeg_id == v and b.status(e.besoeg_id) == "planlagt"
        b.registrer_levering(
            Levering(e.besoeg_id, kl(MANDAG + timedelta(days=1), 14), 30, "m"), LEV, REGISTRERET
        )
        assert b.erstatningspligter() == {}
        assert b.kontroller_frister(MANDAG + timedelta(days=30), LEV, NU) == []

    def test_missed_deadline_fails_once(self) -> None:
        b, v = self._aflyst()
        b.collect_events()
        frist = MANDAG + timedelta(days=8)
        assert b.kontroller_frister(frist, LEV, NU) == []  # the last day itself is still fine
        assert b.kontroller_frister(frist + timedelta(days=1), LEV, NU) == [v]
        (e,) = b.collect_events()
        assert isinstance(e, Erstatningsforloeb.LeveringSvigtet)
        assert (e.besoeg_id, e.oprindelig_dato, e.erstatningsfrist) == (v, MANDAG, frist)
        assert b.kontroller_frister(frist + timedelta(days=5), LEV, NU) == []

    def test_replacement_delivered_after_deadline_still_fails(self) -> None:
        b, v = self._aflyst()
        e = b.planlaeg_erstatning(v, MANDAG + timedelta(days=8), "dag2", LEV, NU)
        late = kl(MANDAG + timedelta(days=9))
        b.registrer_levering(Levering(e.besoeg_id, late, 30, "m"), LEV, REGISTRERET)
        assert b.kontroller_frister(MANDAG + timedelta(days=9), LEV, NU) == [v]

    @pytest.mark.parametrize(
        ("dag", "regel"), [(9, "erstatning-efter-frist"), (-1, "erstatning-foer-aflysning")]
    )
    def test_replacement_outside_window_refused(self, dag: int, regel: str) -> None:
        b, v = self._aflyst()
        with pytest.raises(DomainRuleViolation) as exc:
            b.planlaeg_erstatning(v, MANDAG + timedelta(days=dag), "aften", LEV, NU)
        assert exc.value.rule == regel

    def test_no_double_booking_and_one_replacement_at_a_time(self) -> None:
        b, v = self._aflyst()
        with pytest.raises(DomainRuleViolation) as exc:
            b.planlaeg_erstatning(v, TORSDAG, "dag", LEV, NU)
        assert exc.value.rule == "dobbeltbooking"
        b.planlaeg_erstatning(v, TORSDAG, "aften", LEV, NU)
        with pytest.raises(DomainRuleViolation) as exc:
            b.planlaeg_erstatning(v, TORSDAG, "morgen", LEV, NU)
        assert exc.value.rule == "erstatning-allerede-planlagt"

    def test_cancelled_replacement_keeps_original_duty(self) -> None:
        b, v = self._aflyst()
        e = b.planlaeg_erstatning(v, TORSDAG, "aften", LEV, NU)
        a = b.aflys_besoeg(e.besoeg_id, "leverandoer", "Igen syg", kl(TORSDAG, 6), LEV, REGISTRERET)
        assert not a.erstatning_skyldig
        assert v in b.erstatningspligter()
        e2 = b.planlaeg_erstatning(v, TORSDAG + timedelta(days=1), "aften", LEV, NU)
        assert e2.besoeg_id != e.besoeg_id

    def test_no_duty_no_replacement(self) -> None:
        b = bestilling()
        with pytest.raises(DomainRuleViolation) as exc:
            b.planlaeg_erstatning(paa(b, MANDAG), TORSDAG, "aften", LEV, NU)
        assert exc.value.rule == "ingen-erstatningspligt"


# -- delivery details --------------------------------------------------------------------
class TestLevering:
    def test_screen_visit_with_tasks_and_staff(self) -> None:
        b = bestilling()
        v = paa(b, MANDAG)
        lev = Levering(v, kl(MANDAG), 10, "m1", "skaerm", ("m2",), ("medicin",))
        b.registrer_levering(lev, LEV, REGISTRERET)
        assert b.status(v) == "leveret" and b.leveringer[v].kanal == "skaerm"

    def test_partial_delivery_needs_reason(self) -> None:
        b = bestilling()
        v = paa(b, MANDAG)
        bad = Levering(v, kl(MANDAG), 10, "m", opgaver_ikke_udfoert=("gulv",))
        with pytest.raises(DomainRuleViolation) as exc:
            b.registrer_levering(bad, LEV, REGISTRERET)
        assert exc.value.rule == "ikke-udfoerte-opgaver-kraever-delvis"
        ok = Levering(
            v,
            kl(MANDAG),
            10,
            "m",
            opgaver_ikke_udfoert=("gulv",),
            delvis=True,
            delvis_aarsag=fritekst("Tid"),
        )
        b.registrer_levering(ok, LEV, REGISTRERET)
        assert b.status(v) == "delvist_leveret"

    def test_unknown_channel_refused(self) -> None:
        b = bestilling()
        with pytest.raises(DomainRuleViolation) as exc:
            b.registrer_levering(
                Levering(paa(b, MANDAG), kl(MANDAG), 10, "m", "brev"), LEV, REGISTRERET
            )
        assert exc.value.rule == "ukendt-kanal"

    def test_forgaeves_closes_visit_without_duty(self) -> None:
        b = bestilling()
        v = paa(b, MANDAG)
        b.registrer_forgaeves(Forgaeves(v, kl(MANDAG), "m", "ikke_hjemme"), LEV, REGISTRERET)
        assert b.status(v) == "forgaeves" and b.erstatningspligter() == {}
        with pytest.raises(DomainRuleViolation):
            b.aflys_besoeg(v, "borger", "x", kl(MANDAG), BORGER, REGISTRERET)


# -- ophør, skift, indlæggelse, indberetning ----------------------------------------------
class TestForloeb:
    def test_ending_ends_later_visits_and_lapses_duties(self) -> None:
        b = bestilling()
        v = paa(b, MANDAG)
        b.aflys_besoeg(v, "leverandoer", "Syg", kl(MANDAG, 6), LEV, REGISTRERET)
        b.afslut(TORSDAG, "leverandoerskift", None, LEV, NU)
        later = [x for x in b.besoeg.values() if x.dato > TORSDAG]
        assert later and all(b.status(x.besoeg_id) == "afsluttet" for x in later)
        assert b.status(paa(b, TORSDAG)) == "planlagt"
        assert (
            b.erstatningspligter() == {} and b.kontroller_frister(date(2024, 3, 1), LEV, NU) == []
        )
        n = len(b.besoeg)
        b.planlaeg_besoeg(MANDAG + timedelta(days=14), LEV, NU)
        assert len(b.besoeg) == n  # nothing planned after the last day
        b.afslut(MANDAG, "doedsfald", None, LEV, NU)  # a second ending changes nothing
        assert b.sidste_dag == TORSDAG

    def test_hospital_stay_pauses_and_resumes(self) -> None:
        b = bestilling()
        b.pause(MANDAG + timedelta(days=7), "indlaeggelse", LEV, NU)
        pausede = {x.besoeg_id for x in b.besoeg.values() if x.dato >= MANDAG + timedelta(days=7)}
        assert pausede and {b.status(x) for x in pausede} == {"pauset"}
        with pytest.raises(DomainRuleViolation) as exc:
            b.aflys_besoeg(next(iter(pausede)), "borger", "x", kl(MANDAG), BORGER, REGISTRERET)
        assert exc.value.rule == "besoeg-pauset"
        b.genoptag(MANDAG + timedelta(days=14), LEV, NU)
        assert b.status(paa(b, MANDAG + timedelta(days=7))) == "pauset"
        assert b.status(paa(b, MANDAG + timedelta(days=14))) == "planlagt"
        assert b.erstatningspligter() == {}

    def test_resume_before_admission_refused(self) -> None:
        b = bestilling()
        b.pause(TORSDAG, "indlaeggelse", LEV, NU)
        with pytest.raises(DomainRuleViolation) as exc:
            b.genoptag(MANDAG, LEV, NU)
        assert exc.value.rule == "genoptagelse-foer-pause"

    def test_change_report_needs_description_and_past_observation(self) -> None:
        b = bestilling()
        with pytest.raises(DomainRuleViolation):
            b.indberet_aendring(Aendringsindberetning(uuid4(), NU.date(), fritekst(" ")), LEV, NU)
        with pytest.raises(DomainRuleViolation):
            b.indberet_aendring(
                Aendringsindberetning(uuid4(), NU.date() + timedelta(days=1), fritekst("Faldet")),
                LEV,
                NU,
            )
        b.indberet_aendring(
            Aendringsindberetning(uuid4(), NU.date(), fritekst("Kan ikke rejse sig")), LEV, NU
        )
        (e,) = b.collect_events()
        assert isinstance(e, Bestillingsforloeb.AendringIFunktionsevneIndberettet)
        # The description is the citizen's health data: owned by them, encrypted when stored.
        assert e.indberetning.beskrivelse.ejer == str(b.borger_id)
        assert e.indberetning.beskrivelse.vis() == "Kan ikke rejse sig"
