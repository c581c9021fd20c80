"""The application case and Ankestyrelsen over HTTP on both stores, and what is published."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.frist_routes import build_frist_router
from services.visitation.api.rehab_routes import build_rehab_router
from services.visitation.api.routes import build_router
from services.visitation.api.sagsbehandling_routes import build_sagsbehandling_router
from services.visitation.application.frister import Frister
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import parse_payload
from shared.infra.access import secure_api
from tests.identity import headers_for
from tests.integration.test_visitation_katalog import VIS, app, published

pytestmark = pytest.mark.integration
__all__ = ["app"]
DAY = date(2026, 11, 2)


def d(n: int) -> str:
    return (DAY + timedelta(days=n)).isoformat()


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_router(app))
    api.include_router(build_rehab_router(app))
    api.include_router(build_sagsbehandling_router(app))
    api.include_router(build_frist_router(app, Frister(app)))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def paaroerendes_ansoegning(client: TestClient) -> tuple[str, str, list[str]]:
    r = client.post(
        "/sager",
        headers=VIS,
        json={
            "borger": {"cpr": "010140-1234", "navn": "Jens Hansen"},
            "modtaget_dato": DAY.isoformat(),
            "kanal": "telefon",
            "henvendelse_fra": "paaroerende",
            "anmodninger": [
                {"beskrivelse": "Hjælp til bad", "kategori": "personlig"},
                {"beskrivelse": "Rengøring", "kategori": "praktisk"},
            ],
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    return body["sag_id"], body["borger_id"], [a["anmodning_id"] for a in body["anmodninger"]]


def test_relative_application_to_ankestyrelsen(
    app: VisitationApplication, client: TestClient
) -> None:
    sag_id, borger_id, (a1, a2) = paaroerendes_ansoegning(client)
    vurdering = {"vurderet_dato": d(1), "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]}
    r = client.post(f"/sager/{sag_id}/funktionsvurderinger", headers=VIS, json=vurdering)
    assert r.status_code == 422 and r.json()["regel"] == "afventer-borgerens-samtykke"
    anden = headers_for("borger", borger_id=str(uuid.uuid4()))
    ja = {"dato": d(1), "indforstaaet": True}
    assert client.post(f"/sager/{sag_id}/samtykke", headers=anden, json=ja).status_code == 404
    borger = headers_for("borger", borger_id=borger_id)
    r = client.post(f"/sager/{sag_id}/samtykke", headers=borger, json=ja)
    assert r.status_code == 201, r.text
    assert client.post(f"/sager/{sag_id}/samtykke", headers=borger, json=ja).status_code == 422
    r = client.post(f"/sager/{sag_id}/funktionsvurderinger", headers=VIS, json=vurdering)
    assert r.status_code == 201, r.text
    r = client.post(
        f"/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={"vurderet_dato": d(1), "kan_forbedre_funktionsevne": False, "begrundelse": "Varig"},
    )
    assert r.status_code == 201, r.text

    hoering = {"sendt_dato": d(2), "svarfrist": d(9), "oplysninger": "Hjemmesygeplejens notat"}
    assert (
        client.post(f"/sager/{sag_id}/partshoeringer", headers=borger, json=hoering).status_code
        == 403
    )
    r = client.post(f"/sager/{sag_id}/partshoeringer", headers=VIS, json=hoering)
    assert r.status_code == 201, r.text
    pid = r.json()["partshoering_id"]
    afgoerelse = {
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
            }
        ],
        "klagevejledning": "Du kan klage inden 4 uger.",
        "partshoering_paakraevet": True,
    }
    r = client.post(f"/sager/{sag_id}/afgoerelse", headers=VIS, json=afgoerelse)
    assert r.status_code == 422 and r.json()["regel"] == "partshoering-aaben"
    r = client.post(
        f"/sager/{sag_id}/partshoeringer/{pid}/svar",
        headers=borger,
        json={"dato": d(4), "svar": "Jeg kan ikke støvsuge."},
    )
    assert r.status_code == 201, r.text
    # Guidance of one space is no guidance (regression: it was accepted).
    r = client.post(
        f"/sager/{sag_id}/afgoerelse", headers=VIS, json=afgoerelse | {"klagevejledning": " "}
    )
    assert r.status_code == 422 and r.json()["regel"] == "afslag-kraever-klagevejledning"
    r = client.post(f"/sager/{sag_id}/afgoerelse", headers=VIS, json=afgoerelse)
    assert r.status_code == 201, r.text

    r = client.post(
        f"/sager/{sag_id}/klager",
        headers=borger,
        json={"klagetype": "afgoerelse", "modtaget_dato": d(10), "beskrivelse": "Uenig"},
    )
    klage_id = r.json()["klage_id"]
    anke = {"dato": d(60), "udfald": "stadfaestet", "begrundelse": "Afgørelsen er rigtig."}
    url = f"/sager/{sag_id}/klager/{klage_id}/ankestyrelsen"
    r = client.post(url, headers=VIS, json=anke)
    assert r.status_code == 422 and r.json()["regel"] == "anke-kraever-fastholdt-klage"
    r = client.post(
        f"/sager/{sag_id}/klager/{klage_id}/genvurdering",
        headers=VIS,
        json={"dato": d(20), "udfald": "fastholdt", "begrundelse": "Uændret"},
    )
    assert r.status_code == 201, r.text
    assert client.post(url, headers=VIS, json={**anke, "udfald": "x"}).status_code == 422
    r = client.post(url, headers=VIS, json=anke)
    assert r.status_code == 201, r.text

    sag = client.get(f"/sager/{sag_id}", headers=VIS).json()["sagsbehandling"]
    assert sag["samtykke"]["indforstaaet"] and sag["partshoeringer"][0]["svar"]
    assert sag["ankestyrelsen"][0]["udfald"] == "stadfaestet"
    events = [e for e in published(app) if str(e.case_id) == sag_id]
    typer = [e.event_type for e in events]
    for t in ("SamtykkeRegistreret", "PartshoeringSendt", "PartshoeringBesvaret"):
        assert t in typer
    assert typer[-1] == "AnkestyrelsensAfgoerelse"
    assert parse_payload(events[-1]).udfald == "stadfaestet"  # type: ignore[attr-defined]


def test_withdrawal_and_non_cooperation(app: VisitationApplication, client: TestClient) -> None:
    sag_id, borger_id, _ = paaroerendes_ansoegning(client)
    borger = headers_for("borger", borger_id=borger_id)
    r = client.post(
        f"/sager/{sag_id}/tilbagetraekning",
        headers=borger,
        json={"dato": d(1), "begrundelse": "Min datter hjælper mig."},
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"/sager/{sag_id}/samtykke", headers=borger, json={"dato": d(1), "indforstaaet": True}
    )
    assert r.status_code == 422 and r.json()["regel"] == "sag-lukket"
    assert client.get(f"/sager/{sag_id}", headers=VIS).json()["sagsbehandling"]["lukket"]

    sag2, _, (b1, b2) = paaroerendes_ansoegning(client)
    client.post(f"/sager/{sag2}/samtykke", headers=VIS, json={"dato": d(1), "indforstaaet": True})
    medvirken = {
        "dato": d(15),
        "beskrivelse": "Tre aftalte besøg aflyst",
        "konsekvenser_oplyst_dato": d(8),
    }
    r = client.post(f"/sager/{sag2}/manglende-medvirken", headers=VIS, json=medvirken)
    assert r.status_code == 201, r.text
    r = client.post(
        f"/sager/{sag2}/afgoerelse",
        headers=VIS,
        json={
            "truffet_dato": d(16),
            "udfald": [
                {"anmodning_id": b1, "resultat": "afslag"},
                {"anmodning_id": b2, "resultat": "afslag"},
            ],
            "begrundelse": "Afgjort på det foreliggende grundlag.",
            "klagevejledning": "Du kan klage inden 4 uger.",
        },
    )
    assert r.status_code == 201, r.text
    typer = {e.event_type for e in published(app)}
    assert {"AnsoegningTilbagetrukket", "ManglendeMedvirkenNoteret"} <= typer
