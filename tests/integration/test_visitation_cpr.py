"""CPR numbers over HTTP on both stores: one person is one borger id whichever spelling the
caller uses, and numbers that are not CPR numbers are refused with 422 before anything is
stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from services.visitation.api.access import ACCESS
from services.visitation.api.routes import build_router
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.borger import BorgerIndeks
from services.visitation.domain.values import Anmodning
from shared.infra.access import secure_api
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import fritekst
from tests.integration.test_visitation_katalog import VIS, app

pytestmark = pytest.mark.integration
__all__ = ["app"]
DAY = date(2026, 11, 2)


@pytest.fixture
def client(app: VisitationApplication) -> Iterator[TestClient]:
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    api.include_router(build_router(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def ansoeg(client: TestClient, cpr: str) -> tuple[int, dict[str, object]]:
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
    return r.status_code, r.json()


def test_both_spellings_are_one_citizen(client: TestClient, app: VisitationApplication) -> None:
    status, med = ansoeg(client, "010140-1234")
    assert status == 201, med
    status, uden = ansoeg(client, "0101401234")
    assert status == 201, uden
    assert med["borger_id"] == uden["borger_id"]
    # The index hashes the ten digits, as it did before the number was normalised in one
    # place: citizens registered earlier are found under the same index id.
    indeks = app.repository.get(BorgerIndeks.id_for("0101401234", app._cpr_indeks_noegle))
    assert str(indeks.borger_id) == med["borger_id"]
    sag = client.get(f"/sager/{med['sag_id']}", headers=VIS).json()
    assert sag["borger"]["cpr"] == "0101401234"


@pytest.mark.parametrize(
    "cpr", ["999999-9999", "000000-0000", "310299-1234", "٠١٠١٤٠-١٢٣٤", "٠١٠١٤٠١٢٣٤"]
)
def test_what_is_not_a_cpr_number_is_refused(
    client: TestClient, app: VisitationApplication, cpr: str
) -> None:
    before = app.recorder.max_notification_id()
    status, body = ansoeg(client, cpr)
    assert status == 422, body
    assert body["type"] == "urn:bum:ugyldig"
    assert app.recorder.max_notification_id() == before  # nothing stored


def test_the_application_refuses_them_too(app: VisitationApplication) -> None:
    """The index is guarded where it is computed, not only by the API's schema."""
    rent = (Anmodning(uuid.uuid4(), fritekst("Rengøring"), "praktisk"),)
    vis = Aktoer("vis-anne", "visitator", "kommunen")
    with pytest.raises(DomainRuleViolation) as refused:
        app.modtag_ansoegning("٠١٠١٤٠-١٢٣٤", "Jens", DAY, "telefon", "borger", rent, vis)
    assert refused.value.rule == "ugyldigt-cpr"
    # The simulator and scenarios pass the hyphenated spelling straight to the application.
    a = app.modtag_ansoegning("020240-1234", "Else", DAY, "telefon", "borger", rent, vis)
    b = app.modtag_ansoegning("0202401234", "Else", DAY, "telefon", "borger", rent, vis)
    assert a.borger_id == b.borger_id
