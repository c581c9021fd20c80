"""Every field of the catalogue is read by a rule, or declared documentation, or a known gap
(services/visitation/catalogue/laesere.py); every catalogue model refuses unknown keys."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from services.visitation.catalogue.kommune import Kommune
from services.visitation.catalogue.laesere import DOKUMENTATION, IKKE_LAEST_ENDNU, LAESERE
from services.visitation.catalogue.model import Kvalitetsstandard

ROD = Path(__file__).resolve().parents[2]


def _modeller(rod: type[BaseModel]) -> list[type[BaseModel]]:
    """The model and every model nested in its fields (lists, dicts, unions included)."""
    fundne: list[type[BaseModel]] = []

    def typer(a: object) -> list[object]:
        return [a, *(t for arg in typing.get_args(a) for t in typer(arg))]

    def besoeg(m: type[BaseModel]) -> None:
        if m in fundne:
            return
        fundne.append(m)
        for f in m.model_fields.values():
            for t in typer(f.annotation):
                if isinstance(t, type) and issubclass(t, BaseModel):
                    besoeg(t)

    besoeg(rod)
    return fundne


def _felter() -> set[str]:
    return {f"{m.__name__}.{n}" for m in _modeller(Kvalitetsstandard) for n in m.model_fields}


@pytest.mark.parametrize("rod", [Kvalitetsstandard, Kommune])
def test_every_catalogue_model_refuses_unknown_keys(rod: type[BaseModel]) -> None:
    aabne = [m.__name__ for m in _modeller(rod) if m.model_config.get("extra") != "forbid"]
    assert aabne == []


def test_every_field_is_in_exactly_one_table() -> None:
    tabeller = [set(LAESERE), set(DOKUMENTATION), set(IKKE_LAEST_ENDNU)]
    assert not (tabeller[0] & tabeller[1] or tabeller[0] & tabeller[2] or tabeller[1] & tabeller[2])
    felter = _felter()
    assert felter - set().union(*tabeller) == set(), "a field nobody reads: add its reader"
    assert set().union(*tabeller) - felter == set(), "a table names a field that is gone"


@pytest.mark.parametrize("felt", sorted(LAESERE))
def test_each_reader_still_reads(felt: str) -> None:
    navn = felt.split(".")[1]
    for laeser in LAESERE[felt]:
        fil = ROD / laeser.fil
        assert fil.is_file(), f"{felt}: {laeser.fil} is gone"
        assert laeser.udtryk in fil.read_text(encoding="utf-8"), (
            f"{felt}: {laeser.fil} no longer contains {laeser.udtryk!r}"
        )
    # At least one step names the field itself (a merge step may read all fields at once).
    assert any(navn in laeser.udtryk for laeser in LAESERE[felt])


def test_every_field_a_rule_should_read_is_read() -> None:
    assert IKKE_LAEST_ENDNU == {}
