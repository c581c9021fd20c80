"""Issue 20, item 5: a provider's change report (ændringsindberetning) ends on the
visitation case with its text, sealed under the citizen's key like the case's other free
text: the visitator reads what the provider saw, and after the citizen's erasure the
placeholder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent, Tracking
from fastapi.testclient import TestClient

from services.provider.adapters.public_events import to_public as provider_public
from services.provider.api.access import ACCESS as PROVIDER_ACCESS
from services.provider.api.operations import build_operations
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.visitation.adapters.public_events import to_public as visitation_public
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from shared.infra.settings import OpbevaringSettings
from shared.kernel.personoplysning import SLETTET_TEKST
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_applications import published
from tests.integration.test_sletning import ADMIN, GRUND, VIS
from tests.integration.test_sletning import _client as visitation_client
from tests.scenario import decided_case
from tests.ur import TODAY

pytestmark = pytest.mark.integration
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")
TEKST = "Kan ikke længere rejse sig fra stolen uden hjælp"


@pytest.fixture
def apps() -> Iterator[list[VisitationApplication | ProviderApplication]]:
    opened: list[VisitationApplication | ProviderApplication] = []
    yield opened
    for app in opened:
        app.close()


def test_a_change_report_is_on_the_case_with_its_text_until_the_erasure(
    ur: datetime,
    store_settings: SettingsFactory,
    apps: list[VisitationApplication | ProviderApplication],
) -> None:
    # No retention period, so the case may be erased once ended.
    v_settings = store_settings("visitation").model_copy(
        update={"opbevaring": OpbevaringSettings(aar=0)}
    )
    visitation = VisitationApplication(env=store_env(v_settings, "visitation"), settings=v_settings)
    provider = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    apps += [visitation, provider]
    start = TODAY - timedelta(days=30)
    sag_id = decided_case(visitation, start)
    borger_id = visitation.hent_sag(sag_id).borger_id
    ordre_policy = ProviderPolicy(provider)
    for e in published(visitation, "visitation", visitation_public):
        provider.save_with_tracking(
            ordre_policy(e), Tracking(f"visitation/{e.case_id}", e.sequence)
        )

    # The provider reports through its API what it saw.
    lists = ProviderWorkLists(provider)
    p_api = secure_api("provider", "test", "", access_table=PROVIDER_ACCESS)
    p_api.include_router(build_operations(provider, lists))
    (bestilling_id,) = lists.aktive_bestillinger("omsorg-plus-aps")
    observeret = TODAY - timedelta(days=2)
    r = TestClient(p_api).post(
        f"/bestillinger/{bestilling_id}/aendringsindberetninger",
        headers=LEV,
        json={
            "observeret_dato": observeret.isoformat(),
            "beskrivelse": TEKST,
            "omraader": ["B1-11"],
        },
    )
    assert r.status_code == 201, r.text

    # Visitation's consumer handles what the provider published (twice: redelivered).
    policy = VisitationPolicy(visitation)
    rapporter = [
        e
        for e in published(provider, "provider", provider_public)
        if e.event_type == "AendringIFunktionsevneIndberettet"
    ]
    assert len(rapporter) == 1
    for n, e in enumerate(rapporter * 2, start=1):
        visitation.save_with_tracking(policy(e), Tracking(f"provider/{e.case_id}", n))

    with visitation_client(visitation) as c:
        sag = c.get(f"/sager/{sag_id}", headers=VIS).json()
    (ind,) = sag["aendringsindberetninger"]
    assert ind["beskrivelse"] == TEKST
    assert ind["leverandoer_id"] == "omsorg-plus-aps"
    assert ind["observeret_dato"] == observeret.isoformat()
    assert ind["indberettet_dato"] == TODAY.isoformat()
    assert ind["omraader"] == ["B1-11"]
    assert ind["opgave"]["status"] == "aaben" and ind["opgave"]["opfyldt_dato"] is None
    assert ind["opgave"]["frist"] > TODAY.isoformat()

    # Stored sealed under the citizen's key: the text is nowhere in the store in the clear.
    stored = visitation.process_recorder.select_events(sag_id)
    assert all(TEKST.encode() not in s.state for s in stored)
    paa_sagen = visitation.hent_sag(sag_id).aendringsindberetninger[UUID(ind["opgave_id"])]
    assert paa_sagen.beskrivelse.ejer == str(borger_id)

    # The case ends, the citizen's data is erased; a fresh application replays the case.
    with visitation_client(visitation) as c:
        ophoer = {"ophoersdato": (TODAY - timedelta(days=1)).isoformat(), "aarsag": "doedsfald"}
        assert c.post(f"/sager/{sag_id}/ophoer", headers=VIS, json=ophoer).status_code == 201
        r = c.post(f"/borgere/{borger_id}/sletning", headers=ADMIN, json=GRUND)
        assert r.status_code == 200, r.text
        # the same application, its case perhaps cached from before the erasure
        (samme,) = c.get(f"/sager/{sag_id}", headers=VIS).json()["aendringsindberetninger"]
    assert samme["beskrivelse"] == SLETTET_TEKST
    fresh = VisitationApplication(env=store_env(v_settings, "visitation"), settings=v_settings)
    apps.append(fresh)
    with visitation_client(fresh) as c:
        efter = c.get(f"/sager/{sag_id}", headers=VIS).json()
    (ind_efter,) = efter["aendringsindberetninger"]
    assert ind_efter["beskrivelse"] == SLETTET_TEKST
    assert {k: v for k, v in ind_efter.items() if k != "beskrivelse"} == {
        k: v for k, v in ind.items() if k != "beskrivelse"
    }


def test_a_change_report_task_stored_before_sealing_still_shows_on_the_case(
    store_settings: SettingsFactory, apps: list[VisitationApplication | ProviderApplication]
) -> None:
    """A v1 RevurderingsopgaveOprettet (its text a plain string, no owner) replays through
    the v1 -> v2 upcaster, and the case shows the report, owned by the case's citizen."""
    env = store_env(store_settings("visitation"), "visitation")
    app = VisitationApplication(env=env)
    apps.append(app)
    sag_id = decided_case(app, TODAY)
    sag = app.hent_sag(sag_id)
    state: dict[str, Any] = {
        "timestamp": datetime(2026, 11, 20, 9, tzinfo=UTC),
        "opgave_id": uuid4(),
        "kilde": "aendringsindberetning:omsorg-plus-aps",
        "modtaget_dato": date(2026, 11, 19),
        "frist": date(2026, 12, 3),
        "beskrivelse": "Falder oftere",  # v1: stored before free text was sealed
        "omraader": ("B1-11",),
        "aktoer": {"id": "sosu-maria", "rolle": "leverandoer", "organisation": "omsorg-plus-aps"},
        "occurred_at": datetime(2026, 11, 20, 9, tzinfo=UTC),
    }
    app.process_recorder.insert_events(
        [
            StoredEvent(
                originator_id=sag_id,
                originator_version=sag.version + 1,
                topic="services.visitation.domain.sag:Sag.RevurderingsopgaveOprettet",
                state=app.mapper.transcoder.encode(state),
            )
        ]
    )
    fresh = VisitationApplication(env=env)
    apps.append(fresh)
    (ind,) = fresh.hent_sag(sag_id).aendringsindberetninger.values()
    assert ind.beskrivelse.vis() == "Falder oftere"
    assert ind.beskrivelse.ejer == str(sag.borger_id)
    assert (ind.leverandoer_id, ind.observeret_dato) == ("omsorg-plus-aps", date(2026, 11, 19))
    assert ind.indberettet_dato == date(2026, 11, 20)
    with visitation_client(fresh) as c:
        (vist,) = c.get(f"/sager/{sag_id}", headers=VIS).json()["aendringsindberetninger"]
    assert vist["beskrivelse"] == "Falder oftere"
    assert vist["opgave"]["frist"] == "2026-12-03"
