"""The application case before the decision (samtykke, partshøring, manglende medvirken,
tilbagetrækning) and Ankestyrelsen's outcome, on the Sag aggregate in memory."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from services.visitation.domain.ankestyrelsen import Ankedel
from services.visitation.domain.ansoegning import Ansoegningsdel
from services.visitation.domain.frister import sagens_frister
from services.visitation.domain.klagesag import Klagesag, ny_klage
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Afgoerelse, Anmodning, Udfald
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import fritekst
from tests.leverandoerer import DEMO_LEVERANDOERER
from tests.unit.test_visitation_domain import bevilling, vurdering

MODTAGET = date(2024, 3, 4)
NU = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
VIS = Aktoer("v-1", "visitator", "herlev-kommune")


def sag(fra: str = "paaroerende") -> tuple[Sag, Anmodning, Anmodning]:
    bad, rengoering = (
        Anmodning(uuid4(), fritekst("Bad"), "personlig"),
        Anmodning(uuid4(), fritekst("Rent"), "praktisk"),
    )
    s = Sag.modtag_ansoegning(uuid4(), MODTAGET, "telefon", fra, (bad, rengoering), VIS, NU)
    return s, bad, rengoering


def delvis_afslag(bad: Anmodning, rent: Anmodning, dag: date) -> Afgoerelse:
    return Afgoerelse(
        uuid4(),
        dag,
        (
            Udfald(bad.anmodning_id, "bevilget", None),
            Udfald(rent.anmodning_id, "afslag", fritekst("Kan")),
        ),
        (bevilling(bad, startdato=dag),),
        None,
        "Klag inden 4 uger.",
    )


def regel(exc: pytest.ExceptionInfo[DomainRuleViolation]) -> str:
    return exc.value.rule


def test_relative_application_waits_for_the_citizen() -> None:
    s, _, _ = sag()
    assert s.afventer_samtykke
    with pytest.raises(DomainRuleViolation) as e:
        s.registrer_funktionsvurdering(vurdering(), VIS, NU)
    assert regel(e) == "afventer-borgerens-samtykke"
    s.registrer_samtykke(MODTAGET, True, "pr. telefon", VIS, NU)
    s.registrer_funktionsvurdering(vurdering(), VIS, NU)
    with pytest.raises(DomainRuleViolation) as e:
        s.registrer_samtykke(MODTAGET, True, "", VIS, NU)
    assert regel(e) == "samtykke-allerede-registreret"
    egen, _, _ = sag("borger")
    with pytest.raises(DomainRuleViolation) as e:
        egen.registrer_samtykke(MODTAGET, True, "", VIS, NU)
    assert regel(e) == "samtykke-ikke-relevant"


def test_citizen_who_declines_closes_the_case() -> None:
    s, _, _ = sag()
    s.registrer_samtykke(MODTAGET, False, "Ønsker ikke hjælp", VIS, NU)
    assert s.lukket == (MODTAGET, "borgeren ikke indforstået")
    with pytest.raises(DomainRuleViolation) as e:
        s.registrer_funktionsvurdering(vurdering(), VIS, NU)
    assert regel(e) == "sag-lukket"


def test_refusal_on_unseen_information_needs_a_finished_partshoering() -> None:
    s, bad, rent = sag("borger")
    s.registrer_funktionsvurdering(vurdering(), VIS, NU)
    s.vurder_rehabilitering(MODTAGET, False, "Varigt nedsat", VIS, NU)
    dag = date(2024, 3, 11)
    with pytest.raises(DomainRuleViolation) as e:
        s.traef_afgoerelse(
            delvis_afslag(bad, rent, dag),
            VIS,
            NU,
            partshoering_paakraevet=True,
            leverandoerer=DEMO_LEVERANDOERER,
        )
    assert regel(e) == "partshoering-mangler"
    pid = uuid4()
    with pytest.raises(DomainRuleViolation) as e:
        s.send_partshoering(pid, MODTAGET, MODTAGET, "Lægens udtalelse", VIS, NU)
    assert regel(e) == "partshoering-ugyldig-frist"
    s.send_partshoering(pid, MODTAGET, date(2024, 3, 15), "Lægens udtalelse", VIS, NU)
    # Deadline not passed and no answer: no refusal yet, even without the flag.
    with pytest.raises(DomainRuleViolation) as e:
        s.traef_afgoerelse(delvis_afslag(bad, rent, dag), VIS, NU, leverandoerer=DEMO_LEVERANDOERER)
    assert regel(e) == "partshoering-aaben"
    s.besvar_partshoering(pid, date(2024, 3, 8), "Jeg er uenig", VIS, NU)
    s.traef_afgoerelse(
        delvis_afslag(bad, rent, dag),
        VIS,
        NU,
        partshoering_paakraevet=True,
        leverandoerer=DEMO_LEVERANDOERER,
    )
    assert len(s.afgoerelser) == 1
    typer = {type(ev) for ev in s.collect_events()}
    assert {Ansoegningsdel.PartshoeringSendt, Ansoegningsdel.PartshoeringBesvaret} <= typer


def test_deadline_passed_without_answer_allows_the_refusal() -> None:
    s, bad, rent = sag("borger")
    s.registrer_funktionsvurdering(vurdering(), VIS, NU)
    s.vurder_rehabilitering(MODTAGET, False, "Varigt nedsat", VIS, NU)
    s.send_partshoering(uuid4(), MODTAGET, date(2024, 3, 8), "Oplysning", VIS, NU)
    s.traef_afgoerelse(
        delvis_afslag(bad, rent, date(2024, 3, 11)),
        VIS,
        NU,
        None,
        True,
        leverandoerer=DEMO_LEVERANDOERER,
    )
    assert s.afgoerelser


def test_non_cooperation_allows_only_a_refusal_without_assessment() -> None:
    s, bad, rent = sag("borger")
    with pytest.raises(DomainRuleViolation) as e:
        s.noter_manglende_medvirken(MODTAGET, "Aflyste besøget tre gange", None, VIS, NU)
    assert regel(e) == "medvirken-konsekvenser-ikke-oplyst"
    s.noter_manglende_medvirken(date(2024, 3, 20), "Aflyste tre gange", MODTAGET, VIS, NU)
    dag = date(2024, 3, 21)
    with pytest.raises(DomainRuleViolation) as e:
        s.traef_afgoerelse(delvis_afslag(bad, rent, dag), VIS, NU, leverandoerer=DEMO_LEVERANDOERER)
    assert regel(e) == "foreliggende-grundlag-kun-afslag"
    afslag = Afgoerelse(
        uuid4(),
        dag,
        (Udfald(bad.anmodning_id, "afslag", None), Udfald(rent.anmodning_id, "afslag", None)),
        (),
        fritekst("Afgjort på det foreliggende grundlag: borgeren har ikke medvirket."),
        "Klag inden 4 uger.",
    )
    s.traef_afgoerelse(afslag, VIS, NU, leverandoerer=DEMO_LEVERANDOERER)
    assert s.afgoerelser[0].udfald[0].resultat == "afslag"


def test_withdrawal_closes_without_decision() -> None:
    s, _, _ = sag()
    with pytest.raises(DomainRuleViolation) as e:
        s.traek_ansoegning_tilbage(MODTAGET, " ", VIS, NU)
    assert regel(e) == "tilbagetraekning-ugyldig"
    s.traek_ansoegning_tilbage(MODTAGET, "Datteren hjælper i stedet", VIS, NU)
    assert s.lukket == (MODTAGET, "tilbagetrukket") and not s.afgoerelser
    with pytest.raises(DomainRuleViolation) as e:
        s.traek_ansoegning_tilbage(MODTAGET, "igen", VIS, NU)
    assert regel(e) == "sag-lukket"


def afgjort_med_klage() -> tuple[Sag, Anmodning, Anmodning]:
    s, bad, rent = sag("borger")
    s.registrer_funktionsvurdering(vurdering(), VIS, NU)
    s.vurder_rehabilitering(MODTAGET, False, "Varigt nedsat", VIS, NU)
    s.traef_afgoerelse(
        delvis_afslag(bad, rent, date(2024, 3, 11)), VIS, NU, leverandoerer=DEMO_LEVERANDOERER
    )
    return s, bad, rent


def test_ankestyrelsen_only_after_upheld_genvurdering_and_reopens_on_change() -> None:
    """The complaint is a Klagesag (klagesag.py); its reopening allows the case's next
    decision, read when the decision is made."""
    s, bad, rent = afgjort_med_klage()
    k = ny_klage(s, 1, "afgoerelse", date(2024, 3, 20), "Uenig", VIS, NU)
    with pytest.raises(DomainRuleViolation) as e:
        k.registrer_ankestyrelsens_afgoerelse(date(2024, 5, 1), "aendret", "x", VIS, NU)
    assert regel(e) == "anke-kraever-fastholdt-klage"
    k.genvurder(date(2024, 4, 1), "fastholdt", "Uændret", VIS, NU)
    assert not s.kan_afgoere([k])
    with pytest.raises(DomainRuleViolation) as e:
        k.registrer_ankestyrelsens_afgoerelse(date(2024, 3, 30), "aendret", "x", VIS, NU)
    assert regel(e) == "anke-ugyldig"
    k.registrer_ankestyrelsens_afgoerelse(
        date(2024, 6, 1), "aendret", "Rengøring bevilges", VIS, NU
    )
    assert s.kan_afgoere([k]) and not s.kan_traeffe_ny_afgoerelse  # the case alone: no
    with pytest.raises(DomainRuleViolation) as e:
        k.registrer_ankestyrelsens_afgoerelse(date(2024, 6, 1), "stadfaestet", "x", VIS, NU)
    assert regel(e) == "anke-allerede-afgjort"
    ny = Afgoerelse(
        uuid4(),
        date(2024, 6, 10),
        (Udfald(bad.anmodning_id, "bevilget", None), Udfald(rent.anmodning_id, "bevilget", None)),
        (
            bevilling(bad, startdato=date(2024, 6, 10)),
            bevilling(rent, startdato=date(2024, 6, 10)),
        ),
        None,
        None,
    )
    with pytest.raises(DomainRuleViolation) as e:
        s.traef_afgoerelse(
            ny, VIS, NU, leverandoerer=DEMO_LEVERANDOERER
        )  # without its complaints the case has its decision
    assert regel(e) == "afgoerelse-allerede-truffet"
    s.traef_afgoerelse(ny, VIS, NU, klagesager=[k], leverandoerer=DEMO_LEVERANDOERER)
    assert len(s.afgoerelser) == 2 and not s.kan_afgoere([k])
    assert any(
        isinstance(ev, Klagesag.AnkestyrelsensAfgoerelseRegistreret) for ev in k.collect_events()
    )


def test_stadfaestet_leaves_the_decision() -> None:
    s, _, _ = afgjort_med_klage()
    k = ny_klage(s, 1, "afgoerelse", date(2024, 3, 20), "Uenig", VIS, NU)
    k.genvurder(date(2024, 4, 1), "fastholdt", "Uændret", VIS, NU)
    k.registrer_ankestyrelsens_afgoerelse(date(2024, 6, 1), "stadfaestet", "Korrekt", VIS, NU)
    assert not s.kan_afgoere([k])


def test_a_complaint_filed_on_the_case_before_the_cut_is_still_reconsidered_there() -> None:
    """Cases written before complaints became Klagesager hold theirs in their history."""
    s, _, _ = afgjort_med_klage()
    gammel = ny_klage(s, 1, "afgoerelse", date(2024, 3, 20), "Uenig", VIS, NU).klage
    s._klage_oprettet(gammel, VIS, NU)  # as the old code recorded it
    with pytest.raises(DomainRuleViolation) as e:
        s.registrer_ankestyrelsens_afgoerelse(
            gammel.klage_id, date(2024, 5, 1), "aendret", "x", VIS, NU
        )
    assert regel(e) == "anke-kraever-fastholdt-klage"
    s.genvurder_klage(gammel.klage_id, date(2024, 4, 1), "fastholdt", "Uændret", VIS, NU)
    assert not s.kan_traeffe_ny_afgoerelse
    s.registrer_ankestyrelsens_afgoerelse(
        gammel.klage_id, date(2024, 6, 1), "hjemvist", "Ikke oplyst", VIS, NU
    )
    assert s.kan_traeffe_ny_afgoerelse and s.kan_afgoere()
    with pytest.raises(DomainRuleViolation) as e:
        s.registrer_ankestyrelsens_afgoerelse(
            gammel.klage_id, date(2024, 6, 1), "stadfaestet", "x", VIS, NU
        )
    assert regel(e) == "anke-allerede-afgjort"
    assert any(
        isinstance(ev, Ankedel.AnkestyrelsensAfgoerelseRegistreret) for ev in s.collect_events()
    )


def test_closed_case_stops_its_clocks_and_rehab_waits_for_samtykke() -> None:
    s, _, _ = sag()
    with pytest.raises(DomainRuleViolation) as e:
        s.vurder_rehabilitering(MODTAGET, False, "Varig", VIS, NU)
    assert regel(e) == "afventer-borgerens-samtykke"
    s.traek_ansoegning_tilbage(date(2024, 3, 6), "Klarer sig", VIS, NU)
    frister = sagens_frister(s, None)
    assert {f.status(date(2024, 6, 1)) for f in frister} == {"opfyldt"}
