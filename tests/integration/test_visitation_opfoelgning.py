"""Frit valg, ophør and the provider's reports on both stores: HTTP, policy, publication."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.opfoelgning_routes import build_opfoelgning_router
from services.visitation.api.routes import build_router
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent
from shared.infra.access import secure_api
from tests.identity import headers_for
from tests.integration.test_visitation_katalog import VIS, app, published
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
__all__ = ["app"]
DAY = date(2026, 11, 2)


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_router(app))
    api.include_router(build_opfoelgning_router(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def test_citizen_switches_provider_then_grants_end(
    app: VisitationApplication, client: TestClient
) -> None:
    sag_id = decided_case(app, DAY)  # bath with omsorg-plus-aps
    borger_id = str(app.hent_sag(sag_id).borger_id)
    valg = client.get("/godkendte-leverandoerer?kategori=personlig&dato=2027-01-01", headers=VIS)
    assert {lev["leverandoer_id"] for lev in valg.json()} == {
        "hjemmeplejen-nord",
        "omsorg-plus-aps",
    }

    skift = {
        "kategori": "personlig",
        "til_leverandoer_id": "rent-hjem-as",
        "anmodet_dato": "2026-11-10",
    }
    r = client.post(f"/sager/{sag_id}/leverandoerskift", headers=VIS, json=skift)
    assert r.status_code == 422 and r.json()["regel"] == "leverandoer-ikke-godkendt"
    anden = headers_for("borger", borger_id=str(uuid.uuid4()))
    skift["til_leverandoer_id"] = "hjemmeplejen-nord"
    r = client.post(f"/sager/{sag_id}/leverandoerskift", headers=anden, json=skift)
    assert r.status_code == 404  # someone else's case
    borger = headers_for("borger", borger_id=borger_id)
    r = client.post(f"/sager/{sag_id}/leverandoerskift", headers=borger, json=skift)
    assert r.status_code == 201, r.text
    assert r.json()["gyldig_fra"] == "2027-01-01"

    r = client.post(
        f"/sager/{sag_id}/ophoer",
        headers=borger,
        json={"ophoersdato": "2027-02-01", "aarsag": "plejebolig"},
    )
    assert r.status_code == 403
    r = client.post(
        f"/sager/{sag_id}/ophoer",
        headers=VIS,
        json={"ophoersdato": "2027-02-01", "aarsag": "plejebolig"},
    )
    assert r.status_code == 201, r.text
    sag = client.get(f"/sager/{sag_id}", headers=VIS).json()
    assert sag["aktive_bevillinger"] == [] and len(sag["ophoerte_bevillinger"]) == 1

    events = {e.event_type: e for e in published(app)}
    skiftet = events["LeverandoerSkiftet"].data
    assert (skiftet["fra_leverandoer_id"], skiftet["til_leverandoer_id"]) == (
        "omsorg-plus-aps",
        "hjemmeplejen-nord",
    )
    assert skiftet["bevillinger"][0]["startdato"] == "2027-01-01"
    ophoert = events["BevillingOphoert"].data
    assert (
        ophoert["aarsag"] == "plejebolig" and ophoert["bevilling_ids"] == r.json()["bevilling_ids"]
    )


def provider_event(sag_id: uuid.UUID, event_type: str, n: int, data: dict[str, Any]) -> PublicEvent:
    t = datetime(2026, 11, 20, 9, tzinfo=UTC)
    return PublicEvent(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=1,
        source="provider",
        case_id=sag_id,
        sequence=n,
        case_sequence=n,
        occurred_at=t,
        recorded_at=t,
        actor={"id": "sosu-maria", "rolle": "leverandoer", "organisation": "omsorg-plus-aps"},
        data=data,
    )


def test_provider_reports_open_a_task_and_record_failures(
    app: VisitationApplication, client: TestClient
) -> None:
    sag_id = decided_case(app, DAY)
    policy = VisitationPolicy(app)
    indberetning = provider_event(
        sag_id,
        "AendringIFunktionsevneIndberettet",
        1,
        {
            "indberetning_id": str(uuid.uuid4()),
            "leverandoer_id": "omsorg-plus-aps",
            "observeret_dato": "2026-11-19",
            "beskrivelse": "Kan ikke længere rejse sig selv",
            "omraader": ["B1-11"],
        },
    )
    besoeg_id = uuid.uuid4()
    svigt = provider_event(
        sag_id,
        "LeveringSvigtet",
        2,
        {
            "besoeg_id": str(besoeg_id),
            "bestilling_id": str(uuid.uuid4()),
            "leverandoer_id": "omsorg-plus-aps",
            "oprindelig_dato": "2026-11-10",
            "erstatning_frist": "2026-11-18",
            "aarsag": "personalemangel",
        },
    )
    # The same report twice (at a later position) changes nothing the second time.
    for n, e in enumerate((indberetning, indberetning, svigt, svigt), start=1):
        app.save_with_tracking(policy(e), Tracking(f"provider/{e.case_id}", n))
    sag = app.hent_sag(sag_id)
    assert len(sag.revurderingsopgaver) == 1
    # Noted beside the case (noter.py), read with it.
    assert app.leveringssvigt(sag) == {besoeg_id: ("omsorg-plus-aps", date(2026, 11, 10))}
    (frist,) = sag.revurderingsopgaver.values()
    assert frist == (date(2026, 12, 3), None)  # 10 working days after the observation
