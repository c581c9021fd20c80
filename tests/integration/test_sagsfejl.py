"""Issue 14: one case must not break a service for good. On main a case received
9999-12-31 made every work list and deadline check answer 500 (OverflowError in the
calendar), and the event store cannot forget it. Now the API refuses that date, the
rules are total for the case already stored, and a case a rule still cannot handle is an
error row: the others are listed and checked, the error is logged and counted on /health.
Both stores."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.frist_routes import build_frist_router
from services.visitation.api.routes import build_router
from services.visitation.api.valg_routes import build_valg_router
from services.visitation.application import frister as frister_modul
from services.visitation.application.bevillingskontrol import Bevillingskontrol
from services.visitation.application.frister import Frister
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.values import Anmodning
from shared.infra.access import secure_api
from shared.infra.api import PROBLEM, add_health
from shared.kernel.personoplysning import fritekst
from tests.integration.test_visitation_katalog import DAY, VIS, app, ny_sag
from tests.scenario import VISITATOR

pytestmark = pytest.mark.integration
__all__ = ["app"]


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_router(app))
    api.include_router(build_frist_router(app, Frister(app)))
    api.include_router(build_valg_router(app, Bevillingskontrol(Frister(app))))
    add_health(api, "visitation", dict)
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def sag_i_aar_9999(app: VisitationApplication) -> str:
    """Stored through the application, as the API accepted it before issue 14."""
    anmodning = Anmodning(uuid.uuid4(), fritekst("Rengøring"), "praktisk")
    sag = app.modtag_ansoegning(
        "0101401234",
        "Jens Hansen",
        date(9999, 12, 31),
        "telefon",
        "borger",
        (anmodning,),
        VISITATOR,
    )
    return str(sag.id)


def test_a_case_received_in_year_9999_is_refused_by_the_api(client: TestClient) -> None:
    r = client.post(
        "/sager",
        headers=VIS,
        json={
            "borger": {"cpr": "010140-1234", "navn": "Jens Hansen"},
            "modtaget_dato": "9999-12-31",
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": "Rengøring", "kategori": "praktisk"}],
        },
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["errors"][0]["loc"] == ["body", "modtaget_dato"]


def test_a_stored_case_in_year_9999_leaves_the_work_list_and_checks_working(
    app: VisitationApplication, client: TestClient
) -> None:
    sag_id, _ = ny_sag(client)
    gammel = sag_i_aar_9999(app)
    liste = client.get(f"/arbejdsliste?dato={DAY}", headers=VIS)
    assert liste.status_code == 200, liste.text
    assert [o["sag_id"] for o in liste.json()] == [sag_id]  # its deadlines are "never"
    for path in ("/frister/kontrol", "/bevillinger/kontrol"):
        r = client.post(path, headers=VIS, json={"dato": "2199-12-31"})
        assert r.status_code == 200, (path, r.text)
    frister = client.get(f"/sager/{gammel}/frister?dato={DAY}", headers=VIS)
    assert frister.status_code == 200, frister.text


@pytest.fixture
def en_regel_fejler(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make the deadline rule raise for one case, as a rule bug or an unforeseen stored
    value would."""

    def for_sag(daarlig: str) -> None:
        original = frister_modul.sagens_frister

        def sagens_frister(sag: Any, *regler: Any) -> Any:
            if str(sag.id) == daarlig:
                raise OverflowError("date value out of range")
            return original(sag, *regler)

        monkeypatch.setattr(frister_modul, "sagens_frister", sagens_frister)

    return for_sag


def test_a_case_a_rule_cannot_handle_is_an_error_row_logged_and_counted(
    client: TestClient, en_regel_fejler: Callable[[str], None]
) -> None:
    god, _ = ny_sag(client, cpr="010140-1234")
    daarlig, _ = ny_sag(client, cpr="020240-1234")
    anden, _ = ny_sag(client, cpr="030340-1234")
    en_regel_fejler(daarlig)
    foer = client.get("/health").json()["sagsfejl"]["antal"]

    with structlog.testing.capture_logs() as logs:
        liste = client.get(f"/arbejdsliste?dato={DAY}", headers=VIS)
        kontrol = client.post("/frister/kontrol", headers=VIS, json={"dato": "2026-11-17"})

    assert liste.status_code == 200, liste.text
    fejlraekke, *resten = liste.json()
    assert fejlraekke["sag_id"] == daarlig and fejlraekke["fejltype"] == "OverflowError"
    assert "fejl" in fejlraekke and "frist" not in fejlraekke
    assert sorted(o["sag_id"] for o in resten) == sorted([god, anden])

    assert kontrol.status_code == 200, kontrol.text
    rows = kontrol.json()
    assert [o["sag_id"] for o in rows if "fejl" in o] == [daarlig]
    # The others' missed receipts were still recorded.
    assert sorted(o["sag_id"] for o in rows if "fejl" not in o) == sorted([god, anden])

    isolerede = [e for e in logs if e["event"] == "sag_isoleret"]
    assert [(e["sag_id"], e["hvor"]) for e in isolerede] == [
        (daarlig, "arbejdsliste"),
        (daarlig, "fristkontrol"),
    ]
    assert all(e["log_level"] == "error" and e["exc_info"] for e in isolerede)
    sagsfejl = client.get("/health").json()["sagsfejl"]
    assert sagsfejl["antal"] == foer + 2
    assert sagsfejl["seneste"][-1] == {
        "sag_id": daarlig,
        "hvor": "fristkontrol",
        "fejltype": "OverflowError",
    }
