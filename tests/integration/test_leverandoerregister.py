"""The provider register end to end in process, on SQLite and PostgreSQL: visitation
approves, restricts and withdraws; case commands follow at once; the data file is imported
once; the provider service learns of a new provider from the published event."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.provider import wiring as provider_wiring
from services.provider.adapters.public_events import to_public as provider_public
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.visitation.adapters.public_events import to_public as visitation_public
from services.visitation.api.access import ACCESS
from services.visitation.api.leverandoer_routes import build_leverandoer_router
from services.visitation.api.opfoelgning_routes import build_opfoelgning_router
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent
from shared.contracts.topics import provider_topic
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from shared.infra.idempotens import noegler_i
from shared.infra.relay import Route
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_applications import published
from tests.leverandoerer import registerhaendelser
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
ADMIN = Aktoer("admin-1", "administrator", "Herlev Kommune")
DAG = date(2027, 2, 1)  # the day the `ur` fixture sets the clock to (tests/ur.py)


def register_haendelser(app: VisitationApplication) -> list[PublicEvent]:
    return [
        e
        for e in published(app, "visitation", visitation_public)
        if e.event_type == "LeverandoerregisterAendret"
    ]


def test_demo_providers_imported_once_and_kept_across_restarts(
    store_settings: SettingsFactory,
) -> None:
    settings = store_settings("visitation")
    app = VisitationApplication(env=store_env(settings, "visitation"))
    assert list(app.leverandoerregister) == [
        "hjemmeplejen-nord",
        "omsorg-plus-aps",
        "rent-hjem-as",
        "diakonien-selvejende",
    ]
    foer = register_haendelser(app)
    # 4 providers created and 9 windows approved, each as the provider's snapshot.
    assert len(foer) == 13
    assert {e.data["leverandoer_id"] for e in foer if e.data["aendring"] == "oprettet"} == set(
        app.leverandoerregister
    )
    igen = VisitationApplication(env=store_env(settings, "visitation"))
    assert register_haendelser(igen) == foer  # nothing imported twice
    assert igen.leverandoerregister == app.leverandoerregister


def test_approve_restrict_withdraw_and_case_commands_follow(
    store_settings: SettingsFactory, ur: datetime
) -> None:
    settings = store_settings("visitation")
    app = VisitationApplication(env=store_env(settings, "visitation"))
    ny = app.opret_leverandoer(
        "pleje-syd-aps",
        "Pleje Syd ApS",
        "privat",
        "23456789",
        [("personlig", date(2027, 1, 1), None)],
        ADMIN,
    )
    assert ny.godkendt("personlig", DAG)
    with pytest.raises(DomainRuleViolation) as exc:
        app.opret_leverandoer("pleje-syd-aps", "Igen", "privat", "23456789", [], ADMIN)
    assert exc.value.rule == "leverandoer-findes"
    with pytest.raises(NotFound):
        app.godkend_leverandoer("findes-ikke", "praktisk", DAG, None, ADMIN)

    # A case may be decided with the new provider straight away.
    decided_case(app, DAG, leverandoer="pleje-syd-aps")

    app.godkend_leverandoer("pleje-syd-aps", "praktisk", DAG, None, ADMIN)
    app.begraens_godkendelse("pleje-syd-aps", "praktisk", date(2027, 12, 31), ADMIN)
    app.tilbagekald_godkendelse("pleje-syd-aps", "personlig", DAG, "Alvorlige mangler", ADMIN)
    lev = app.hent_leverandoer("pleje-syd-aps")
    assert not lev.godkendt("personlig", DAG)
    assert lev.godkendt("praktisk", date(2027, 12, 31))
    assert not lev.godkendt("praktisk", date(2028, 1, 1))

    # A withdrawn provider is refused by the case commands.
    with pytest.raises(DomainRuleViolation) as exc:
        decided_case(app, DAG, cpr="0202402345", leverandoer="pleje-syd-aps")
    assert exc.value.rule == "leverandoer-ikke-godkendt"

    # The store is the register: a restarted application has the same one.
    igen = VisitationApplication(env=store_env(settings, "visitation"))
    assert igen.hent_leverandoer("pleje-syd-aps") == lev
    sidste = register_haendelser(app)[-1]
    assert sidste.data["aendring"] == "tilbagekaldt"
    assert sidste.data["begrundelse"] == "Alvorlige mangler"


def praktisk_afgoerelse(leverandoer: str, sag_id: uuid.UUID, nr: int) -> PublicEvent:
    return PublicEvent(
        event_id=uuid.uuid4(),
        event_type="AfgoerelseTruffet",
        schema_version=1,
        source="visitation",
        case_id=sag_id,
        sequence=1000 + nr,
        case_sequence=1,
        occurred_at=datetime(2027, 1, 29, 9),
        recorded_at=datetime(2027, 1, 29, 9),
        actor={"id": "vis-anne", "rolle": "visitator", "organisation": "kommunen"},
        data={
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(uuid.uuid4()),
            "truffet_dato": "2027-01-29",
            "udfald": [],
            "bevillinger": [
                {
                    "bevilling_id": str(uuid.uuid4()),
                    "anmodning_id": str(uuid.uuid4()),
                    "indsats_kode": "H2.1",
                    "indsats_navn": "Rengøring",
                    "kategori": "praktisk",
                    "hyppighed": {"antal": 1, "periode": "uge"},
                    "minutter_pr_besoeg": 60,
                    "leverandoer_id": leverandoer,
                    "startdato": "2027-02-01",
                }
            ],
        },
    )


def test_provider_learns_a_new_provider_from_the_register_event(
    store_settings: SettingsFactory, ur: datetime
) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    provider_settings = store_settings("provider")
    provider = ProviderApplication(env=store_env(provider_settings, "provider"))
    policy = ProviderPolicy(provider)
    nye: list[str] = []
    provider.ved_ny_leverandoer(nye.append)  # the wiring gives each its own topic here

    def anvend(events: list[PublicEvent]) -> None:
        for e in events:
            provider.save(*policy(e))

    anvend(register_haendelser(visitation))
    assert list(provider.leverandoerregister) == list(visitation.leverandoerregister)
    assert nye == list(visitation.leverandoerregister)

    visitation.opret_leverandoer("pleje-syd-aps", "Pleje Syd ApS", "privat", "23456789", [], ADMIN)
    visitation.godkend_leverandoer("pleje-syd-aps", "praktisk", date(2027, 3, 1), None, ADMIN)
    anvend(register_haendelser(visitation)[-2:])
    assert nye[-1] == "pleje-syd-aps"
    assert provider.leverandoerregister == visitation.leverandoerregister
    anvend(register_haendelser(visitation))  # redelivered: nothing changes
    assert len(nye) == 5

    # An order before the window starts is refused by the copy's check; inside it, taken.
    foer, inde = praktisk_afgoerelse("pleje-syd-aps", uuid.uuid4(), 1), None
    anvend([foer])
    assert [
        e.data["aarsag"]
        for e in published(provider, "provider", provider_public)
        if e.event_type == "BestillingAfvist"
    ] == ["ikke_godkendt_paa_startdato"]
    inde = praktisk_afgoerelse("pleje-syd-aps", uuid.uuid4(), 2)
    inde.data["bevillinger"][0]["startdato"] = "2027-03-01"
    anvend([inde])
    bevilling_id = uuid.UUID(inde.data["bevillinger"][0]["bevilling_id"])
    bestilling = provider.find_bestilling(bevilling_id)
    assert bestilling is not None and bestilling.leverandoer_id == "pleje-syd-aps"

    # The copy is rebuilt from the provider's store when it starts again.
    igen = ProviderApplication(env=store_env(provider_settings, "provider"))
    assert igen.leverandoerregister == provider.leverandoerregister


def test_an_order_before_its_providers_register_event_is_planned_not_dropped(
    store_settings: SettingsFactory, ur: datetime
) -> None:
    """Register events are keyed by provider, orders by case: an order may come first. It
    names a provider visitation approved (it checks when deciding), so it is planned."""
    provider = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    e = praktisk_afgoerelse("endnu-ukendt-aps", uuid.uuid4(), 3)
    provider.save(*ProviderPolicy(provider)(e))
    bevilling_id = uuid.UUID(e.data["bevillinger"][0]["bevilling_id"])
    assert provider.find_bestilling(bevilling_id) is not None
    assert "endnu-ukendt-aps" not in provider.leverandoerregister


@pytest.fixture
def klient(store_settings: SettingsFactory, ur: datetime) -> Iterator[TestClient]:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    api = secure_api("visitation", "test", "", access_table=ACCESS)
    noegler_i(api, app)
    api.include_router(build_leverandoer_router(app))
    api.include_router(build_opfoelgning_router(app))
    with TestClient(api, raise_server_exceptions=False) as c:
        yield c


def test_the_register_over_http(klient: TestClient) -> None:
    admin, vis = headers_for("administrator", "admin-1"), headers_for("visitator", "vis-anne")
    alle = klient.get("/leverandoerer", headers=vis)
    assert alle.status_code == 200
    assert [lev["leverandoer_id"] for lev in alle.json()][:1] == ["hjemmeplejen-nord"]

    ny = {
        "leverandoer_id": "pleje-syd-aps",
        "navn": "Pleje Syd ApS",
        "type": "privat",
        "cvr": "23456789",
        "godkendelser": [{"kategori": "praktisk", "fra": "2027-01-01"}],
    }
    assert klient.post("/leverandoerer", headers=vis, json=ny).status_code == 403
    noegle = {**admin, "Idempotency-Key": "opret-pleje-syd"}
    r = klient.post("/leverandoerer", headers=noegle, json=ny)
    assert r.status_code == 201, r.text
    assert klient.post("/leverandoerer", headers=noegle, json=ny).json() == r.json()  # retry
    igen = klient.post("/leverandoerer", headers=admin, json=ny)
    assert igen.status_code == 422 and "leverandoer-findes" in igen.json()["type"]
    # Bad input: a problem response, never a 500.
    uden_cvr = klient.post(
        "/leverandoerer", headers=admin, json={**ny, "leverandoer_id": "x-aps", "cvr": None}
    )
    assert uden_cvr.status_code == 422
    ukendt_felt = klient.post("/leverandoerer", headers=admin, json={**ny, "farve": "blaa"})
    assert ukendt_felt.status_code == 422

    valg = klient.get(
        "/godkendte-leverandoerer",
        params={"kategori": "praktisk", "dato": "2027-02-01"},
        headers=vis,
    )
    assert "pleje-syd-aps" in [lev["leverandoer_id"] for lev in valg.json()]

    r = klient.post(
        "/leverandoerer/pleje-syd-aps/godkendelser/praktisk/begraensning",
        headers=admin,
        json={"ny_slutdato": "2027-06-30"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["godkendelser"] == [
        {"kategori": "praktisk", "fra": "2027-01-01", "til": "2027-06-30"}
    ]
    r = klient.post(
        "/leverandoerer/pleje-syd-aps/godkendelser/praktisk/tilbagekaldelse",
        headers=admin,
        json={"begrundelse": "Alvorlige mangler"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["godkendelser"] == [
        {"kategori": "praktisk", "fra": "2027-01-01", "til": "2027-01-31"}
    ]
    bagud = klient.post(
        "/leverandoerer/pleje-syd-aps/godkendelser/praktisk/tilbagekaldelse",
        headers=admin,
        json={"fra": "2026-01-01", "begrundelse": "For sent"},
    )
    assert bagud.status_code == 422 and "tilbagekaldelse-ikke-bagud" in bagud.json()["type"]
    r = klient.post(
        "/leverandoerer/pleje-syd-aps/godkendelser",
        headers=admin,
        json={"kategori": "personlig", "fra": "2027-03-01", "til": "2027-02-01"},
    )
    assert r.status_code == 422 and "godkendelse-periode" in r.json()["type"]
    assert klient.get("/leverandoerer/findes-ikke", headers=vis).status_code == 404
    assert (
        klient.post(
            "/leverandoerer/findes-ikke/godkendelser",
            headers=admin,
            json={"kategori": "personlig", "fra": "2027-03-01"},
        ).status_code
        == 404
    )


def test_provider_wiring_gives_a_newly_learnt_provider_its_own_topic(tmp_path: Path) -> None:
    """Per-provider topics: routes for the providers the copy holds at start, and one for a
    provider learnt while running (no restart): the relay takes it on at its next turn."""
    wiring = provider_wiring.build(ServiceSettings(data_dir=tmp_path))
    app, relay = wiring.consumers[0].app, wiring.relays[0]
    assert not any(r.topic.startswith("bum.leverandoer.") for r in relay.routes)  # empty copy
    policy = ProviderPolicy(app)
    for e in registerhaendelser():
        app.save(*policy(e))
    # Each is pending already: offering the route again is refused.
    for leverandoer_id in app.leverandoerregister:
        assert not relay.add_route(Route(provider_topic(leverandoer_id), provider_public))
    igen = provider_wiring.build(ServiceSettings(data_dir=tmp_path))
    assert {r.topic for r in igen.relays[0].routes} >= {
        provider_topic(leverandoer_id) for leverandoer_id in app.leverandoerregister
    }
