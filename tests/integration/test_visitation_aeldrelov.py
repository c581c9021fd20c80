"""Ældreloven over HTTP: a Sorø citizen of pension age is granted one helhedspleje forløb;
the published decision carries it beside the old fields, and the letter shows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.brev_routes import build_brev_router
from services.visitation.api.rehab_routes import build_rehab_router
from services.visitation.api.routes import build_router
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import parse_payload
from shared.contracts.visitation import AfgoerelseTruffetV1
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.integration.test_visitation_katalog import VIS, published
from tests.scenario import VISITATOR

pytestmark = pytest.mark.integration
DAY = date(2026, 3, 2)


@pytest.fixture
def app(store_settings: SettingsFactory) -> VisitationApplication:
    settings = store_settings("visitation").model_copy(update={"kommune": "soroe"})
    app = VisitationApplication(env=store_env(settings, "visitation"), settings=settings)
    app.godkend_kvalitetsstandard("soroe", "2025", date(2025, 6, 1), VISITATOR)
    return app


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    for build in (build_router, build_rehab_router, build_brev_router):
        api.include_router(build(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def test_helhedspleje_for_a_pensioner(app: VisitationApplication, client: TestClient) -> None:
    r = client.post(
        "/sager",
        headers=VIS,
        json={
            "borger": {"cpr": "010140-1234", "navn": "Jens Hansen"},
            "modtaget_dato": DAY.isoformat(),
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [
                {"beskrivelse": "Hjælp til bad", "kategori": "personlig"},
                {"beskrivelse": "Rengøring", "kategori": "praktisk"},
            ],
        },
    )
    sag_id = r.json()["sag_id"]
    a1, a2 = (a["anmodning_id"] for a in r.json()["anmodninger"])
    client.post(
        f"/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={
            "vurderet_dato": DAY.isoformat(),
            "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}],
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
    udfald = [{"anmodning_id": a, "resultat": "bevilget"} for a in (a1, a2)]
    bad = {
        "anmodning_id": a1,
        "indsats_kode": "P-HYG",
        "indsats_navn": "Personlig hygiejne",
        "kategori": "personlig",
        "hyppighed": {"antal": 2, "periode": "uge"},
        "minutter_pr_besoeg": 30,
        "leverandoer_id": "hjemmeplejen-nord",
        "startdato": DAY.isoformat(),
    }
    r = client.post(
        f"/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={"truffet_dato": DAY.isoformat(), "udfald": udfald, "bevillinger": [bad]},
    )
    assert r.status_code == 422 and r.json()["regel"] == "aeldrelov-ikke-enkeltydelser", r.text
    helhed = {
        "anmodning_ids": [a1, a2],
        "ramme": "timer_pr_uge",
        "timer_pr_uge": 4.5,
        "retningsgivende_maal": "fastholde",
        "individuelle_maal": ["Kan selv klare morgentoilettet med støtte"],
        "leverandoer_id": "hjemmeplejen-nord",
        "startdato": DAY.isoformat(),
    }
    r = client.post(
        f"/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={"truffet_dato": DAY.isoformat(), "udfald": udfald, "helhedspleje": helhed},
    )
    assert r.status_code == 201, r.text
    assert r.json()["katalog_version"] == "soroe-2025" and r.json()["helhedspleje_forloeb_id"]

    event = next(e for e in published(app) if e.event_type == "AfgoerelseTruffet")
    payload = parse_payload(event)
    assert isinstance(payload, AfgoerelseTruffetV1)
    assert payload.bevillinger == [] and payload.helhedspleje is not None
    assert payload.helhedspleje.timer_pr_uge == 4.5
    assert event.legal_basis.startswith("Ældreloven § 10")
    # Backwards compatible: a consumer built on the old fields reads it unchanged.
    gammel = {k: v for k, v in event.data.items() if k not in ("helhedspleje", "katalog_version")}
    assert AfgoerelseTruffetV1.model_validate(gammel).udfald == payload.udfald

    html = client.get(f"/sager/{sag_id}/afgoerelser/1/brev.html", headers=VIS).text
    assert "Helhedspleje" in html and "4,5 timer om ugen" in html and "Sorø Kommune" in html
