"""The provider register's rules (visitation/domain/leverandoerregister.py) and its data
file: who may be created, which windows may be approved, restricted and withdrawn."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services.visitation.adapters.public_events import to_public
from services.visitation.catalogue import loader
from services.visitation.domain.leverandoerregister import Leverandoer
from shared.kernel import Aktoer, DomainRuleViolation
from shared.reference.leverandoerer import Godkendelse, leverandoer_register_id

ADMIN = Aktoer("admin-1", "administrator", "herlev")
NU = datetime(2026, 11, 2, 9, tzinfo=UTC)
IDAG = date(2026, 11, 2)


def ny(type: str = "privat", cvr: str | None = "12345678") -> Leverandoer:
    return Leverandoer.opret("pleje-syd-aps", "Pleje Syd ApS", type, cvr, ADMIN, NU)


def regel(fn: object, *args: object) -> str:
    with pytest.raises(DomainRuleViolation) as exc:
        fn(*args)  # type: ignore[operator]
    return exc.value.rule


@pytest.mark.parametrize(
    ("type", "cvr", "rule"),
    [
        ("kommunal", "12345678", "kommunal-leverandoer-uden-cvr"),
        ("privat", None, "leverandoer-cvr"),
        ("selvejende", "1234", "leverandoer-cvr"),
        ("forening", "12345678", "leverandoer-type"),
    ],
)
def test_cvr_for_private_and_selvejende_not_for_kommunal(
    type: str, cvr: str | None, rule: str
) -> None:
    assert regel(Leverandoer.opret, "pleje-syd", "Pleje Syd", type, cvr, ADMIN, NU) == rule


def test_id_and_name_are_required() -> None:
    assert regel(Leverandoer.opret, "Pleje Syd", "x", "kommunal", None, ADMIN, NU) == (
        "leverandoer-id"
    )
    assert regel(Leverandoer.opret, "pleje-syd", " ", "kommunal", None, ADMIN, NU) == (
        "leverandoer-navn"
    )
    lev = ny("kommunal", None)
    assert lev.id == leverandoer_register_id("pleje-syd-aps")


def test_windows_are_sensible_and_do_not_overlap() -> None:
    lev = ny()
    assert regel(lev.godkend, "personlig", date(2027, 1, 1), date(2026, 1, 1), ADMIN, NU) == (
        "godkendelse-periode"
    )
    assert regel(lev.godkend, "frisoer", date(2027, 1, 1), None, ADMIN, NU) == (
        "godkendelse-kategori"
    )
    lev.godkend("personlig", date(2026, 1, 1), date(2026, 12, 31), ADMIN, NU)
    assert regel(lev.godkend, "personlig", date(2026, 6, 1), None, ADMIN, NU) == (
        "godkendelse-overlapper"
    )
    lev.godkend("personlig", date(2027, 1, 1), None, ADMIN, NU)  # the next tender: fine
    lev.godkend("praktisk", date(2026, 6, 1), None, ADMIN, NU)
    v = lev.som_vaerdi()
    assert v.godkendt("personlig", date(2026, 12, 31)) and v.godkendt("personlig", date(2030, 1, 1))
    assert not v.godkendt("praktisk", date(2026, 5, 31))


def test_restrict_ends_the_window_in_force_and_only_an_existing_one() -> None:
    lev = ny()
    assert regel(lev.begraens, "personlig", date(2026, 6, 30), ADMIN, NU) == "ingen-godkendelse"
    lev.godkend("personlig", date(2026, 1, 1), None, ADMIN, NU)
    lev.begraens("personlig", date(2026, 6, 30), ADMIN, NU)
    assert lev.som_vaerdi().godkendelser == (
        Godkendelse("personlig", date(2026, 1, 1), date(2026, 6, 30)),
    )
    # Nothing in force on or after the new end any more:
    assert regel(lev.begraens, "personlig", date(2026, 9, 30), ADMIN, NU) == "ingen-godkendelse"


def test_withdraw_needs_a_reason_today_at_the_earliest_and_something_to_withdraw() -> None:
    lev = ny()
    lev.godkend("personlig", date(2020, 1, 1), None, ADMIN, NU)
    lev.godkend("praktisk", date(2027, 1, 1), None, ADMIN, NU)
    tilbagekald = lev.tilbagekald
    assert regel(tilbagekald, "personlig", IDAG, " ", IDAG, ADMIN, NU) == (
        "tilbagekaldelse-kraever-begrundelse"
    )
    assert regel(tilbagekald, "personlig", date(2026, 1, 1), "Brud", IDAG, ADMIN, NU) == (
        "tilbagekaldelse-ikke-bagud"
    )
    assert regel(tilbagekald, "madservice", IDAG, "Brud", IDAG, ADMIN, NU) == "ingen-godkendelse"
    lev.tilbagekald("personlig", date(2026, 12, 1), "Alvorlige mangler", IDAG, ADMIN, NU)
    # A window not begun yet is withdrawn whole: it approves nothing, and stays recorded.
    lev.tilbagekald("praktisk", IDAG, "Kontrakten opsagt", IDAG, ADMIN, NU)
    v = lev.som_vaerdi()
    assert v.godkendt("personlig", date(2026, 11, 30))
    assert not v.godkendt("personlig", date(2026, 12, 1))
    assert not v.godkendt("praktisk", date(2027, 1, 1))
    assert lev.har_vindue("praktisk", date(2027, 1, 1))  # the file import skips it
    assert regel(tilbagekald, "personlig", date(2026, 12, 1), "Igen", IDAG, ADMIN, NU) == (
        "ingen-godkendelse"
    )


def test_every_change_is_published_as_the_providers_full_snapshot() -> None:
    lev = ny()
    lev.godkend("personlig", date(2020, 1, 1), None, ADMIN, NU)
    lev.tilbagekald("personlig", date(2026, 12, 1), "Alvorlige mangler", IDAG, ADMIN, NU)
    drafts = [to_public(e) for e in lev.collect_events()]
    assert [d.event_type for d in drafts if d] == ["LeverandoerregisterAendret"] * 3
    sidste = drafts[-1]
    assert sidste is not None and sidste.case_id == leverandoer_register_id("pleje-syd-aps")
    assert sidste.payload.model_dump(mode="json") == {
        "leverandoer_id": "pleje-syd-aps",
        "navn": "Pleje Syd ApS",
        "type": "privat",
        "cvr": "12345678",
        "aendring": "tilbagekaldt",
        "godkendelser": [{"kategori": "personlig", "fra": "2020-01-01", "til": "2026-11-30"}],
        "begrundelse": "Alvorlige mangler",
    }


def test_the_data_file_holds_the_demo_providers() -> None:
    fil = loader.load_leverandoerer("herlev")
    assert fil is not None
    register = fil.som_register()
    assert list(register) == [
        "hjemmeplejen-nord",
        "omsorg-plus-aps",
        "rent-hjem-as",
        "diakonien-selvejende",
    ]
    assert register.er_godkendt("diakonien-selvejende", "personlig", date(2025, 12, 31))
    assert not register.er_godkendt("diakonien-selvejende", "personlig", date(2026, 1, 1))
    assert loader.load_leverandoerer("findes-ikke") is None


def test_a_bad_data_file_is_refused_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "by").mkdir()
    (tmp_path / "by" / "leverandoerer.yaml").write_text(
        "leverandoerer:\n"
        "  - {id: pleje, navn: Pleje, type: privat, cvr: '12345678', farve: blaa}\n"
        "  - {id: omsorg, navn: Omsorg, type: privat,\n"
        "     godkendelser: [{kategori: personlig, fra: 2020-01-01}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(loader.LeverandoerFilUgyldig) as exc:
        loader.load_leverandoerer("by", tmp_path)
    tekst = str(exc.value)
    assert "leverandoerer.0.farve" in tekst  # unknown key refused
    assert "leverandoerer.1: Value error, a privat or selvejende provider has a cvr" in tekst
