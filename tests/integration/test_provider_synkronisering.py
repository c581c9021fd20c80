"""Offline shift sync (issue 19 item 2), on both stores: a worker's recorded items applied
in the order recorded, each on its own, each once; the answer per item; both times kept."""

from __future__ import annotations

import importlib
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.provider.adapters.public_events import to_public
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.periode import Besoegsperiode, maaned
from shared.infra.idempotens import HEADER, REPLAYED
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_provider_operations import BEVILLING, bevilling, message

pytestmark = pytest.mark.integration
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")
URL = "/leverandoerer/omsorg-plus-aps/synkronisering"


@pytest.fixture
def provider(store_settings: SettingsFactory, ur: datetime) -> Any:
    wiring = importlib.import_module("services.provider.wiring").build(store_settings("provider"))
    app: ProviderApplication = wiring.api.state.idempotens_lager
    besked = message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(uuid.uuid4()),
            "truffet_dato": ur.date().isoformat(),
            "udfald": [],
            "bevillinger": [bevilling("omsorg-plus-aps", ur.date())],
        },
    )
    app.save(*ProviderPolicy(app)(besked))
    return wiring


def _plan(app: ProviderApplication) -> tuple[uuid.UUID, list[Any]]:
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    visits = sorted(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    return order.id, visits


def test_a_shift_synced_twice_applies_each_item_once(provider: Any, ur: datetime) -> None:
    app: ProviderApplication = provider.api.state.idempotens_lager
    order, visits = _plan(app)
    today, later = visits[0], visits[-1]
    levering = {
        "art": "levering",
        "idempotens_noegle": "lev-1",
        "registreret_paa_enhed": (ur - timedelta(minutes=30)).isoformat(),
        "bestilling_id": str(order),
        "besoeg_id": str(today.besoeg_id),
        "faktiske_minutter": 55,
        "medarbejder_id": "sosu-maria",
    }
    aflysning = {
        "art": "aflysning",
        "idempotens_noegle": "afl-1",
        "registreret_paa_enhed": (ur - timedelta(hours=2)).isoformat(),
        "bestilling_id": str(order),
        "besoeg_id": str(later.besoeg_id),
        "aflyst_af": "borger",
        "aarsag": "På besøg hos datteren",
    }
    ukendt = {**levering, "idempotens_noegle": "lev-x", "besoeg_id": str(uuid.uuid4())}
    for_sen = {
        **levering,
        "idempotens_noegle": "lev-gammel",
        "registreret_paa_enhed": (ur - timedelta(hours=49)).isoformat(),
    }
    body = {"enhed_id": "telefon-17", "poster": [levering, aflysning, ukendt, for_sen, levering]}
    with TestClient(provider.api) as client:
        first = client.post(URL, json=body, headers=LEV)
        assert first.status_code == 200, first.text
        got = [(r["idempotens_noegle"], r["udfald"]) for r in first.json()["resultater"]]
        # In the order recorded on the device: the oldest first; the item sent twice in
        # one sync is applied once and replayed once.
        assert got == [
            ("lev-gammel", "afvist"),
            ("afl-1", "anvendt"),
            ("lev-1", "anvendt"),
            ("lev-x", "afvist"),
            ("lev-1", "genafspillet"),
        ]
        problems = {r["idempotens_noegle"]: r["problem"] for r in first.json()["resultater"]}
        assert problems["lev-gammel"]["type"] == "urn:bum:regel:synkronisering-for-sen"
        assert problems["lev-x"]["status"] == 404
        aflyst = first.json()["resultater"][1]["svar"]
        assert aflyst["besoeg_id"] == str(later.besoeg_id) and aflyst["rettidig"] is True

        # The phone never heard the answer and sends the whole shift again, with a key of
        # its own on the request: nothing is applied twice.
        again = client.post(URL, json=body, headers={**LEV, HEADER: "synk-1"})
        assert again.status_code == 200
        assert [r["udfald"] for r in again.json()["resultater"]] == [
            "afvist",
            "genafspillet",
            "genafspillet",
            "afvist",
            "genafspillet",
        ]
        assert again.json()["resultater"][1]["svar"] == aflyst
        replay = client.post(URL, json=body, headers={**LEV, HEADER: "synk-1"})
        assert replay.headers[REPLAYED] == "true" and replay.json() == again.json()

    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    leveret = [n for n in notes if n.topic.endswith("IndsatsLeveret")]
    aflyste = [n for n in notes if n.topic.endswith("BesoegAflyst")]
    assert len(leveret) == len(aflyste) == 1
    # Auditors see both times: recorded on the device, and received by the service.
    event = app.mapper.to_domain_event(leveret[0])
    assert isinstance(event, Besoegsforloeb.IndsatsLeveret)
    enhed = event.levering.enhed
    assert enhed is not None and enhed.enhed_id == "telefon-17"
    assert enhed.registreret_paa_enhed == ur - timedelta(minutes=30)
    assert event.levering.leveret_tidspunkt == enhed.registreret_paa_enhed
    assert event.occurred_at >= ur  # received: the clock ran on from ur
    # And so do supervision's auditors: the public event carries the device and its time,
    # the envelope the time received.
    draft = to_public(event)
    assert draft is not None and draft.occurred_at == event.occurred_at
    assert draft.payload.enhed_id == "telefon-17"
    assert draft.payload.registreret_paa_enhed == enhed.registreret_paa_enhed
    # An event recorded online publishes exactly what it did before the fields existed.
    online = draft.payload.model_copy(update={"enhed_id": None, "registreret_paa_enhed": None})
    assert "enhed_id" not in online.model_dump(mode="json")


def test_a_reused_item_key_with_other_content_is_refused(provider: Any, ur: datetime) -> None:
    app: ProviderApplication = provider.api.state.idempotens_lager
    order, visits = _plan(app)
    item = {
        "art": "forgaeves",
        "idempotens_noegle": "fg-1",
        "registreret_paa_enhed": ur.isoformat(),
        "bestilling_id": str(order),
        "besoeg_id": str(visits[0].besoeg_id),
        "medarbejder_id": "sosu-maria",
    }
    with TestClient(provider.api) as client:
        one = client.post(URL, json={"enhed_id": "t", "poster": [item]}, headers=LEV)
        other = {**item, "aarsag": "ingen_adgang"}
        two = client.post(URL, json={"enhed_id": "t", "poster": [other]}, headers=LEV)
    assert one.json()["resultater"][0]["udfald"] == "anvendt", one.text
    # The order's one writer keeps what the item read and, once written, what it changed
    # (the order, the visit's period) in memory, as after a command without a key; the
    # key's record is not kept.
    assert app.writer_cache is not None and order in app.writer_cache
    periode = Besoegsperiode.create_id(order, maaned(visits[0].dato))
    assert periode in app.writer_cache and len(app.writer_cache) == 2
    refused = two.json()["resultater"][0]
    assert refused["udfald"] == "afvist"
    assert refused["problem"]["type"] == "urn:bum:regel:idempotens-noegle-genbrugt"


def test_check_in_and_out_synced_keep_the_device_and_both_times(
    provider: Any, ur: datetime
) -> None:
    app: ProviderApplication = provider.api.state.idempotens_lager
    order, visits = _plan(app)
    visit = str(visits[0].besoeg_id)
    ind = {
        "art": "paabegyndt",
        "idempotens_noegle": "ind-1",
        "registreret_paa_enhed": (ur - timedelta(minutes=40)).isoformat(),
        "bestilling_id": str(order),
        "besoeg_id": visit,
        "medarbejder_id": "sosu-maria",
    }
    ud = {**ind, "art": "afsluttet", "idempotens_noegle": "ud-1"}
    ud["registreret_paa_enhed"] = (ur - timedelta(minutes=10)).isoformat()
    foer = {
        **ud,
        "idempotens_noegle": "ud-0",
        "registreret_paa_enhed": ind["registreret_paa_enhed"],
    }
    foer["registreret_paa_enhed"] = (ur - timedelta(minutes=50)).isoformat()
    # Sent out of order: applied in the order recorded, so the check-out recorded before
    # the check-in is refused by the rule, and the real one goes through.
    body = {"enhed_id": "telefon-9", "poster": [ud, ind, foer]}
    with TestClient(provider.api) as client:
        first = client.post(URL, json=body, headers=LEV)
        again = client.post(URL, json=body, headers=LEV)
    assert first.status_code == 200, first.text
    assert [(r["idempotens_noegle"], r["udfald"]) for r in first.json()["resultater"]] == [
        ("ud-0", "afvist"),
        ("ind-1", "anvendt"),
        ("ud-1", "anvendt"),
    ]
    assert first.json()["resultater"][0]["problem"]["regel"] == "besoeg-ikke-paabegyndt"
    assert [r["udfald"] for r in again.json()["resultater"]] == [
        "afvist",  # a refused item is judged again: the visit is checked out by now
        "genafspillet",
        "genafspillet",
    ]
    assert again.json()["resultater"][0]["problem"]["regel"] == "besoeg-allerede-afsluttet"
    events = [
        app.mapper.to_domain_event(n)
        for n in app.process_recorder.select_notifications(start=1, limit=10_000)
    ]
    tjek = [
        e
        for e in events
        if isinstance(e, Besoegsforloeb.BesoegPaabegyndt | Besoegsforloeb.BesoegForladt)
    ]
    assert [type(e).__name__ for e in tjek] == ["BesoegPaabegyndt", "BesoegForladt"]
    assert all(e.enhed_id == "telefon-9" and e.occurred_at >= ur for e in tjek)
    assert tjek[0].tidspunkt == ur - timedelta(minutes=40)
    assert tjek[1].tidspunkt == ur - timedelta(minutes=10)
