"""CSV exports neutralise every text cell a spreadsheet would read as a formula (OWASP CSV
injection) and leave genuine numbers, negative ones included, as numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.infra.csv_eksport import FORMELTEGN, neutraliseret, som_csv


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", "＝"])
def test_text_starting_a_formula_is_prefixed_with_a_quote(start: str) -> None:
    assert neutraliseret(f"{start}1+1") == f"'{start}1+1"


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert neutraliseret(-5) == -5
    assert neutraliseret(Decimal("-424.67")) == Decimal("-424.67")
    assert neutraliseret(-1.5) == -1.5
    assert neutraliseret(None) is None
    assert neutraliseret("Bad") == "Bad"
    assert neutraliseret("-5") == "'-5"  # text that looks like a number is still text


def test_a_whole_export_round_trips_with_every_cell_safe() -> None:
    tekst = som_csv(
        ("navn", "beloeb"),
        [{"navn": "=cmd|' /C calc'!A0", "beloeb": Decimal("-10.50")}, {"navn": "Bad"}],
    )
    rows = list(csv.DictReader(io.StringIO(tekst)))
    assert rows == [
        {"navn": "'=cmd|' /C calc'!A0", "beloeb": "-10.50"},
        {"navn": "Bad", "beloeb": ""},
    ]
    assert tekst.endswith("\r\n")


@given(st.text())
def test_no_text_cell_starts_a_formula(text: str) -> None:
    assert not str(neutraliseret(text)).startswith(FORMELTEGN)
