"""Kvalitetsstandard as data: the files, the schema, eligibility and the approval register."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.visitation.catalogue import loader
from services.visitation.catalogue.model import Kvalitetsstandard
from services.visitation.domain.katalog import KatalogRegister
from services.visitation.domain.kriterier import (
    bevilling_mod_katalog,
    foreslaa,
    kraev_frit_valg,
    leveringsregler,
    vurder,
)
from services.visitation.domain.values import (
    Bevilling,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
)
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.loefte import Loefte
from shared.kernel.personoplysning import fritekst_eller_none
from tests.leverandoerer import DEMO_LEVERANDOERER

NU = datetime(2026, 11, 2, 9, tzinfo=UTC)
CHEF = Aktoer("chef-1", "visitationschef", "herlev-kommune")
HERLEV = loader.load("herlev", "2013")
SOROE = loader.load("soroe", "2024")


def vurdering(*niveauer: tuple[str, int], mestring: str | None = None) -> Funktionsvurdering:
    return Funktionsvurdering(
        uuid4(),
        date(2026, 11, 2),
        tuple(Funktionsniveau(o, n) for o, n in niveauer),
        None,
        mestring,
    )


def bevilling(kode: str, kategori: str = "praktisk", begrundelse: str | None = None) -> Bevilling:
    return Bevilling(
        uuid4(), uuid4(), kode, "x", kategori, Hyppighed(1, "anden_uge"), 30,
        "hjemmeplejen-nord", date(2026, 11, 2), None, fritekst_eller_none(begrundelse),
    )  # fmt: skip


class TestFiles:
    def test_every_shipped_file_validates(self) -> None:
        found = loader.katalog()
        assert [f for f in found if isinstance(f, loader.UgyldigFil)] == []
        assert {"herlev-2013", "soroe-2024"} <= {
            k.katalog_version for k in found if isinstance(k, Kvalitetsstandard)
        }

    def test_committed_schema_is_generated_from_the_model(self) -> None:
        assert loader.SCHEMA_FILE.read_text(encoding="utf-8") == loader.schema_json()
        assert loader.KOMMUNE_SCHEMA_FILE.read_text(encoding="utf-8") == (
            loader.kommune_schema_json()
        )

    def test_an_invalid_file_is_a_result_with_field_paths(self, tmp_path: Path) -> None:
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "1.yaml").write_text("kommune: x\nversion: '2'\nfoo: 1\n")
        (found,) = loader.katalog(tmp_path)
        assert isinstance(found, loader.UgyldigFil)
        paths = {f.loc for f in found.fejl}
        assert {("foo",), ("titel",), ("indsatser",)} <= paths
        assert loader.available(tmp_path) == []
        with pytest.raises(loader.KatalogFilUgyldig, match="foo"):
            loader.load_checked("x", "1", tmp_path)

    def test_a_file_naming_another_version_is_invalid(self, tmp_path: Path) -> None:
        (tmp_path / "herlev").mkdir()
        text = (loader.DATA_DIR / "herlev" / "2013.yaml").read_text(encoding="utf-8")
        (tmp_path / "herlev" / "2014.yaml").write_text(text, encoding="utf-8")
        (found,) = loader.katalog(tmp_path)
        assert isinstance(found, loader.UgyldigFil)
        assert [f.loc for f in found.fejl] == [("version",)]

    def test_herlev_rengoering_from_the_seed(self) -> None:
        reng = HERLEV.find("2.1.1.2")
        assert reng is not None and reng.kriterier is not None
        assert reng.minutter == 30 and reng.hyppighed is not None
        assert (reng.hyppighed.antal, reng.hyppighed.periode) == (1, "anden_uge")
        assert reng.kriterier.minimum_opfyldt == 3
        assert HERLEV.frister.revurdering_maaneder == 24

    def test_two_kommuner_differ_without_code(self) -> None:
        assert SOROE.frister.afgoerelse_praktisk_uger == 8
        assert HERLEV.frister.revurdering_maaneder != SOROE.frister.revurdering_maaneder
        soroe_reng = SOROE.find("PR-RENG")
        assert soroe_reng is not None and soroe_reng.kriterier is not None
        assert soroe_reng.kriterier.omraader[0].min_niveau == 3

    def test_duplicate_codes_refused(self) -> None:
        data = HERLEV.model_dump()
        data["indsatser"].append(data["indsatser"][0])
        with pytest.raises(ValidationError, match="unique"):
            Kvalitetsstandard.model_validate(data)

    def test_unreachable_minimum_refused(self) -> None:
        data = HERLEV.model_dump()
        data["indsatser"][0]["kriterier"]["minimum_opfyldt"] = 9
        with pytest.raises(ValidationError, match="minimum_opfyldt"):
            Kvalitetsstandard.model_validate(data)

    def test_unknown_field_refused(self, tmp_path: Path) -> None:
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "1.yaml").write_text("kommune: x\nversion: '1'\nfoo: 1\n")
        with pytest.raises(ValidationError):
            loader.load("x", "1", tmp_path)

    def test_file_must_declare_its_own_name(self, tmp_path: Path) -> None:
        (tmp_path / "other").mkdir()
        text = (loader.DATA_DIR / "herlev" / "2013.yaml").read_text(encoding="utf-8")
        (tmp_path / "other" / "2013.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match="declares herlev-2013"):
            loader.load("other", "2013", tmp_path)


class TestEligibility:
    def test_herlev_minimum_three_areas(self) -> None:
        reng = HERLEV.find("2.1.1.2")
        assert reng is not None
        to = vurdering(("B1-11", 2), ("B1-8", 3))
        tre = vurdering(("B1-11", 2), ("B1-8", 3), ("B2-2", 2))
        assert not vurder(reng, to).opfyldt
        assert vurder(reng, tre).opfyldt
        assert vurder(reng, tre).opfyldte == ("B1-11:2", "B1-8:3", "B2-2:2")

    def test_low_coping_capacity_counts_where_the_standard_says(self) -> None:
        reng = HERLEV.find("2.1.1.2")
        assert reng is not None
        assert vurder(reng, vurdering(("B1-11", 2), ("B1-8", 2), mestring="lav")).opfyldt

    def test_level_9_never_meets(self) -> None:
        indk = SOROE.find("PR-INDK")
        assert indk is not None
        assert not vurder(indk, vurdering(("B1-9", 9))).opfyldt
        assert vurder(indk, vurdering(("B1-9", 3))).opfyldt

    def test_same_assessment_differs_between_kommuner(self) -> None:
        v = vurdering(("B1-11", 2), ("B1-8", 2), ("B1-15", 2))
        assert "2.1.1.2" in {f.indsats_kode for f in foreslaa(HERLEV, v)}
        assert "PR-RENG" not in {f.indsats_kode for f in foreslaa(SOROE, v)}

    def test_exclusions_by_setting(self) -> None:
        v = vurdering(("B1-11", 3), ("B1-8", 3))
        assert "PR-RENG" in {f.indsats_kode for f in foreslaa(SOROE, v)}
        assert "PR-RENG" not in {f.indsats_kode for f in foreslaa(SOROE, v, "plejebolig")}

    def test_grant_within_criteria_gets_delivery_rules(self) -> None:
        v = vurdering(("B1-11", 3), ("B1-8", 3))
        b = bevilling_mod_katalog(bevilling("PR-RENG"), SOROE, v)
        assert b.leveringsregler is not None
        assert b.leveringsregler.katalog_version == "soroe-2024"
        assert b.leveringsregler.erstatningsfrist_dage == 5
        assert b.leveringsregler.aflysningsfrist_dage_foer == 2
        assert b.leveringsregler.erstatning_ved_rettidig_borgeraflysning is True

    def test_grant_outside_criteria_needs_a_reason(self) -> None:
        v = vurdering(("B1-11", 1))
        with pytest.raises(DomainRuleViolation) as e:
            bevilling_mod_katalog(bevilling("PR-RENG"), SOROE, v)
        assert e.value.rule == "bevilling-uden-for-kriterier" and "B1-11:3" in e.value.dansk
        ok = bevilling_mod_katalog(bevilling("PR-RENG", begrundelse="Svær astma"), SOROE, v)
        assert ok.leveringsregler is not None

    @pytest.mark.parametrize("begrundelse", [None, "   "])
    def test_unknown_code_needs_a_reason(self, begrundelse: str | None) -> None:
        with pytest.raises(DomainRuleViolation) as e:
            bevilling_mod_katalog(bevilling("NOPE", begrundelse=begrundelse), SOROE, vurdering())
        assert e.value.rule == "indsats-ikke-i-kvalitetsstandard"

    def test_unknown_code_with_reason_has_no_catalogue_rules(self) -> None:
        b = bevilling_mod_katalog(bevilling("NOPE", begrundelse="Særligt behov"), SOROE, None)
        assert b.leveringsregler is None

    def test_category_must_match_catalogue(self) -> None:
        with pytest.raises(DomainRuleViolation) as e:
            bevilling_mod_katalog(bevilling("PR-RENG", "personlig"), SOROE, vurdering())
        assert e.value.rule == "indsats-forkert-kategori"


class TestRegister:
    def godkendt(self, *standarder: Kvalitetsstandard) -> KatalogRegister:
        reg = KatalogRegister(standarder[0].kommune)
        for s in standarder:
            reg.godkend(s, loader.fingerprint(s), date(2026, 1, 2), CHEF, NU)
        return reg

    def test_approval_event_carries_content(self) -> None:
        reg = self.godkendt(HERLEV)
        events = reg.collect_events()
        assert isinstance(events[-1], KatalogRegister.KvalitetsstandardGodkendt)
        assert events[-1].sha256 == loader.fingerprint(HERLEV)
        assert reg.standard("herlev-2013") == HERLEV

    def test_in_force_by_valid_from(self) -> None:
        nyere = HERLEV.model_copy(update={"version": "2026", "gyldig_fra": date(2026, 3, 1)})
        reg = self.godkendt(HERLEV, nyere)
        assert reg.gaeldende(date(2012, 12, 31)) is None
        found = reg.gaeldende(date(2026, 2, 28))
        assert found is not None and found.katalog_version == "herlev-2013"
        found = reg.gaeldende(date(2026, 3, 1))
        assert found is not None and found.katalog_version == "herlev-2026"

    @pytest.mark.parametrize(
        ("update", "rule"),
        [
            ({}, "kvalitetsstandard-allerede-godkendt"),
            ({"version": "b"}, "kvalitetsstandard-samme-gyldighedsdato"),
            ({"kommune": "soroe", "version": "c"}, "kvalitetsstandard-forkert-kommune"),
        ],
    )
    def test_approval_rules(self, update: dict[str, str], rule: str) -> None:
        reg = self.godkendt(HERLEV)
        with pytest.raises(DomainRuleViolation) as e:
            reg.godkend(HERLEV.model_copy(update=update), "x", date(2026, 1, 2), CHEF, NU)
        assert e.value.rule == rule


def test_replace_keeps_other_fields() -> None:
    b = bevilling("PR-INDK")
    out = bevilling_mod_katalog(b, SOROE, vurdering(("B1-9", 4)))
    assert dataclasses.replace(out, leveringsregler=None) == b


def _med_loefter(**felter: object) -> dict[str, object]:
    data = HERLEV.model_dump(mode="json")
    data["indsatser"][0].update(felter)  # type: ignore[index]
    return data


def test_typed_promises_reach_the_grants_rules() -> None:
    """Schema v2: hours, working days, and a bare integer as calendar days (schema v1)."""
    from services.visitation.domain.kriterier import leveringsregler
    from shared.kernel.loefte import Loefte

    k = Kvalitetsstandard.model_validate(
        _med_loefter(
            erstatningsfrist={"vaerdi": 2, "enhed": "arbejdsdage"},
            aflysningsvarsel={"vaerdi": 48, "enhed": "timer"},
            forsinkelsestolerance=3,
        )
    )
    r = leveringsregler(k, k.indsatser[0])
    assert r.erstatningsfrist == Loefte(2, "arbejdsdage")
    assert r.aflysningsvarsel == Loefte(48, "timer")
    assert r.forsinkelsestolerance == Loefte(3, "kalenderdage")
    # Herlev's file names none of them: its grants keep the day-based rules.
    herlev = leveringsregler(HERLEV, HERLEV.indsatser[0])
    assert herlev.erstatningsfrist is None and herlev.forsinkelsestolerance is None


@pytest.mark.parametrize(
    "loefte",
    [{"vaerdi": 1, "enhed": "minutter"}, {"vaerdi": -1, "enhed": "timer"}, {"vaerdi": 1}],
)
def test_unknown_or_bad_promise_refused(loefte: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Kvalitetsstandard.model_validate(_med_loefter(erstatningsfrist=loefte))
    with pytest.raises(ValidationError):
        Kvalitetsstandard.model_validate(
            _med_loefter(erstatningsfrist={"vaerdi": 1, "enhed": "timer", "ekstra": 1})
        )


class TestFritValg:
    """An indsats the standard keeps outside frit valg goes to the kommune's own provider."""

    @staticmethod
    def uden_frit_valg(leverandoer_id: str) -> Bevilling:
        indsats = HERLEV.find("2.1.1.2")
        assert indsats is not None
        katalog = HERLEV.model_copy(
            update={
                "indsatser": [
                    i.model_copy(update={"frit_valg": False}) if i.kode == "2.1.1.2" else i
                    for i in HERLEV.indsatser
                ]
            }
        )
        b = dataclasses.replace(bevilling("2.1.1.2"), leverandoer_id=leverandoer_id)
        return bevilling_mod_katalog(b, katalog, vurdering(("B1-11", 3), ("B1-8", 3), ("B1-15", 3)))

    def test_the_rule_travels_in_the_grant(self) -> None:
        b = self.uden_frit_valg("hjemmeplejen-nord")
        assert b.leveringsregler is not None and b.leveringsregler.frit_valg is False
        katalog_b = bevilling_mod_katalog(
            bevilling("2.1.1.2"), HERLEV, vurdering(("B1-11", 3), ("B1-8", 3), ("B1-15", 3))
        )
        assert katalog_b.leveringsregler is not None and katalog_b.leveringsregler.frit_valg

    def test_only_the_kommunes_own_provider(self) -> None:
        kraev_frit_valg(self.uden_frit_valg("hjemmeplejen-nord"), DEMO_LEVERANDOERER)
        for andre in ("omsorg-plus-aps", "afventer-valg", "ukendt"):
            with pytest.raises(DomainRuleViolation) as e:
                kraev_frit_valg(self.uden_frit_valg(andre), DEMO_LEVERANDOERER)
            assert e.value.rule == "indsats-uden-frit-valg"

    def test_grants_with_free_choice_or_without_rules_pass(self) -> None:
        b = bevilling_mod_katalog(
            dataclasses.replace(bevilling("2.1.1.2"), leverandoer_id="omsorg-plus-aps"),
            HERLEV,
            vurdering(("B1-11", 3), ("B1-8", 3), ("B1-15", 3)),
        )
        kraev_frit_valg(b, DEMO_LEVERANDOERER)
        kraev_frit_valg(
            dataclasses.replace(bevilling("x"), leverandoer_id="omsorg-plus-aps"),
            DEMO_LEVERANDOERER,
        )


def test_a_categorys_promises_apply_where_the_indsats_names_none() -> None:
    """Schema v2: `loefter` per category, an indsats's own promise over its category's."""
    katalog = Kvalitetsstandard.model_validate(
        {
            **HERLEV.model_dump(exclude={"indsatser", "loefter"}),
            "loefter": {
                "praktisk": {
                    "forsinkelsestolerance": {"vaerdi": 2, "enhed": "timer"},
                    "aflysningsvarsel": {"vaerdi": 48, "enhed": "timer"},
                }
            },
            "indsatser": [
                {
                    **i.model_dump(exclude_none=True),
                    **({"aflysningsvarsel": {"vaerdi": 1, "enhed": "arbejdsdage"}}
                       if i.kode == "2.1.1.2" else {}),
                }
                for i in HERLEV.indsatser
            ],
        }
    )  # fmt: skip
    rengoering, oprydning = katalog.find("2.1.1.2"), katalog.find("2.1.1.3")
    assert rengoering is not None and oprydning is not None
    for indsats, varsel in (
        (rengoering, Loefte(1, "arbejdsdage")),
        (oprydning, Loefte(48, "timer")),
    ):
        regler = leveringsregler(katalog, indsats)
        assert regler.forsinkelsestolerance == Loefte(2, "timer")
        assert regler.aflysningsvarsel == varsel
    assert leveringsregler(HERLEV, rengoering).forsinkelsestolerance is None
