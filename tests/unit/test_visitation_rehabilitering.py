"""§ 83 a before § 83: the consideration, the course as a whole, its goals and its end."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from services.visitation.catalogue.model import Rehabilitering
from services.visitation.domain.frister import sagens_frister
from services.visitation.domain.rehabilitering import Rehabiliteringsdel
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Udfald
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import fritekst
from tests.leverandoerer import DEMO_LEVERANDOERER
from tests.unit.test_visitation_domain import (
    MODTAGET,
    NU,
    TRUFFET,
    VISITATOR,
    afgoerelse,
    bevilget,
    bevilling,
    ny_sag,
    vurdering,
)

RAMMER = Rehabilitering()
MAAL = ("Kan selv komme i bad inden 8 uger",)


def kun_vurderet() -> Sag:
    sag = ny_sag()
    sag.registrer_funktionsvurdering(vurdering(), VISITATOR, NU)
    return sag


def bevilg(sag: Sag, *, uger: int = 8, niveau: str = "moderat", **kw: object) -> UUID:
    forloeb_id = uuid4()
    args: dict[str, object] = {
        "forloeb_id": forloeb_id,
        "bevilget_dato": MODTAGET,
        "niveau": niveau,
        "startdato": MODTAGET,
        "uger": uger,
        "retningsgivende_maal": "udvikle",
        "individuelle_maal": MAAL,
        "leverandoer_id": "hjemmeplejen-nord",
        "rammer": RAMMER,
        "katalog_version": None,
        "aktoer": VISITATOR,
        "occurred_at": NU,
    }
    args.update(kw)
    sag.bevilg_rehabiliteringsforloeb(**args, leverandoerer=DEMO_LEVERANDOERER)  # type: ignore[arg-type]
    return forloeb_id


def personlig_afgoerelse(sag: Sag) -> None:
    a = sag.anmodninger[0]
    sag.traef_afgoerelse(
        afgoerelse((bevilget(a),), (bevilling(a),)), VISITATOR, NU, leverandoerer=DEMO_LEVERANDOERER
    )


class TestFoer83:
    def test_first_83_grant_without_83a_consideration_refused(self) -> None:
        sag = kun_vurderet()
        with pytest.raises(DomainRuleViolation) as exc:
            personlig_afgoerelse(sag)
        assert exc.value.rule == "83a-vurdering-foer-83"
        assert "§ 83 a" in exc.value.dansk and "83 a" in exc.value.english
        assert sag.afgoerelser == []

    def test_refusal_without_grant_needs_no_83a(self) -> None:
        sag = kun_vurderet()
        a = sag.anmodninger[0]
        afs = afgoerelse(
            (Udfald(a.anmodning_id, "afslag", fritekst("Kan selv")),),
            klagevejledning="Klag inden 4 uger",
        )
        sag.traef_afgoerelse(afs, VISITATOR, NU, leverandoerer=DEMO_LEVERANDOERER)
        assert len(sag.afgoerelser) == 1

    def test_consideration_without_reason_refused(self) -> None:
        with pytest.raises(DomainRuleViolation) as exc:
            kun_vurderet().vurder_rehabilitering(MODTAGET, False, " ", VISITATOR, NU)
        assert exc.value.rule == "83a-vurdering-uden-begrundelse"

    def test_no_course_could_help_allows_83(self) -> None:
        sag = kun_vurderet()
        sag.vurder_rehabilitering(MODTAGET, False, "Varig nedsættelse", VISITATOR, NU)
        personlig_afgoerelse(sag)
        assert len(sag.afgoerelser) == 1

    def test_course_could_help_blocks_83_until_it_ends(self) -> None:
        sag = kun_vurderet()
        sag.vurder_rehabilitering(MODTAGET, True, "Kan genvinde evnen", VISITATOR, NU)
        with pytest.raises(DomainRuleViolation) as exc:
            personlig_afgoerelse(sag)
        assert exc.value.rule == "83a-forloeb-foer-83"
        forloeb_id = bevilg(sag)
        with pytest.raises(DomainRuleViolation) as exc:
            personlig_afgoerelse(sag)
        assert exc.value.rule == "83a-forloeb-foer-83"
        sag.afslut_rehabiliteringsforloeb(
            forloeb_id, TRUFFET, "afbrudt", "Borgeren ønskede ikke at fortsætte", VISITATOR, NU
        )
        personlig_afgoerelse(sag)
        assert len(sag.afgoerelser) == 1


class TestForloeb:
    def sag(self) -> Sag:
        sag = kun_vurderet()
        sag.vurder_rehabilitering(MODTAGET, True, "Kan genvinde evnen", VISITATOR, NU)
        return sag

    def test_granted_as_a_whole(self) -> None:
        sag = self.sag()
        forloeb_id = bevilg(sag, uger=4)
        f = sag.rehab_forloeb[forloeb_id]
        assert (f.niveau, tuple(m.vis() for m in f.individuelle_maal)) == ("moderat", MAAL)
        # The citizen's own goals are their personal data, encrypted with their key.
        assert {m.ejer for m in f.individuelle_maal} == {str(sag.borger_id)}
        assert f.slutdato == MODTAGET + timedelta(weeks=4, days=-1)
        events = sag.collect_events()
        assert isinstance(events[-1], Rehabiliteringsdel.RehabiliteringsforloebBevilget)
        assert events[-1].borger_id == sag.borger_id

    def test_course_needs_positive_consideration(self) -> None:
        sag = kun_vurderet()
        with pytest.raises(DomainRuleViolation) as exc:
            bevilg(sag)
        assert exc.value.rule == "83a-forloeb-kraever-vurdering"
        sag.vurder_rehabilitering(MODTAGET, False, "Varig", VISITATOR, NU)
        with pytest.raises(DomainRuleViolation) as exc:
            bevilg(sag)
        assert exc.value.rule == "83a-forloeb-kraever-vurdering"

    @pytest.mark.parametrize(
        ("kw", "rule"),
        [
            ({"uger": 3}, "83a-varighed"),
            ({"uger": 13}, "83a-varighed"),
            ({"niveau": "kaempestort"}, "83a-ukendt-niveau"),
            ({"individuelle_maal": ()}, "83a-individuelle-maal"),
            ({"individuelle_maal": (" ",)}, "83a-individuelle-maal"),
            ({"retningsgivende_maal": "fastholde"}, "83a-retningsgivende-maal"),
            ({"startdato": MODTAGET - timedelta(1)}, "83a-ugyldig-periode"),
            ({"leverandoer_id": "rent-hjem-as"}, "leverandoer-ikke-godkendt"),
        ],
    )
    def test_invalid_course_refused(self, kw: dict[str, object], rule: str) -> None:
        sag = self.sag()
        with pytest.raises(DomainRuleViolation) as exc:
            bevilg(sag, **kw)  # type: ignore[arg-type]
        assert exc.value.rule == rule
        assert sag.rehab_forloeb == {}

    @pytest.mark.parametrize("uger", [4, 12])
    def test_week_bounds_accepted(self, uger: int) -> None:
        bevilg(self.sag(), uger=uger)

    def test_municipality_bounds_apply(self) -> None:
        smal = Rehabilitering(min_uger=6, max_uger=8, niveauer=["samlet"])
        with pytest.raises(DomainRuleViolation):
            bevilg(self.sag(), uger=4, rammer=smal, niveau="samlet")
        bevilg(self.sag(), uger=6, rammer=smal, niveau="samlet")

    def test_one_active_course_at_a_time(self) -> None:
        sag = self.sag()
        bevilg(sag)
        with pytest.raises(DomainRuleViolation) as exc:
            bevilg(sag)
        assert exc.value.rule == "83a-forloeb-allerede-aktivt"

    def test_goals_change_only_with_the_citizen(self) -> None:
        sag = self.sag()
        forloeb_id = bevilg(sag)
        nye = ("Kan selv tage tøj på",)
        with pytest.raises(DomainRuleViolation) as exc:
            sag.aendr_rehabiliteringsmaal(forloeb_id, TRUFFET, nye, False, VISITATOR, NU)
        assert exc.value.rule == "83a-maal-kun-med-borgeren"
        sag.aendr_rehabiliteringsmaal(forloeb_id, TRUFFET, nye, True, VISITATOR, NU)
        assert tuple(m.vis() for m in sag.rehab_forloeb[forloeb_id].individuelle_maal) == nye

    def test_ended_course_cannot_change_or_end_again(self) -> None:
        sag = self.sag()
        forloeb_id = bevilg(sag)
        sag.afslut_rehabiliteringsforloeb(
            forloeb_id, TRUFFET, "gennemfoert", "Mål nået", VISITATOR, NU
        )
        with pytest.raises(DomainRuleViolation) as exc:
            sag.afslut_rehabiliteringsforloeb(
                forloeb_id, TRUFFET, "gennemfoert", "Igen", VISITATOR, NU
            )
        assert exc.value.rule == "83a-forloeb-ikke-aktivt"
        with pytest.raises(DomainRuleViolation):
            sag.aendr_rehabiliteringsmaal(forloeb_id, TRUFFET, MAAL, True, VISITATOR, NU)

    @pytest.mark.parametrize(
        ("udfald", "begrundelse", "dato", "rule"),
        [
            ("faerdig", "Mål nået", TRUFFET, "83a-afslutning-ugyldig"),
            ("gennemfoert", "", TRUFFET, "83a-afslutning-ugyldig"),
            ("afbrudt", "Syg", MODTAGET - timedelta(1), "83a-afslutning-foer-bevilling"),
        ],
    )
    def test_invalid_end_refused(
        self, udfald: str, begrundelse: str, dato: date, rule: str
    ) -> None:
        sag = self.sag()
        forloeb_id = bevilg(sag)
        with pytest.raises(DomainRuleViolation) as exc:
            sag.afslut_rehabiliteringsforloeb(forloeb_id, dato, udfald, begrundelse, VISITATOR, NU)
        assert exc.value.rule == rule

    def test_end_makes_a_new_83_assessment_due(self) -> None:
        sag = self.sag()
        forloeb_id = bevilg(sag)
        slut = date(2024, 4, 26)  # a Friday
        sag.afslut_rehabiliteringsforloeb(
            forloeb_id, slut, "gennemfoert", "Mål nået", VISITATOR, NU
        )
        frist = next(f for f in sagens_frister(sag, None) if "83a" in f.frist_id)
        assert frist.fristtype == "revurdering"
        assert frist.frist == date(2024, 5, 13)  # 10 working days; 9 May is Kristi himmelfart
        assert frist.status(date(2024, 5, 14)) == "overskredet"
        sag.registrer_funktionsvurdering(vurdering(vurderet_dato=slut), VISITATOR, NU)
        frist = next(f for f in sagens_frister(sag, None) if "83a" in f.frist_id)
        assert frist.status(date(2024, 5, 14)) == "opfyldt"

    def test_replay_rebuilds_the_course(self) -> None:
        sag = self.sag()
        forloeb_id = bevilg(sag)
        sag.aendr_rehabiliteringsmaal(forloeb_id, TRUFFET, ("Nyt mål",), True, VISITATOR, NU)
        copy: Sag | None = None
        for e in sag.collect_events():
            copy = e.mutate(copy)
        assert copy is not None and copy.rehab_forloeb == sag.rehab_forloeb
        assert copy.rehab_vurdering == (MODTAGET, True)
