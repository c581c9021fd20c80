"""The public contracts mark every field of personal free text (`Fritekst`): the published
schemas say so to partners, and supervision encrypts exactly those fields when it stores
the events. A new free-text field that is not marked fails here."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from shared.contracts import CONTRACTS
from shared.contracts.personoplysninger import MARKOER, fritekst_skema, personoplysninger_i
from shared.kernel.personoplysning import Personoplysning

#: Field names that hold prose. Each such field is personal free text unless listed below.
PROSA = {"beskrivelse", "begrundelse", "aarsag", "oplysninger", "svar", "individuelle_maal"}
#: Prose written by the system or a closed vocabulary, never about one citizen's life.
IKKE_PERSONLIGT = {
    ("BevillingOphoert", "aarsag"): "a code (OphoersAarsag)",
    ("LeverandoerValgt", "aarsag"): "a code (borgerens_valg / valgfrist_overskredet)",
    ("BesoegForgaeves", "aarsag"): "a code (ForgaevesAarsag)",
    ("BestillingAfsluttet", "aarsag"): "a code (leverandoerskift, doedsfald ...)",
    ("LeveringSvigtet", "aarsag"): "generated: who cancelled and the missed deadline",
    ("BestillingAfvist", "aarsag"): "a code (AfvisningsAarsag)",
    ("BestillingAfvist", "begrundelse"): "generated: the provider's approval window",
    ("LeverandoerregisterAendret", "begrundelse"): "the kommune's reason about a provider "
    "(a company or institution) losing an approval, never about a citizen",
}


def _prosafelter(model: type[BaseModel], sti: str = "") -> list[tuple[str, str]]:
    """(dotted path, field name) of every prose-named field, nested models included."""
    out: list[tuple[str, str]] = []
    for navn, info in model.model_fields.items():
        if navn in PROSA:
            out.append((sti + navn, navn))
        for typ in (info.annotation, *getattr(info.annotation, "__args__", ())):
            for inner in (typ, *getattr(typ, "__args__", ())):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    out += _prosafelter(inner, f"{sti}{navn}.")
    return out


def _markeret(skema: Any, sti: str) -> bool:
    for del_ in sti.split("."):
        if not isinstance(skema, dict) or del_ not in skema:
            return False
        skema = skema[del_]
    return skema is True


def test_every_free_text_field_of_every_contract_is_marked() -> None:
    umarkerede = []
    for (event_type, _version), model in CONTRACTS.items():
        skema = fritekst_skema(model)
        for sti, navn in _prosafelter(model):
            if (event_type, navn) in IKKE_PERSONLIGT and "." not in sti:
                assert not _markeret(skema, sti), (event_type, sti)
                continue
            if not _markeret(skema, sti):
                umarkerede.append(f"{event_type}.{sti}")
    assert umarkerede == []


def test_the_published_schemas_name_the_personal_fields() -> None:
    schema = CONTRACTS[("KlageOprettet", 1)].model_json_schema()
    assert schema["properties"]["beskrivelse"][MARKOER] is True
    assert MARKOER not in schema["properties"]["klagetype"]


def test_free_text_becomes_personoplysning_of_the_owner_and_nothing_else_changes() -> None:
    data = {
        "afgoerelse_id": "a",
        "begrundelse": "Borgeren kan selv",
        "udfald": [{"anmodning_id": "x", "resultat": "afslag", "begrundelse": "Kan selv"}],
        "helhedspleje": {"individuelle_maal": ["Gå til købmanden", "Bade selv"], "pakke": "p"},
        "klagevejledning": "Du kan klage inden 4 uger.",
    }
    skema = fritekst_skema(CONTRACTS[("AfgoerelseTruffet", 1)])
    ud = personoplysninger_i(data, skema, "b-1")
    assert ud["begrundelse"] == Personoplysning("b-1", "Borgeren kan selv")
    assert ud["udfald"][0] == {
        "anmodning_id": "x",
        "resultat": "afslag",
        "begrundelse": Personoplysning("b-1", "Kan selv"),
    }
    assert ud["helhedspleje"]["individuelle_maal"] == [
        Personoplysning("b-1", "Gå til købmanden"),
        Personoplysning("b-1", "Bade selv"),
    ]
    assert ud["helhedspleje"]["pakke"] == "p"
    assert ud["klagevejledning"] == data["klagevejledning"]  # the law's text, not the citizen's
    assert data["begrundelse"] == "Borgeren kan selv"  # the input is not changed
    # Absent optional free text stays absent.
    assert personoplysninger_i({"begrundelse": None}, skema, "b-1") == {"begrundelse": None}
