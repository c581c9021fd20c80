"""Unit tests of the monthly tilsyn report: data, charts in HTML, charts in the PDF, and
the one Danish number format."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.supervision.adapters.maanedsrapport import (
    KOMMUNEN,
    rapport_data,
    som_html,
    som_pdf,
    tolv_maaneder,
)
from services.supervision.domain.tilsynstal import Tilsynstal
from shared.reference.dansk import dansk_tal
from tests.unit.test_supervision_folds import forloeb

NU = datetime(2026, 12, 1, 9, tzinfo=UTC)
#: A figure as the report shows it: 1.234.567,8 / 92,5 % / – for none.
DANSK = re.compile(r"^(-?\d{1,3}(\.\d{3})*(,\d+)?( %)?|–)$")


def tal() -> Tilsynstal:
    t = Tilsynstal()
    for e in forloeb()[0]:
        t.registrer(e)
    return t


def test_danish_numbers() -> None:
    assert dansk_tal(1234567.891, 1) == "1.234.567,9"
    assert dansk_tal(240) == "240" and dansk_tal(240.0, 1) == "240,0"
    assert dansk_tal(92.54, 1, "%") == "92,5 %"
    assert dansk_tal(-0.01, 1) == "0,0" and dansk_tal(-1234.5, 1) == "-1.234,5"
    assert dansk_tal(None) == "–"


def test_twelve_months() -> None:
    assert tolv_maaneder("2026-11") == [
        "2025-12",
        *(f"2026-{m:02d}" for m in range(1, 12)),
    ]
    assert tolv_maaneder("2027-01")[:2] == ["2026-02", "2026-03"]


def test_report_rows_and_municipality_total() -> None:
    data = rapport_data(tal().resultat(), "2026-11", NU)
    assert [r["navn"] for r in data["raekker"]] == ["omsorg-plus", KOMMUNEN]
    row, total = data["raekker"]
    assert row["leverede_minutter"] == 25 and row["aflyst_leverandoer"] == 1
    assert total["leverede_minutter"] == 25 and total["erstatning_svigtet"] == 1
    assert data["frister"]["afgoerelser"] == 1
    # Twelve months per provider and for the municipality, the month last.
    assert data["maaneder"][-1] == "2026-11" and len(data["maaneder"]) == 12
    lev, kommune = data["enheder"]
    assert lev["id"] == "omsorg-plus" and kommune["kommune"] and kommune["navn"] == KOMMUNEN
    bevilget = lev["serier"]["bevilgede_minutter"][-1]
    assert lev["serier"]["leverede_minutter"][-1] == 25 and bevilget > 0
    # Leveringsgrad: delivered of granted minutes, in per cent; none in an empty month.
    assert lev["serier"]["leveringsgrad"][-1] == round(100 * 25 / bevilget, 1)
    assert lev["serier"]["leveringsgrad"][0] is None
    assert kommune["serier"]["leverede_minutter"][-1] == 25
    # The municipality's legal clocks come from visitation's figures of the month.
    assert kommune["serier"]["frister_overholdt"][-1] >= 1


def test_named_municipality() -> None:
    data = rapport_data(tal().resultat(), "2026-11", NU, "Sorø Kommune")
    assert data["kommune"] == "Sorø Kommune" and data["enheder"][-1]["navn"] == "Sorø Kommune i alt"
    assert "Sorø Kommune, Tilsynet" in som_html(data)


def test_report_renders_charts_in_html_and_pdf() -> None:
    data = rapport_data(tal().resultat(), "2026-11", NU, "Herlev Kommune")
    html = som_html(data)
    assert html.count("<svg") == 5  # five charts drawn by matplotlib
    assert "Tilsynsrapport november 2026" in html and "Herlev Kommune" in html
    # Every figure in a table cell is Danish.
    celler = [c for c in re.findall(r"<td>([^<]*)</td>", html) if not re.search(r"[a-zæøå]", c)]
    assert celler and all(DANSK.match(c) for c in celler), [c for c in celler if not DANSK.match(c)]
    pdf = som_pdf(data)
    assert pdf.startswith(b"%PDF") and b"Tilsynsrapport november 2026" in pdf
    assert pdf.count(b"/Subtype /Image") == 5  # the charts, as images
    assert som_pdf(data) == pdf


def test_thousands_and_decimals_in_both_formats() -> None:
    t = tal().resultat()
    m = t["leverandoerer"]["omsorg-plus"]["2026-11"]
    t["leverandoerer"]["omsorg-plus"]["2026-11"] = {
        **m,
        "bevilgede_minutter": 123456.7,
        "leverede_minutter": 98765,
    }
    data = rapport_data(t, "2026-11", NU)
    html = som_html(data)
    assert "<td>123.457</td>" in html and "<td>98.765</td>" in html
    assert "<td>80,0 %</td>" in html  # 98765 of 123456,7
    pdf = som_pdf(data)
    assert b"(123.457)" in pdf and b"(80,0 %)" in pdf
    assert b"123456" not in pdf and b"80.0" not in pdf


def test_empty_month() -> None:
    data = rapport_data(tal().resultat(), "2020-01", NU)
    assert [r["navn"] for r in data["raekker"]] == [KOMMUNEN]
    assert "<svg" in som_html(data) and som_pdf(data).startswith(b"%PDF")
