"""Unit tests of the monthly tilsyn report: data, SVG in HTML, drawn PDF."""

from __future__ import annotations

from datetime import UTC, datetime

from services.supervision.adapters.maanedsrapport import KOMMUNEN, rapport_data, som_html, som_pdf
from services.supervision.domain.tilsynstal import Tilsynstal
from tests.unit.test_supervision_folds import forloeb

NU = datetime(2026, 12, 1, 9, tzinfo=UTC)


def tal() -> Tilsynstal:
    t = Tilsynstal()
    for e in forloeb()[0]:
        t.registrer(e)
    return t


def test_report_rows_and_municipality_total() -> None:
    data = rapport_data(tal().resultat(), "2026-11", NU)
    assert [r["navn"] for r in data["raekker"]] == ["omsorg-plus", KOMMUNEN]
    row, total = data["raekker"]
    assert row["leverede_minutter"] == 25 and row["aflyst_leverandoer"] == 1
    assert total["leverede_minutter"] == 25 and total["erstatning_svigtet"] == 1
    # Bars scale to the largest value: granted minutes here.
    assert row["bredde_bevilget"] == 300.0 and 0 < row["bredde_leveret"] < 300
    assert data["frister"]["afgoerelser"] == 1


def test_report_renders_svg_and_pdf() -> None:
    data = rapport_data(tal().resultat(), "2026-11", NU)
    html = som_html(data)
    assert "<svg" in html and html.count("<rect") == 6
    assert "Tilsynsrapport 2026-11" in html
    pdf = som_pdf(data)
    assert pdf.startswith(b"%PDF") and b"Tilsynsrapport 2026-11" in pdf
    assert b" re f" in pdf  # filled rectangles: the bars are drawn
    assert som_pdf(data) == pdf


def test_empty_month() -> None:
    data = rapport_data(tal().resultat(), "2020-01", NU)
    assert [r["navn"] for r in data["raekker"]] == [KOMMUNEN]
    assert "<svg" in som_html(data) and som_pdf(data).startswith(b"%PDF")
