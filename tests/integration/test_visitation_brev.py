"""The decision letter (HTML and PDF) over HTTP: content, and who may read it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.brev_routes import build_brev_router
from services.visitation.api.rehab_routes import build_rehab_router
from services.visitation.api.routes import build_router
from services.visitation.api.sagsbehandling_routes import build_sagsbehandling_router
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_visitation_katalog import VIS, app, published
from tests.integration.test_visitation_sagsbehandling import d, paaroerendes_ansoegning

pytestmark = pytest.mark.integration
__all__ = ["app"]


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    for build in (build_router, build_rehab_router, build_sagsbehandling_router, build_brev_router):
        api.include_router(build(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def test_letter_in_danish_for_the_citizen(client: TestClient) -> None:
    sag_id, borger_id, (a1, a2) = paaroerendes_ansoegning(client)
    client.post(f"/sager/{sag_id}/samtykke", headers=VIS, json={"dato": d(1), "indforstaaet": True})
    client.post(
        f"/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={"vurderet_dato": d(1), "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]},
    )
    client.post(
        f"/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={"vurderet_dato": d(1), "kan_forbedre_funktionsevne": False, "begrundelse": "Varig"},
    )
    borger = headers_for("borger", borger_id=borger_id)
    assert client.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=borger).status_code == 404
    r = client.post(
        f"/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={
            "truffet_dato": d(5),
            "udfald": [
                {"anmodning_id": a1, "resultat": "bevilget"},
                {"anmodning_id": a2, "resultat": "afslag", "begrundelse": "Kan selv gøre rent."},
            ],
            "bevillinger": [
                {
                    "anmodning_id": a1,
                    "indsats_kode": "H1.3",
                    "indsats_navn": "Bad",
                    "kategori": "personlig",
                    "hyppighed": {"antal": 2, "periode": "uge"},
                    "minutter_pr_besoeg": 30,
                    "leverandoer_id": "omsorg-plus-aps",
                    "startdato": d(5),
                    "slutdato": d(95),
                }
            ],
            "klagevejledning": "Ring til Visitationen, hvis du vil klage.",
        },
    )
    assert r.status_code == 201, r.text

    html = client.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=borger)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    for tekst in (
        "Jens Hansen",
        "Bad",
        "2 gange om ugen, 30 minutter pr. besøg",
        "Afslag",
        "Kan selv gøre rent.",
        "Serviceloven § 83, stk. 1, nr. 1",
        "inden 4 uger",
        "Ankestyrelsen",
        "Serviceloven § 90, stk. 2",
        "Herlev Kommune, Visitationen",
    ):
        assert tekst in html.text, tekst
    pdf = client.get(f"/sager/{sag_id}/afgoerelser/1/brev.pdf", headers=VIS)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    for tekst in ("Ankestyrelsen", "H1.3", "Afslag", "§ 90, stk. 2"):
        assert tekst.encode("latin-1") in pdf.content, tekst
    # Same decision, same bytes: the letter is dated by the decision, not by the request.
    assert client.get(f"/sager/{sag_id}/afgoerelser/1/brev.pdf", headers=VIS).content == pdf.content

    anden = headers_for("borger", borger_id=str(uuid.uuid4()))
    assert client.get(f"/sager/{sag_id}/afgoerelser/1/brev.pdf", headers=anden).status_code == 404
    lev = headers_for("leverandoer", leverandoer_id="omsorg-plus-aps")
    assert client.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=lev).status_code == 403
    assert client.get(f"/sager/{sag_id}/afgoerelser/2/brev.html", headers=VIS).status_code == 404
    assert client.get(f"/sager/{sag_id}/afgoerelser/0/brev.html", headers=VIS).status_code == 422


HOERSHOLM = """\
kode: hoersholm
navn: Hørsholm Kommune
adresse: {linjer: [Ådalsparkvej 2], postnummer: "2970", by: Hørsholm}
kontakt: {telefon: 48 49 00 00}
lukkedage: {aarlige: ["12-24", "12-31"]}
"""


@pytest.fixture
def hoersholm(store_settings: SettingsFactory, tmp_path: Path) -> Iterator[TestClient]:
    """A kommune made from a file only: no line of code names it."""
    (tmp_path / "hoersholm").mkdir()
    (tmp_path / "hoersholm" / "kommune.yaml").write_text(HOERSHOLM, encoding="utf-8")
    settings = store_settings("visitation").model_copy(
        update={"kommune": "hoersholm", "katalog_dir": tmp_path}
    )
    app = VisitationApplication(env=store_env(settings, "visitation"), settings=settings)
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    for build in (build_router, build_rehab_router, build_sagsbehandling_router, build_brev_router):
        api.include_router(build(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def afgjort(client: TestClient) -> str:
    sag_id, _, (a1, a2) = paaroerendes_ansoegning(client)
    client.post(f"/sager/{sag_id}/samtykke", headers=VIS, json={"dato": d(1), "indforstaaet": True})
    client.post(
        f"/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={"vurderet_dato": d(1), "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]},
    )
    client.post(
        f"/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={"vurderet_dato": d(1), "kan_forbedre_funktionsevne": False, "begrundelse": "Varig"},
    )
    r = client.post(
        f"/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={
            "truffet_dato": d(5),
            "udfald": [
                {"anmodning_id": a1, "resultat": "afslag", "begrundelse": "Klarer selv bad."},
                {"anmodning_id": a2, "resultat": "afslag", "begrundelse": "Kan selv gøre rent."},
            ],
            "klagevejledning": "Ring til Visitationen, hvis du vil klage.",
        },
    )
    assert r.status_code == 201, r.text
    return sag_id


def test_a_kommune_from_a_file_signs_its_letters(hoersholm: TestClient) -> None:
    sag_id = afgjort(hoersholm)
    html = hoersholm.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=VIS).text
    for tekst in ("Hørsholm Kommune, Visitationen", "Ådalsparkvej 2", "2970 Hørsholm"):
        assert tekst in html, tekst
    assert "Herlev" not in html
    pdf = hoersholm.get(f"/sager/{sag_id}/afgoerelser/1/brev.pdf", headers=VIS).content
    assert "Hørsholm Kommune".encode("latin-1") in pdf


def test_notification_moves_the_klagefrist_and_the_letter_shows_it(client: TestClient) -> None:
    sag_id = afgjort(client)  # decided d(5), Saturday 7 November 2026
    html = client.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=VIS).text
    assert "senest 7. december 2026, hvis du modtog den i dag" in html
    meddel = f"/sager/{sag_id}/afgoerelser/1/meddelelse"
    body = {"meddelt_dato": d(9), "kanal": "digital_post"}
    leverandoer = headers_for("leverandoer", leverandoer_id="omsorg-plus-aps")
    assert client.post(meddel, headers=leverandoer, json=body).status_code == 403
    r = client.post(meddel, headers=VIS, json=body)
    assert r.status_code == 201, r.text
    # 11 November + 4 weeks = 9 December
    assert r.json()["klagefrist"] == "2026-12-09" and r.json()["kanal"] == "digital_post"
    assert client.post(meddel, headers=VIS, json=body).status_code == 201  # a retry
    r = client.post(meddel, headers=VIS, json={**body, "kanal": "brev"})
    assert r.status_code == 422 and r.json()["regel"] == "afgoerelse-allerede-meddelt"
    assert (
        client.post(f"/sager/{sag_id}/afgoerelser/2/meddelelse", headers=VIS, json=body).status_code
        == 404
    )
    html = client.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=VIS).text
    assert "Du modtog den 11. november 2026 (Digital Post)" in html
    assert "fristen udløber 9. december 2026" in html
    # A complaint on 8 December: late counted from the decision, in time from the notice.
    r = client.post(
        f"/sager/{sag_id}/klager",
        headers=VIS,
        json={"klagetype": "afgoerelse", "modtaget_dato": d(36), "beskrivelse": "Uenig"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["for_sent"] is False


def test_the_notice_is_published_once(client: TestClient, app: VisitationApplication) -> None:
    sag_id = afgjort(client)
    body = {"meddelt_dato": d(9), "kanal": "personligt"}
    for _ in range(2):
        r = client.post(f"/sager/{sag_id}/afgoerelser/1/meddelelse", headers=VIS, json=body)
        assert r.status_code == 201, r.text
    (e,) = [e for e in published(app) if e.event_type == "AfgoerelseMeddelt"]
    assert str(e.case_id) == sag_id
    assert e.data["afgoerelse_id"] == r.json()["afgoerelse_id"]
    assert (e.data["meddelt_dato"], e.data["kanal"], e.data["klagefrist"]) == (
        "2026-11-11",
        "personligt",
        "2026-12-09",
    )
