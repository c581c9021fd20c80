"""The monthly tilsyn report over HTTP, from a real service's projections: the
municipality's name, twelve months per provider and for the municipality, Danish numbers,
and a PDF whose charts are there."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.supervision.wiring import build
from shared.reference.dansk import MAANEDER as DANSKE_MAANEDER
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_supervision_replay import feed, scenario

pytestmark = pytest.mark.integration
TIL = {**headers_for("tilsyn", "tilsyn-ole"), "X-Formaal": "tilsynsbesoeg"}
MAANEDER = ["dec 25", *(f"{m[:3]} 26" for m in DANSKE_MAANEDER[:11])]
DANSK = re.compile(r"^(-?\d{1,3}(\.\d{3})*(,\d+)?( %)?|–)$")


@pytest.fixture
def client(store_settings: SettingsFactory) -> TestClient:
    wiring = build(store_settings("supervision"))
    _, v_events, p_events = scenario(store_settings)
    feed(wiring.consumers[0].app, v_events + p_events)  # type: ignore[arg-type]
    return TestClient(wiring.api)


def test_html_report_of_a_month_with_data(client: TestClient) -> None:
    r = client.get("/tilsyn/rapport/2026-11", headers=TIL)
    assert r.status_code == 200, r.text
    html = r.text
    assert "Herlev Kommune, Tilsynet" in html and "Tilsynsrapport november 2026" in html
    assert "december 2025 – november 2026" in html
    # One twelve-month table per provider and one for the municipality, months as columns.
    hoveder = re.findall(r"<tr><th></th>((?:<th>[^<]*</th>)+)</tr>", html)
    assert len(hoveder) == 2
    for hoved in hoveder:
        assert re.findall(r"<th>([^<]*)</th>", hoved) == MAANEDER
    assert "Tolv måneder: Herlev Kommune i alt" in html and "(omsorg-plus-aps)" in html
    raekker = re.findall(r"<tr><td>([^<]*)</td>((?:<td>[^<]*</td>)+)</tr>", html)
    trend = [
        re.findall(r"<td>([^<]*)</td>", celler)
        for navn, celler in raekker
        if navn in ("Leveringsgrad", "Leverede besøg", "Klager modtaget")
    ]
    assert len(trend) == 6 and all(len(c) == 12 for c in trend)
    # Every figure in the tables is written the Danish way.
    celler = [c for c in re.findall(r"<td>([^<]*)</td>", html) if not re.search(r"[a-zæøå]", c)]
    assert celler and all(DANSK.match(c) for c in celler), [c for c in celler if not DANSK.match(c)]
    # The month's delivered minutes and a share with a decimal comma.
    assert re.search(r"<td>Leveringsgrad</td>(<td>[^<]*</td>){11}<td>\d+,\d %</td>", html)
    assert html.count("<svg") == 5  # the charts, drawn by matplotlib


def test_pdf_report_is_a_pdf_with_its_charts(client: TestClient) -> None:
    r = client.get("/tilsyn/rapport/2026-11", headers=TIL, params={"format": "pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = r.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    # The cross-reference table is where the trailer says it is.
    startxref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    assert pdf[startxref : startxref + 4] == b"xref"
    assert pdf.count(b"/Subtype /Image") == 5  # the five charts
    for tekst in (b"Herlev Kommune", b"Tilsynsrapport november 2026", b"omsorg-plus-aps"):
        assert tekst in pdf
    assert all(f"({m})".encode() in pdf for m in MAANEDER)


def test_json_form_has_the_twelve_months(client: TestClient) -> None:
    data: dict[str, Any] = client.get(
        "/tilsyn/rapport/2026-11", headers=TIL, params={"format": "json"}
    ).json()
    assert data["kommune"] == "Herlev Kommune" and len(data["maaneder"]) == 12
    kommune = data["enheder"][-1]
    assert kommune["kommune"] and len(kommune["serier"]["leverede_besoeg"]) == 12
    assert kommune["serier"]["leverede_besoeg"][-1] == 1
