"""Supervision's newer endpoints on both stores: a citizen's own history and access log,
the service-level what-if, and the inspection report as HTML and PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.supervision.domain.hvadhvis import UGER_PR_AAR
from tests.identity import headers_for
from tests.integration.test_supervision_api import TIL, client_and_case  # noqa: F401

pytestmark = pytest.mark.integration
Ctx = tuple[TestClient, Any, list[Any]]


def test_citizen_reads_own_history_and_access_log_only(client_and_case: Ctx) -> None:  # noqa: F811
    client, sag_id, v_events = client_and_case
    borger_id = next(e for e in v_events if e.case_id == sag_id).data["borger_id"]
    egen = headers_for("borger", borger_id=borger_id)
    r = client.get(f"/sager/{sag_id}/historik", headers=egen)
    assert r.status_code == 200, r.text
    assert r.json()["haendelser"][0]["haendelse"] == "AnsoegningModtaget"
    log = client.get(f"/sager/{sag_id}/adgangslog", headers=egen).json()
    assert [(o["hvem"]["rolle"], o["endpoint"]) for o in log["opslag"]] == [
        ("borger", "historik"),
        ("borger", "adgangslog"),
    ]
    # someone else's case is as if it did not exist; the case state stays with tilsyn
    fremmed = headers_for("borger", borger_id="11111111-1111-1111-1111-111111111111")
    assert client.get(f"/sager/{sag_id}/historik", headers=fremmed).status_code == 404
    assert client.get(f"/sager/{sag_id}/adgangslog", headers=fremmed).status_code == 404
    assert client.get(f"/sager/{sag_id}/tilstand", headers=egen).status_code == 403
    # a refused read is not logged as a read
    assert len(client.get(f"/sager/{sag_id}/adgangslog", headers=TIL).json()["opslag"]) == 3


def test_what_if_over_the_active_grants(client_and_case: Ctx) -> None:  # noqa: F811
    client, _, _ = client_and_case
    body = {
        "aendringer": [{"indsats_kode": "H1.3", "besoeg_pr_uge": 1}],
        "timepriser": {"personlig": 450},
    }
    r = client.post("/tilsyn/hvadhvis", headers=TIL, json=body)
    assert r.status_code == 200, r.text
    h13 = r.json()["indsatser"]["H1.3"]  # bath twice a week, 30 minutes
    assert h13["nu"]["timer"] == round(UGER_PR_AAR, 1)
    assert h13["efter"]["kroner"] == round(UGER_PR_AAR / 2 * 450)
    bad = {"aendringer": [{"besoeg_pr_uge": 1, "interval_dage": 21}]}
    assert client.post("/tilsyn/hvadhvis", headers=TIL, json=bad).status_code == 422
    leverandoer = headers_for("leverandoer", leverandoer_id="omsorg-plus-aps")
    assert client.post("/tilsyn/hvadhvis", headers=leverandoer, json=body).status_code == 403


def test_inspection_report_as_html_and_pdf(client_and_case: Ctx) -> None:  # noqa: F811
    """Regression (issue 20, item 6): the report printed the provider's id, raw rating codes
    and a UTC timestamp with microseconds; findings named no case; no conclusion."""
    client, sag_id, _ = client_and_case
    plan = {"leverandoer_id": "omsorg-plus-aps", "planlagt_dato": "2026-11-20", "seed": 7}
    tilsyn_id = client.post("/tilsyn/besoeg", headers=TIL, json=plan).json()["tilsyn_id"]
    for vurdering, tekst in (
        ("mindre_mangler", "Ingen kørsel"),
        ("vaesentlige_mangler", "Medicin uden kvittering"),
    ):
        fund = {"sag_id": str(sag_id), "vurdering": vurdering, "beskrivelse": tekst}
        assert client.post(f"/tilsyn/besoeg/{tilsyn_id}/fund", headers=TIL, json=fund).is_success
    punkt = {"beskrivelse": "Ret dokumentationen", "frist": "2026-12-01", "ansvarlig": "leder"}
    assert client.post(
        f"/tilsyn/besoeg/{tilsyn_id}/opfoelgning", headers=TIL, json=punkt
    ).is_success
    params = {"pr_dato": "2026-12-05", "format": "html"}
    html = client.get(f"/tilsyn/besoeg/{tilsyn_id}", headers=TIL, params=params)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    pdf = client.get(f"/tilsyn/besoeg/{tilsyn_id}", headers=TIL, params={**params, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    konklusion = "Tilsynet fandt væsentlige mangler. Opfølgningspunktet skal være rettet senest"
    assert "<svg" in html.text
    for tekst in (re.sub(r"<[^>]+>", "", html.text), pdf.content.decode("latin-1")):
        for skal in (
            "Tilsynsrapport: Omsorg Plus ApS",  # the provider's name, not its id
            "Herlev Kommune",
            konklusion,
            "1. december 2026",  # the deadline in Danish
            f"Sag 1: {sag_id}",  # the findings name their case
            "Væsentlige mangler: Medicin uden kvittering",
            "Mindre mangler: Ingen kørsel",
            "Ret dokumentationen",
            "frist overskredet",
        ):
            assert skal in tekst, skal
        # Ratings in Danish words, the most severe first, and no raw codes.
        orden = [
            tekst.index(v)
            for v in ("Kritiske forhold", "Væsentlige mangler", "Mindre mangler", "Tilfredsst")
        ]
        assert orden == sorted(orden)
        assert "vaesentlige_mangler" not in tekst and "mindre_mangler" not in tekst
        # Made at a Danish local time, "4. december 2026 kl. 14.05": no ISO or UTC stamp.
        assert re.search(r"Dannet \d{1,2}\. [a-z]+ \d{4} kl\. \d{2}\.\d{2}\.", tekst)
        assert not re.search(r"\d{2}:\d{2}:\d{2}", tekst) and "+00:00" not in tekst
