"""Erasure through the API on both stores: refused while the journal duty keeps the case,
allowed once every case has ended and the retention has passed; afterwards the case still
replays in full, with placeholders where the citizen's personal data was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.opfoelgning_routes import build_opfoelgning_router
from services.visitation.api.routes import build_router
from services.visitation.api.sletning_routes import build_sletning_router
from services.visitation.application.sletning import slet_personoplysninger
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.borger import Borger
from services.visitation.domain.sletning import REGEL
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from shared.infra.settings import OpbevaringSettings, ServiceSettings
from shared.kernel import Aktoer
from shared.kernel.personoplysning import SLETTET_TEKST
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.scenario import VISITATOR, decided_case
from tests.ur import TODAY

pytestmark = pytest.mark.integration
VIS = headers_for("visitator", "vis-anne")
ADMIN = headers_for("administrator", "admin-ole")
ADMIN_AKTOER = Aktoer("admin-ole", "administrator", "Herlev Kommune")
GRUND = {"grund": "Borgerens anmodning efter GDPR art. 17; opbevaringsperioden er udløbet"}


def _client(app: VisitationApplication) -> TestClient:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    for router in (build_router(app), build_opfoelgning_router(app), build_sletning_router(app)):
        api.include_router(router)
    return TestClient(api, raise_server_exceptions=False)


@pytest.fixture
def settings(store_settings: SettingsFactory) -> ServiceSettings:
    # No retention period, so a case ended yesterday may be erased in the test.
    return store_settings("visitation").model_copy(update={"opbevaring": OpbevaringSettings(aar=0)})


@pytest.fixture
def apps() -> Iterator[list[VisitationApplication]]:
    """Applications a test opens, closed after it (each holds a connection pool)."""
    opened: list[VisitationApplication] = []
    yield opened
    for app in opened:
        app.close()


def _open(apps: list[VisitationApplication], settings: ServiceSettings) -> VisitationApplication:
    apps.append(VisitationApplication(env=store_env(settings, "visitation"), settings=settings))
    return apps[-1]


@pytest.fixture
def client(settings: ServiceSettings, apps: list[VisitationApplication]) -> Iterator[TestClient]:
    with _client(_open(apps, settings)) as c:
        yield c


def test_erasure_refused_while_open_then_erases_and_the_case_replays(
    ur: datetime, settings: ServiceSettings, client: TestClient, apps: list[VisitationApplication]
) -> None:
    app = _open(apps, settings)
    start = TODAY - timedelta(days=30)
    sag_id = decided_case(app, start)
    klage = app.opret_klage(sag_id, "afgoerelse", start, "Hun falder ofte i badet", VISITATOR)
    borger_id = app.hent_sag(sag_id).borger_id
    url = f"/borgere/{borger_id}/sletning"

    assert client.post(url, headers=VIS, json=GRUND).status_code == 403  # administrator only
    assert client.post(url, headers=ADMIN, json={"grund": "x"}).status_code == 422
    refused = client.post(url, headers=ADMIN, json=GRUND)
    assert refused.status_code == 422 and refused.json()["regel"] == REGEL  # case still open

    ophoer = {"ophoersdato": (start + timedelta(days=29)).isoformat(), "aarsag": "doedsfald"}
    assert client.post(f"/sager/{sag_id}/ophoer", headers=VIS, json=ophoer).status_code == 201
    before = client.get(f"/sager/{sag_id}", headers=VIS).json()

    done = client.post(url, headers=ADMIN, json=GRUND)
    assert done.status_code == 200, done.text
    again = client.post(url, headers=ADMIN, json=GRUND)
    assert again.status_code == 422
    assert again.json()["regel"] == "personoplysninger-allerede-slettet"

    # A fresh application replays every event of the case from the store.
    fresh = _open(apps, settings)
    assert fresh.hent_sag(sag_id).version == before["version"]
    assert fresh.klager(fresh.hent_sag(sag_id))[0].klage_id == klage.klage_id
    borger: Borger = fresh.hent_borger(borger_id)
    assert borger.slettet == TODAY and borger.cpr.slettet and borger.navn.slettet

    with _client(fresh) as c:
        after = c.get(f"/sager/{sag_id}", headers=VIS).json()
    assert after["borger"]["cpr"] == after["borger"]["navn"] == SLETTET_TEKST
    assert {a["beskrivelse"] for a in after["anmodninger"]} == {SLETTET_TEKST}
    assert after["klager"][0]["beskrivelse"] == SLETTET_TEKST
    assert before["klager"][0]["beskrivelse"] == "Hun falder ofte i badet"
    # Everything that is not personal data is intact.
    for felt in ("version", "modtaget_dato", "afgoerelser", "ophoerte_bevillinger", "kanal"):
        assert after[felt] == before[felt], felt


def test_erasure_refused_within_the_retention_period(
    ur: datetime, store_settings: SettingsFactory, apps: list[VisitationApplication]
) -> None:
    settings = store_settings("visitation")  # the default 5 years
    app = _open(apps, settings)
    start = TODAY - timedelta(days=30)
    sag_id = decided_case(app, start)
    app.ophoer_bevillinger(sag_id, (), start + timedelta(days=1), "doedsfald", VISITATOR)
    borger_id = app.hent_sag(sag_id).borger_id
    with _client(app) as c:
        r = c.post(f"/borgere/{borger_id}/sletning", headers=ADMIN, json=GRUND)
    assert r.status_code == 422 and r.json()["regel"] == REGEL
    assert "opbevaring" in r.json()["detail"] or "retention" in r.json()["detail"]
    assert app.hent_borger(borger_id).cpr.vis() == "0101401234"


def test_a_citizen_who_returns_after_an_erasure_gets_a_new_record(
    ur: datetime, settings: ServiceSettings, apps: list[VisitationApplication]
) -> None:
    """The CPR index pointed at the erased record; text under that key could never be read
    again, so a new application registers the citizen anew."""
    app = _open(apps, settings)
    cpr = "0202502345"
    gammel = app.hent_sag(decided_case(app, TODAY - timedelta(days=30), cpr=cpr))
    igaar = TODAY - timedelta(days=1)
    app.ophoer_bevillinger(gammel.id, (), igaar, "fraflytning", VISITATOR)
    slet_personoplysninger(app, gammel.borger_id, GRUND["grund"], ADMIN_AKTOER)

    ny_id = decided_case(app, TODAY, cpr=cpr)
    ny = _open(apps, settings).hent_sag(ny_id)  # replayed from the store
    assert ny.borger_id != gammel.borger_id
    assert ny.anmodninger[0].beskrivelse.vis() == "Hjælp til bad"
    assert app.hent_borger(ny.borger_id).cpr.vis() == cpr
    assert app.hent_borger(gammel.borger_id).cpr.slettet
