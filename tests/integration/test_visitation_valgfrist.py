"""The grant clocks over HTTP on both stores: choice, municipal default, expiry; published."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.rehab_routes import build_rehab_router
from services.visitation.api.routes import build_router
from services.visitation.api.valg_routes import build_valg_router
from services.visitation.application.bevillingskontrol import Bevillingskontrol
from services.visitation.application.frister import Frister
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import parse_payload
from shared.contracts.visitation import BevillingOphoertV1, LeverandoerValgtV1
from shared.infra.access import secure_api
from tests.identity import headers_for
from tests.integration.test_visitation_katalog import VIS, app, published

pytestmark = pytest.mark.integration
__all__ = ["app"]
DAY = date(2026, 11, 2)


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_router(app))
    api.include_router(build_rehab_router(app))
    api.include_router(build_valg_router(app, Bevillingskontrol(Frister(app))))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def afgjort(client: TestClient, cpr: str) -> str:
    r = client.post(
        "/sager",
        headers=VIS,
        json={
            "borger": {"cpr": cpr, "navn": "Jens Hansen"},
            "modtaget_dato": DAY.isoformat(),
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": "Rengøring", "kategori": "praktisk"}],
        },
    )
    sag_id, a1 = r.json()["sag_id"], r.json()["anmodninger"][0]["anmodning_id"]
    client.post(
        f"/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={
            "vurderet_dato": DAY.isoformat(),
            "funktionsniveauer": [{"omraade": "B1-11", "niveau": 3}],
        },
    )
    client.post(
        f"/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={
            "vurderet_dato": DAY.isoformat(),
            "kan_forbedre_funktionsevne": False,
            "begrundelse": "Varig",
        },
    )
    r = client.post(
        f"/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={
            "truffet_dato": DAY.isoformat(),
            "udfald": [{"anmodning_id": a1, "resultat": "bevilget"}],
            "bevillinger": [
                {
                    "anmodning_id": a1,
                    "indsats_kode": "2.1.1.2",
                    "indsats_navn": "Rengøring",
                    "kategori": "praktisk",
                    "hyppighed": {"antal": 1, "periode": "anden_uge"},
                    "minutter_pr_besoeg": 30,
                    "leverandoer_id": "afventer-valg",
                    "startdato": DAY.isoformat(),
                    "slutdato": "2026-12-31",
                }
            ],
        },
    )
    assert r.status_code == 201, r.text
    return str(sag_id)


def test_choice_default_and_expiry(app: VisitationApplication, client: TestClient) -> None:
    valgt = afgjort(client, "010140-1234")
    standard = afgjort(client, "020240-1234")
    borger_id = str(app.hent_sag(uuid.UUID(valgt)).borger_id)
    borger = headers_for("borger", borger_id=borger_id)
    valg = {"kategori": "praktisk", "leverandoer_id": "rent-hjem-as", "dato": "2026-11-03"}
    r = client.post(f"/sager/{standard}/leverandoervalg", headers=borger, json=valg)
    assert r.status_code == 404  # not their case
    r = client.post(f"/sager/{valgt}/leverandoervalg", headers=borger, json=valg)
    assert r.status_code == 201, r.text

    r = client.post("/bevillinger/kontrol", headers=VIS, json={"dato": "2026-11-05"})
    assert r.status_code == 200, r.text
    assert [(u["sag_id"], u["haendelse"]) for u in r.json()] == [(standard, "LeverandoerValgt")]
    r = client.post("/bevillinger/kontrol", headers=VIS, json={"dato": "2027-01-01"})
    assert {u["sag_id"] for u in r.json()} == {valgt, standard}
    assert {u["haendelse"] for u in r.json()} == {"BevillingOphoert"}
    assert (
        client.post("/bevillinger/kontrol", headers=VIS, json={"dato": "2027-01-02"}).json() == []
    )

    events = published(app)
    valg_ud = [parse_payload(e) for e in events if e.event_type == "LeverandoerValgt"]
    assert {(v.aarsag, v.leverandoer_id) for v in valg_ud if isinstance(v, LeverandoerValgtV1)} == {
        ("borgerens_valg", "rent-hjem-as"),
        ("valgfrist_overskredet", "hjemmeplejen-nord"),
    }
    ophoer = [parse_payload(e) for e in events if e.event_type == "BevillingOphoert"]
    assert {o.aarsag for o in ophoer if isinstance(o, BevillingOphoertV1)} == {"udloeb"}
