"""Unit tests of the visitation domain: the rules in rules.py and the Sag aggregate.

Pure and in memory: aggregates are created and commanded directly and the pending events
are read with `collect_events()`.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from services.visitation.domain import rules
from services.visitation.domain.klagesag import Klagesag, klage_id, ny_klage
from services.visitation.domain.noter import Bestillingskvittering, ny_kvittering
from services.visitation.domain.rehabilitering import Rehabiliteringsdel
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import (
    Afgoerelse,
    Anmodning,
    Bevilling,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
    Udfald,
)
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import eje, fritekst, fritekst_eller_none
from tests.leverandoerer import DEMO_LEVERANDOERER

MODTAGET = date(2024, 3, 4)
TRUFFET = date(2024, 3, 11)
NU = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)

VISITATOR = Aktoer("v-1", "visitator", "herlev-kommune")
SAGSBEHANDLER = Aktoer("s-2", "sagsbehandler", "herlev-kommune")
LEVERANDOER = Aktoer("l-3", "leverandoer", "hjemmeplejen-nord")


# -- builders ------------------------------------------------------------------------
def anmodning(kategori: str = "personlig", beskrivelse: str = "Hjælp til bad") -> Anmodning:
    return Anmodning(uuid4(), fritekst(beskrivelse), kategori)


def vurdering(*niveauer: tuple[str, int], vurderet_dato: date = MODTAGET) -> Funktionsvurdering:
    niveauer = niveauer or (("B1-3", 3), ("B1-11", 2))
    return Funktionsvurdering(
        vurdering_id=uuid4(),
        vurderet_dato=vurderet_dato,
        funktionsniveauer=tuple(Funktionsniveau(o, n) for o, n in niveauer),
        bemaerkning=None,
    )


def bevilling(
    a: Anmodning,
    *,
    kategori: str | None = None,
    minutter: int = 30,
    leverandoer_id: str = "hjemmeplejen-nord",
    startdato: date = TRUFFET,
    slutdato: date | None = None,
    anmodning_id: UUID | None = None,
) -> Bevilling:
    return Bevilling(
        bevilling_id=uuid4(),
        anmodning_id=a.anmodning_id if anmodning_id is None else anmodning_id,
        indsats_kode="PS-BAD",
        indsats_navn="Bad",
        kategori=a.kategori if kategori is None else kategori,
        hyppighed=Hyppighed(2, "uge"),
        minutter_pr_besoeg=minutter,
        leverandoer_id=leverandoer_id,
        startdato=startdato,
        slutdato=slutdato,
    )


def afgoerelse(
    udfald: tuple[Udfald, ...],
    bevillinger: tuple[Bevilling, ...] = (),
    *,
    truffet_dato: date = TRUFFET,
    begrundelse: str | None = None,
    klagevejledning: str | None = None,
) -> Afgoerelse:
    return Afgoerelse(
        afgoerelse_id=uuid4(),
        truffet_dato=truffet_dato,
        udfald=udfald,
        bevillinger=bevillinger,
        begrundelse=fritekst_eller_none(begrundelse),
        klagevejledning=klagevejledning,
    )


def bevilget(a: Anmodning) -> Udfald:
    return Udfald(a.anmodning_id, "bevilget", None)


def ny_sag(*anmodninger: Anmodning) -> Sag:
    return Sag.modtag_ansoegning(
        borger_id=uuid4(),
        modtaget_dato=MODTAGET,
        kanal="telefon",
        henvendelse_fra="borger",
        anmodninger=anmodninger or (anmodning(),),
        aktoer=VISITATOR,
        occurred_at=NU,
    )


def vurderet_sag(*anmodninger: Anmodning) -> Sag:
    """Assessed, with the § 83 a consideration done (no course could help)."""
    sag = ny_sag(*anmodninger)
    sag.registrer_funktionsvurdering(vurdering(), VISITATOR, NU)
    sag.vurder_rehabilitering(MODTAGET, False, "Varigt nedsat funktionsevne.", VISITATOR, NU)
    return sag


def afgjort_sag(truffet_dato: date = TRUFFET) -> tuple[Sag, Afgoerelse]:
    a = anmodning()
    sag = vurderet_sag(a)
    afg = afgoerelse(
        (bevilget(a),), (bevilling(a, startdato=truffet_dato),), truffet_dato=truffet_dato
    )
    sag.traef_afgoerelse(afg, SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER)
    return sag, afg


def assert_rule(exc_info: pytest.ExceptionInfo[DomainRuleViolation], rule: str) -> None:
    assert exc_info.value.rule == rule
    assert exc_info.value.dansk
    assert exc_info.value.english


def traef_med(sag: Sag, afg: Afgoerelse, rule: str) -> None:
    """The decision is refused with `rule`, and the case records nothing."""
    sag.collect_events()
    with pytest.raises(DomainRuleViolation) as exc_info:
        sag.traef_afgoerelse(afg, SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER)
    assert_rule(exc_info, rule)
    assert sag.collect_events() == []
    assert sag.afgoerelser == []


# -- application ---------------------------------------------------------------------
class TestAnsoegning:
    def test_needs_at_least_one_anmodning(self) -> None:
        with pytest.raises(DomainRuleViolation) as exc_info:
            Sag.modtag_ansoegning(uuid4(), MODTAGET, "telefon", "borger", (), VISITATOR, NU)
        assert_rule(exc_info, "ansoegning-uden-anmodninger")

    def test_duplicate_anmodning_ids_refused(self) -> None:
        a = anmodning()
        b = dataclasses.replace(anmodning("praktisk", "Rengøring"), anmodning_id=a.anmodning_id)
        with pytest.raises(DomainRuleViolation) as exc_info:
            Sag.modtag_ansoegning(uuid4(), MODTAGET, "telefon", "borger", (a, b), VISITATOR, NU)
        assert_rule(exc_info, "anmodning-dublet")

    def test_rule_function_accepts_distinct_ids(self) -> None:
        rules.ansoegning_skal_indeholde_anmodninger((anmodning(), anmodning("praktisk")))

    def test_ansoegning_modtaget_event(self) -> None:
        a, b = anmodning(), anmodning("praktisk", "Rengøring")
        borger_id = uuid4()
        sag = Sag.modtag_ansoegning(
            borger_id, MODTAGET, "brev", "paaroerende", (a, b), VISITATOR, NU
        )
        events = sag.collect_events()
        assert [type(e) for e in events] == [Sag.AnsoegningModtaget]
        e = events[0]
        assert isinstance(e, Sag.AnsoegningModtaget)
        assert e.originator_id == sag.id
        assert e.borger_id == borger_id
        assert e.modtaget_dato == MODTAGET
        assert e.kanal == "brev"
        assert e.henvendelse_fra == "paaroerende"
        # The citizen owns the free text (encrypted with their key when stored).
        assert e.anmodninger == eje((a, b), borger_id)
        assert {x.beskrivelse.ejer for x in e.anmodninger} == {str(borger_id)}
        assert e.aktoer == VISITATOR
        assert e.occurred_at == NU
        assert sag.anmodninger == eje((a, b), borger_id)


# -- assessment ----------------------------------------------------------------------
class TestFunktionsvurdering:
    @pytest.mark.parametrize(
        ("vurd", "rule"),
        [
            (
                Funktionsvurdering(uuid4(), MODTAGET, (), None),
                "funktionsvurdering-tom",
            ),
            (vurdering(("B9-99", 2)), "ukendt-funktionsomraade"),
            (vurdering(("B1-3", 5)), "ugyldigt-funktionsniveau"),
            (vurdering(("B1-3", -1)), "ugyldigt-funktionsniveau"),
            (vurdering(("B1-3", 2), ("B1-3", 3)), "funktionsomraade-dublet"),
            (
                vurdering(vurderet_dato=MODTAGET - timedelta(days=1)),
                "vurdering-foer-ansoegning",
            ),
        ],
        ids=["empty", "unknown-area", "level-5", "level-minus-1", "duplicate-area", "too-early"],
    )
    def test_invalid_assessment_refused(self, vurd: Funktionsvurdering, rule: str) -> None:
        sag = ny_sag()
        sag.collect_events()
        with pytest.raises(DomainRuleViolation) as exc_info:
            sag.registrer_funktionsvurdering(vurd, VISITATOR, NU)
        assert_rule(exc_info, rule)
        assert sag.collect_events() == []
        assert sag.vurderinger == []

    @pytest.mark.parametrize("niveau", [0, 1, 2, 3, 4, 9])
    def test_valid_levels_accepted(self, niveau: int) -> None:
        rules.funktionsvurdering_gyldig(vurdering(("B2-1", niveau)), MODTAGET)

    def test_same_day_as_application_accepted(self) -> None:
        sag = ny_sag()
        sag.collect_events()
        v = vurdering(vurderet_dato=MODTAGET)
        sag.registrer_funktionsvurdering(v, VISITATOR, NU)
        (e,) = sag.collect_events()
        assert isinstance(e, Sag.FunktionsvurderingRegistreret)
        assert e.vurdering == v
        assert e.aktoer == VISITATOR
        assert sag.vurderinger == [v]


# -- decision ------------------------------------------------------------------------
class TestAfgoerelse:
    def test_decision_without_assessment_refused(self) -> None:
        a = anmodning()
        sag = ny_sag(a)
        traef_med(sag, afgoerelse((bevilget(a),), (bevilling(a),)), "afgoerelse-uden-vurdering")

    def test_decision_before_application_refused(self) -> None:
        a = anmodning()
        dato = MODTAGET - timedelta(days=1)
        afg = afgoerelse((bevilget(a),), (bevilling(a, startdato=dato),), truffet_dato=dato)
        traef_med(vurderet_sag(a), afg, "afgoerelse-foer-ansoegning")

    def test_missing_outcome_for_an_anmodning_refused(self) -> None:
        a, b = anmodning(), anmodning("praktisk")
        afg = afgoerelse((bevilget(a),), (bevilling(a),))
        traef_med(vurderet_sag(a, b), afg, "alle-anmodninger-skal-afgoeres")

    def test_two_outcomes_for_one_anmodning_refused(self) -> None:
        a = anmodning()
        afg = afgoerelse(
            (bevilget(a), Udfald(a.anmodning_id, "afslag", fritekst("Nej"))),
            (bevilling(a),),
            klagevejledning="Klag inden 4 uger",
        )
        traef_med(vurderet_sag(a), afg, "alle-anmodninger-skal-afgoeres")

    def test_outcome_for_unknown_anmodning_refused(self) -> None:
        a = anmodning()
        afg = afgoerelse((bevilget(a), bevilget(anmodning())), (bevilling(a),))
        traef_med(vurderet_sag(a), afg, "alle-anmodninger-skal-afgoeres")

    @pytest.mark.parametrize("resultat", ["afslag", "delvist"])
    def test_refusal_without_begrundelse_refused(self, resultat: str) -> None:
        a = anmodning()
        bev = (bevilling(a),) if resultat == "delvist" else ()
        afg = afgoerelse(
            (Udfald(a.anmodning_id, resultat, None),), bev, klagevejledning="Klag inden 4 uger"
        )
        traef_med(vurderet_sag(a), afg, "afslag-kraever-begrundelse")

    def test_blank_udfald_begrundelse_does_not_count(self) -> None:
        a = anmodning()
        afg = afgoerelse(
            (Udfald(a.anmodning_id, "afslag", fritekst("")),), klagevejledning="Klag inden 4 uger"
        )
        traef_med(vurderet_sag(a), afg, "afslag-kraever-begrundelse")

    @pytest.mark.parametrize("resultat", ["afslag", "delvist"])
    def test_refusal_without_klagevejledning_refused(self, resultat: str) -> None:
        a = anmodning()
        bev = (bevilling(a),) if resultat == "delvist" else ()
        afg = afgoerelse((Udfald(a.anmodning_id, resultat, fritekst("Begrundet")),), bev)
        traef_med(vurderet_sag(a), afg, "afslag-kraever-klagevejledning")

    @pytest.mark.parametrize("blank", ["", " ", "\t\n ", "\u00a0"])
    def test_blank_klagevejledning_does_not_count(self, blank: str) -> None:
        """Regression: a klagevejledning of one space was accepted, unlike a blank reason."""
        a = anmodning()
        afg = afgoerelse(
            (Udfald(a.anmodning_id, "afslag", fritekst("Begrundet")),), klagevejledning=blank
        )
        traef_med(vurderet_sag(a), afg, "afslag-kraever-klagevejledning")

    def test_refusal_with_general_begrundelse_accepted(self) -> None:
        a = anmodning()
        sag = vurderet_sag(a)
        afg = afgoerelse(
            (Udfald(a.anmodning_id, "afslag", None),),
            begrundelse="Funktionsniveauet berettiger ikke til hjælp",
            klagevejledning="Klag inden 4 uger",
        )
        sag.traef_afgoerelse(afg, SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER)
        assert sag.afgoerelser == [eje(afg, sag.borger_id)]

    def test_refusal_with_udfald_begrundelse_accepted(self) -> None:
        a = anmodning()
        sag = vurderet_sag(a)
        afg = afgoerelse(
            (Udfald(a.anmodning_id, "afslag", fritekst("Kan selv")),),
            klagevejledning="Klag inden 4 uger",
        )
        sag.traef_afgoerelse(afg, SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER)
        assert sag.afgoerelser == [eje(afg, sag.borger_id)]

    @pytest.mark.parametrize("resultat", ["bevilget", "delvist"])
    def test_granted_anmodning_without_bevilling_refused(self, resultat: str) -> None:
        a = anmodning()
        afg = afgoerelse(
            (Udfald(a.anmodning_id, resultat, fritekst("Delvist")),),
            klagevejledning="Klag inden 4 uger",
        )
        traef_med(vurderet_sag(a), afg, "bevilling-mangler")

    def test_bevilling_for_refused_anmodning_refused(self) -> None:
        a, b = anmodning(), anmodning("praktisk")
        afg = afgoerelse(
            (bevilget(a), Udfald(b.anmodning_id, "afslag", fritekst("Kan selv"))),
            (bevilling(a), bevilling(b)),
            klagevejledning="Klag inden 4 uger",
        )
        traef_med(vurderet_sag(a, b), afg, "bevilling-uden-anmodning")

    def test_bevilling_for_unknown_anmodning_refused(self) -> None:
        a = anmodning()
        afg = afgoerelse((bevilget(a),), (bevilling(a), bevilling(a, anmodning_id=uuid4())))
        traef_med(vurderet_sag(a), afg, "bevilling-uden-anmodning")

    def test_bevilling_with_wrong_category_refused(self) -> None:
        a = anmodning("personlig")
        afg = afgoerelse((bevilget(a),), (bevilling(a, kategori="praktisk"),))
        traef_med(vurderet_sag(a), afg, "bevilling-forkert-kategori")

    @pytest.mark.parametrize("minutter", [0, -5, 481])
    def test_invalid_minutes_refused(self, minutter: int) -> None:
        a = anmodning()
        afg = afgoerelse((bevilget(a),), (bevilling(a, minutter=minutter),))
        traef_med(vurderet_sag(a), afg, "ugyldigt-tidsforbrug")

    @pytest.mark.parametrize("minutter", [1, 480])
    def test_minute_bounds_accepted(self, minutter: int) -> None:
        a = anmodning()
        sag = vurderet_sag(a)
        sag.traef_afgoerelse(
            afgoerelse((bevilget(a),), (bevilling(a, minutter=minutter),)),
            SAGSBEHANDLER,
            NU,
            leverandoerer=DEMO_LEVERANDOERER,
        )
        assert len(sag.afgoerelser) == 1

    def test_start_before_decision_date_refused(self) -> None:
        a = anmodning()
        afg = afgoerelse((bevilget(a),), (bevilling(a, startdato=TRUFFET - timedelta(days=1)),))
        traef_med(vurderet_sag(a), afg, "ugyldig-bevillingsperiode")

    @pytest.mark.parametrize("dage", [-1, 0], ids=["end-before-start", "end-equals-start"])
    def test_end_not_after_start_refused(self, dage: int) -> None:
        a = anmodning()
        start = TRUFFET + timedelta(days=3)
        afg = afgoerelse(
            (bevilget(a),),
            (bevilling(a, startdato=start, slutdato=start + timedelta(days=dage)),),
        )
        traef_med(vurderet_sag(a), afg, "ugyldig-bevillingsperiode")

    def test_bounded_grant_starting_on_decision_date_accepted(self) -> None:
        a = anmodning()
        sag = vurderet_sag(a)
        bev = bevilling(a, startdato=TRUFFET, slutdato=TRUFFET + timedelta(days=1))
        sag.traef_afgoerelse(
            afgoerelse((bevilget(a),), (bev,)), SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER
        )
        assert sag.afgoerelser[0].bevillinger == (bev,)

    @pytest.mark.parametrize(
        ("kategori", "leverandoer_id"),
        [
            ("personlig", "rent-hjem-as"),
            ("madservice", "omsorg-plus-aps"),
            ("praktisk", "ukendt-leverandoer"),
        ],
    )
    def test_provider_not_approved_refused(self, kategori: str, leverandoer_id: str) -> None:
        a = anmodning(kategori)
        afg = afgoerelse((bevilget(a),), (bevilling(a, leverandoer_id=leverandoer_id),))
        traef_med(vurderet_sag(a), afg, "leverandoer-ikke-godkendt")

    def test_rent_hjem_approved_for_praktisk(self) -> None:
        a = anmodning("praktisk", "Rengøring")
        sag = vurderet_sag(a)
        afg = afgoerelse((bevilget(a),), (bevilling(a, leverandoer_id="rent-hjem-as"),))
        sag.traef_afgoerelse(afg, SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER)
        assert sag.afgoerelser == [eje(afg, sag.borger_id)]

    def test_second_decision_refused(self) -> None:
        sag, _ = afgjort_sag()
        a = sag.anmodninger[0]
        traef_igen = afgoerelse((bevilget(a),), (bevilling(a),))
        sag.collect_events()
        with pytest.raises(DomainRuleViolation) as exc_info:
            sag.traef_afgoerelse(traef_igen, SAGSBEHANDLER, NU, leverandoerer=DEMO_LEVERANDOERER)
        assert_rule(exc_info, "afgoerelse-allerede-truffet")
        assert sag.collect_events() == []
        assert len(sag.afgoerelser) == 1


# -- complaints ----------------------------------------------------------------------
class TestKlage:
    """Each complaint is a Klagesag beside the case (klagesag.py), checked against it."""

    def test_complaint_before_decision_refused(self) -> None:
        sag = vurderet_sag()
        sag.collect_events()
        with pytest.raises(DomainRuleViolation) as exc_info:
            ny_klage(sag, 1, "afgoerelse", TRUFFET, "Uenig", VISITATOR, NU)
        assert_rule(exc_info, "klage-uden-afgoerelse")
        assert sag.collect_events() == []

    @pytest.mark.parametrize("tekst", ["", "   ", "\n\t"])
    def test_complaint_without_text_refused(self, tekst: str) -> None:
        sag, _ = afgjort_sag()
        sag.collect_events()
        with pytest.raises(DomainRuleViolation) as exc_info:
            ny_klage(sag, 1, "afgoerelse", TRUFFET, tekst, VISITATOR, NU)
        assert_rule(exc_info, "klage-uden-beskrivelse")
        assert sag.collect_events() == []
        assert sag.klager == []

    def test_complaint_on_last_day_is_on_time(self) -> None:
        sag, afg = afgjort_sag()
        klage = ny_klage(
            sag, 1, "afgoerelse", TRUFFET + timedelta(weeks=4), "Uenig", VISITATOR, NU
        ).klage
        assert klage.for_sent is False
        assert klage.afgoerelse_id == afg.afgoerelse_id

    def test_late_complaint_flagged_but_registered(self) -> None:
        sag, afg = afgjort_sag()
        sag.collect_events()
        modtaget = TRUFFET + timedelta(weeks=4, days=1)
        klagesag = ny_klage(sag, 2, "afgoerelse", modtaget, "Uenig", VISITATOR, NU)
        klage = klagesag.klage
        assert klage.for_sent is True
        assert klage.klage_id == klage_id(sag.id, 2) == klagesag.id
        assert klage.afgoerelse_id == afg.afgoerelse_id
        assert klage.modtaget_dato == modtaget
        assert sag.collect_events() == []  # the case is read, not written
        (e,) = klagesag.collect_events()
        assert isinstance(e, Klagesag.KlageOprettet)
        assert e.klage == klage
        assert e.sag_id == sag.id and e.borger_id == sag.borger_id
        assert e.aktoer == VISITATOR

    def test_delivery_complaint_never_late_and_not_tied_to_decision(self) -> None:
        sag, _ = afgjort_sag()
        klagesag = ny_klage(
            sag, 1, "levering", TRUFFET + timedelta(weeks=10), "Kom ikke", VISITATOR, NU
        )
        klage = klagesag.klage
        assert klage.for_sent is False
        assert klage.afgoerelse_id is None
        assert klage.beskrivelse.vis() == "Kom ikke"

    @pytest.mark.parametrize(
        ("dage", "for_sent"), [(0, False), (27, False), (28, False), (29, True), (400, True)]
    )
    def test_klage_for_sent(self, dage: int, for_sent: bool) -> None:
        assert rules.klage_for_sent(TRUFFET, TRUFFET + timedelta(days=dage)) is for_sent


# -- order acknowledgement -----------------------------------------------------------
class TestBestillingKvitteret:
    """The receipt is its own aggregate beside the case (domain/noter.py), checked
    against the case's grants."""

    def test_acknowledged_once(self) -> None:
        sag, afg = afgjort_sag()
        sag.collect_events()
        bevilling_id = afg.bevillinger[0].bevilling_id
        k = ny_kvittering(sag, None, bevilling_id, "hjemmeplejen-nord", LEVERANDOER, NU)
        assert k is not None
        assert ny_kvittering(sag, k, bevilling_id, "hjemmeplejen-nord", LEVERANDOER, NU) is None
        assert sag.collect_events() == []  # the case itself is not written
        events = k.collect_events()
        assert [type(e) for e in events] == [Bestillingskvittering.BestillingKvitteret]
        e = events[0]
        assert isinstance(e, Bestillingskvittering.BestillingKvitteret)
        assert e.sag_id == sag.id
        assert e.bevilling_id == bevilling_id
        assert e.leverandoer_id == "hjemmeplejen-nord"
        assert e.aktoer == LEVERANDOER
        assert k.leverandoer_id == "hjemmeplejen-nord"

    def test_unknown_bevilling_ignored(self) -> None:
        sag, _ = afgjort_sag()
        sag.collect_events()
        assert ny_kvittering(sag, None, uuid4(), "hjemmeplejen-nord", LEVERANDOER, NU) is None
        assert sag.collect_events() == []
        assert sag.kvitterede_bestillinger == {}

    def test_before_decision_ignored(self) -> None:
        sag = vurderet_sag()
        sag.collect_events()
        assert ny_kvittering(sag, None, uuid4(), "hjemmeplejen-nord", LEVERANDOER, NU) is None
        assert sag.collect_events() == []


# -- happy path ----------------------------------------------------------------------
def test_happy_path_events_and_fields() -> None:
    personlig = anmodning("personlig", "Hjælp til bad")
    praktisk = anmodning("praktisk", "Rengøring")
    borger_id = uuid4()
    t0 = NU
    t1, t2, t3, t4 = (t0 + timedelta(days=d) for d in (1, 7, 10, 8))

    sag = Sag.modtag_ansoegning(
        borger_id, MODTAGET, "telefon", "borger", (personlig, praktisk), VISITATOR, t0
    )
    v = vurdering(("B1-3", 3), ("B1-11", 2), ("B2-2", 9), vurderet_dato=MODTAGET + timedelta(1))
    sag.registrer_funktionsvurdering(v, VISITATOR, t1)
    sag.vurder_rehabilitering(MODTAGET, False, "Varigt nedsat funktionsevne.", VISITATOR, t1)
    bad = bevilling(personlig, slutdato=TRUFFET + timedelta(days=90))
    rengoering = bevilling(praktisk, leverandoer_id="rent-hjem-as", minutter=480)
    afg = afgoerelse(
        (
            bevilget(personlig),
            Udfald(praktisk.anmodning_id, "delvist", fritekst("Kun hver 14. dag")),
        ),
        (bad, rengoering),
        klagevejledning="Du kan klage inden 4 uger",
    )
    sag.traef_afgoerelse(afg, SAGSBEHANDLER, t2, leverandoerer=DEMO_LEVERANDOERER)
    kvittering = ny_kvittering(sag, None, rengoering.bevilling_id, "rent-hjem-as", LEVERANDOER, t4)
    klagesag = ny_klage(sag, 1, "afgoerelse", TRUFFET + timedelta(3), "Mere tid", VISITATOR, t3)
    klage = klagesag.klage

    events = sag.collect_events()
    assert [type(e) for e in events] == [
        Sag.AnsoegningModtaget,
        Sag.FunktionsvurderingRegistreret,
        Rehabiliteringsdel.RehabiliteringVurderet,
        Sag.AfgoerelseTruffet,
    ]
    assert [e.originator_version for e in events] == [1, 2, 3, 4]
    assert {e.originator_id for e in events} == {sag.id}
    assert [e.aktoer for e in events] == [VISITATOR, VISITATOR, VISITATOR, SAGSBEHANDLER]
    assert [e.occurred_at for e in events] == [t0, t1, t1, t2]
    # The complaint beside the case, on its own aggregate.
    (klaget,) = klagesag.collect_events()
    assert klaget.aktoer == VISITATOR and klaget.occurred_at == t3
    # The order's receipt beside the case, on its own aggregate.
    assert kvittering is not None
    (kvitteret,) = kvittering.collect_events()
    assert kvitteret.aktoer == LEVERANDOER and kvitteret.occurred_at == t4

    modtaget, vurderet, _, afgjort = events
    assert isinstance(modtaget, Sag.AnsoegningModtaget)
    assert modtaget.borger_id == borger_id
    assert modtaget.anmodninger == eje((personlig, praktisk), borger_id)
    assert isinstance(vurderet, Sag.FunktionsvurderingRegistreret)
    assert vurderet.vurdering == eje(v, borger_id)
    assert isinstance(afgjort, Sag.AfgoerelseTruffet)
    assert afgjort.afgoerelse == eje(afg, borger_id)
    assert afgjort.borger_id == borger_id
    assert isinstance(kvitteret, Bestillingskvittering.BestillingKvitteret)
    assert kvitteret.sag_id == sag.id
    assert kvitteret.bevilling_id == rengoering.bevilling_id
    assert kvitteret.leverandoer_id == "rent-hjem-as"
    assert isinstance(klaget, Klagesag.KlageOprettet)
    assert klaget.klage == klage
    assert klage.for_sent is False

    # Replaying the recorded events rebuilds the same state without re-checking rules.
    copy: Sag | None = None
    for e in events:
        copy = e.mutate(copy)
    assert copy is not None
    assert copy.id == sag.id
    assert copy.version == sag.version
    assert copy.borger_id == borger_id
    assert copy.vurderinger == [eje(v, borger_id)]
    assert copy.afgoerelser == [eje(afg, borger_id)]
    assert copy.klager == []  # the complaint is not the case's
    assert klaget.mutate(None).klage == klage  # type: ignore[union-attr]
    assert copy.kvitterede_bestillinger == {}  # the receipt is not the case's
    kopi = kvitteret.mutate(None)
    assert isinstance(kopi, Bestillingskvittering)
    assert (kopi.id, kopi.leverandoer_id) == (kvittering.id, "rent-hjem-as")
