"""The access log across all APIs on both stores: reads through visitation's and provider's
HTTP APIs are recorded where they happen, published as PersonoplysningerLaest (what the
relay sends), and folded by supervision with its own reads for tilsyn and aktindsigt."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent, Tracking
from fastapi.testclient import TestClient

from services.provider.adapters.public_events import to_public as provider_public
from services.provider.api.access import ACCESS as PROVIDER_ACCESS
from services.provider.api.plan_routes import build_plan_router
from services.provider.api.routes import build_router as build_provider_router
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import (
    RecordReads,
    SupervisionApplication,
)
from services.supervision.wiring import build as build_supervision
from services.visitation.adapters.public_events import to_public
from services.visitation.api.access import ACCESS as VISITATION_ACCESS
from services.visitation.api.routes import build_router as build_visitation_router
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent, parse_payload
from shared.infra.access import secure_api
from shared.infra.adgangslog import til_offentlig
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_applications import published
from tests.integration.test_supervision_replay import feed
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)
VIS = headers_for("visitator", "vis-anne")
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")
TIL = headers_for("tilsyn", "tilsyn-ole")


def feed_reads(supervision: SupervisionApplication, reads: list[PublicEvent]) -> None:
    """What supervision's adgangslog consumer does with each message."""
    policy = RecordReads()
    for e in reads:
        supervision.save_with_tracking(
            policy(e), Tracking(f"adgangslog:{e.source}/{e.case_id}", e.case_sequence)
        )


def _two_services(
    store_settings: SettingsFactory, *cprs: str
) -> tuple[VisitationApplication, ProviderApplication, list[UUID], list[PublicEvent]]:
    """Decided cases in visitation, their orders and plans in provider."""
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    provider = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    sager = [decided_case(visitation, DAY, cpr=cpr) for cpr in cprs]
    v_events = published(visitation, "visitation", to_public)
    policy = ProviderPolicy(provider)
    for e in v_events:
        provider.save_with_tracking(policy(e), Tracking(f"visitation/{e.case_id}", e.sequence))
    return visitation, provider, sager, v_events


def test_reads_through_every_api_reach_tilsyn_and_aktindsigt(
    store_settings: SettingsFactory,
) -> None:
    visitation, provider, (sag_id,), v_events = _two_services(store_settings, "0101401234")
    p_events = published(provider, "provider", provider_public)
    lists = ProviderWorkLists(provider)
    v_api = secure_api("visitation", "test", "", access_table=VISITATION_ACCESS)
    v_api.include_router(build_visitation_router(visitation))
    p_api = secure_api("provider", "test", "", access_table=PROVIDER_ACCESS)
    p_api.include_router(build_provider_router(provider, lists))

    sag = TestClient(v_api).get(f"/sager/{sag_id}", headers=VIS, params={"formaal": "revurdering"})
    assert sag.status_code == 200, sag.text
    borger_id = sag.json()["borger"]["borger_id"]
    ordre = lists.bestillinger_for("omsorg-plus-aps")[0]
    r = TestClient(p_api).get(
        f"/bestillinger/{ordre['bestilling_id']}", headers={**LEV, "X-Formaal": "levering"}
    )
    assert r.status_code == 200, r.text
    # A refused read is no read: another provider's token, and a bad purpose (422, not 500).
    fremmed = headers_for("leverandoer", "x", leverandoer_id="hjemmeplejen-nord")
    r = TestClient(p_api).get(f"/bestillinger/{ordre['bestilling_id']}", headers=fremmed)
    assert r.status_code in (403, 404), r.text
    assert (
        TestClient(v_api).get(f"/sager/{sag_id}", headers=VIS, params={"formaal": "x" * 201})
    ).status_code == 422

    reads = published(visitation, "visitation", til_offentlig) + published(
        provider, "provider", til_offentlig
    )
    assert [(e.source, e.event_type, e.actor.rolle) for e in reads] == [
        ("visitation", "PersonoplysningerLaest", "visitator"),
        ("provider", "PersonoplysningerLaest", "leverandoer"),
    ]
    for e in reads:
        parse_payload(e)
        assert e.case_id == sag_id and e.data["borger_id"] == borger_id
    assert "0101401234" not in json.dumps([e.model_dump(mode="json") for e in reads])
    assert [e.data["formaal"] for e in reads] == ["revurdering", "levering"]

    wiring = build_supervision(store_settings("supervision"))
    supervision = wiring.consumers[0].app
    assert isinstance(supervision, SupervisionApplication)
    feed(supervision, v_events + p_events)
    feed_reads(supervision, reads)
    client = TestClient(wiring.api)

    log = client.get(f"/sager/{sag_id}/adgangslog", headers=TIL).json()["opslag"]
    assert [(o["tjeneste"], o["endpoint"], o["hvem"]["rolle"]) for o in log] == [
        ("visitation", "hent_sag", "visitator"),
        ("provider", "bestilling", "leverandoer"),
        ("supervision", "adgangslog", "tilsyn"),
    ]
    assert log[1]["hvem"] == {
        "id": "sosu-maria",
        "rolle": "leverandoer",
        "organisation": "omsorg-plus-aps",
    }
    assert log[0]["tidspunkt"] == reads[0].occurred_at.isoformat()  # when it was read

    r = client.get("/adgangslog", headers=TIL, params={"aktoer": "sosu-maria"})
    assert r.status_code == 200, r.text
    assert [o["endpoint"] for o in r.json()["opslag"]] == ["bestilling"]
    r = client.get(
        "/adgangslog",
        headers=TIL,
        params={"borger_id": borger_id, "tjeneste": "visitation", "fra": "2000-01-01"},
    )
    assert r.json()["antal"] == 1
    assert (
        client.get("/adgangslog", headers=TIL, params={"til": "2000-01-01"}).json()["opslag"] == []
    )
    assert client.get("/adgangslog", headers=TIL, params={"fra": "igår"}).status_code == 422
    assert client.get("/adgangslog", headers=LEV).status_code == 403

    anmodning = client.post(
        f"/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Jens Hansen", "modtaget_dato": DAY.isoformat()},
    ).json()
    svar = client.get(f"/aktindsigt/{anmodning['anmodning_id']}/svar", headers=TIL).json()
    adgang = next(a for a in svar["afsnit"] if a["noegle"] == "adgang")["poster"]
    linjer = [(p["titel"], p["linjer"][0]) for p in adgang]
    assert (
        "Opslag i visitationen (hent_sag)",
        "vis-anne (visitator, kommunen), formål: revurdering",
    ) in linjer
    assert (
        "Opslag i leverandørsystemet (bestilling)",
        "sosu-maria (leverandoer, omsorg-plus-aps), formål: levering",
    ) in linjer


def test_a_koereliste_is_one_read_per_citizen(store_settings: SettingsFactory) -> None:
    _, provider, _, _ = _two_services(store_settings, "0101401234", "0202502345")
    lists = ProviderWorkLists(provider)
    api = secure_api("provider", "test", "", access_table=PROVIDER_ACCESS)
    api.include_router(build_plan_router(provider, lists))
    dag = min(b.dato for b in lists.besoeg_for("omsorg-plus-aps", None, None))
    r = TestClient(api).get(
        "/leverandoerer/omsorg-plus-aps/koereliste.csv",
        headers=LEV,
        params={"dato": dag.isoformat()},
    )
    assert r.status_code == 200, r.text
    paa_listen = {row.split(",")[4] for row in r.text.splitlines()[1:]}
    assert len(paa_listen) == 2
    reads = published(provider, "provider", til_offentlig)
    assert {e.data["borger_id"] for e in reads} == paa_listen
    assert {e.data["endpoint"] for e in reads} == {"koereliste_csv"}
    assert all(e.data["sag_id"] for e in reads)  # the case, which the list itself omits


def test_access_log_events_stored_before_the_move_still_fold(
    store_settings: SettingsFactory,
) -> None:
    """Supervision's own v1 AdgangRegistreret, stored under its old module, upcasts."""
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    sag_id, adgang_id = uuid.uuid4(), uuid.uuid4()
    state: dict[str, Any] = {
        "timestamp": datetime(2026, 11, 2, 10, tzinfo=UTC),
        "originator_topic": "services.supervision.domain.adgangslog:Adgang",
        "sag_id": str(sag_id),
        "aktoer": {"id": "tilsyn-ole", "rolle": "tilsyn", "organisation": "kommunen"},
        "endpoint": "historik",
        "formaal": "stikprøve",
    }
    app.process_recorder.insert_events(
        [
            StoredEvent(
                originator_id=adgang_id,
                originator_version=1,
                topic="services.supervision.domain.adgangslog:Adgang.AdgangRegistreret",
                state=app.mapper.transcoder.encode(state),
            )
        ]
    )
    (post,) = Tilsynsprojektioner(app).laes(lambda p: p.adgangslog.for_sag(sag_id))
    assert post == {
        "tidspunkt": "2026-11-02T10:00:00+00:00",
        "tjeneste": "supervision",
        "endpoint": "historik",
        "sag_id": str(sag_id),
        "borger_id": None,
        "hvem": {"id": "tilsyn-ole", "rolle": "tilsyn", "organisation": "kommunen"},
        "formaal": "stikprøve",
        "adgang_id": str(adgang_id),
    }
    assert UUID(post["adgang_id"]) == app.repository.get(adgang_id).id
