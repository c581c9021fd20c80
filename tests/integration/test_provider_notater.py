"""Besøgsnotater (visit notes), on both stores: written online or synced from a phone,
read back by the provider's own staff as a logged read, never another provider's, never
published, and kept as the citizen's personal data."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.provider.adapters.public_events import to_public
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.notat import Besoegsnotat
from tests.identity import headers_for
from tests.integration.test_provider_synkronisering import LEV, URL, _plan, provider

pytestmark = pytest.mark.integration
ANDEN = headers_for("leverandoer", "sosu-ib", leverandoer_id="rent-hjem-as")
__all__ = ["provider"]  # the fixture, used by name


def test_a_note_written_and_synced_is_read_back_once_each(provider: Any, ur: datetime) -> None:
    app: ProviderApplication = provider.api.state.idempotens_lager
    order, visits = _plan(app)
    visit = visits[0].besoeg_id
    url = f"/bestillinger/{order}/besoeg/{visit}/notater"
    synket = {
        "art": "notat",
        "idempotens_noegle": "notat-1",
        "registreret_paa_enhed": (ur - timedelta(hours=3)).isoformat(),
        "bestilling_id": str(order),
        "besoeg_id": str(visit),
        "medarbejder_id": "sosu-maria",
        "tekst": "Fru Jensen var glad i dag; såret på venstre ben er pænere. ✓",
    }
    with TestClient(provider.api) as client:
        skrevet = client.post(
            url, json={"medarbejder_id": "sosu-maria", "tekst": "Hjalp med bad."}, headers=LEV
        )
        assert skrevet.status_code == 201, skrevet.text
        body = {"enhed_id": "telefon-17", "poster": [synket, synket]}
        sync = client.post(URL, json=body, headers=LEV)
        assert [r["udfald"] for r in sync.json()["resultater"]] == ["anvendt", "genafspillet"]
        laest = client.get(url, headers=LEV)
        assert laest.status_code == 200, laest.text
        # Another provider cannot tell the order exists; an empty text is refused.
        assert client.get(url, headers=ANDEN).status_code == 404
        tom = client.post(url, json={"medarbejder_id": "x", "tekst": "   "}, headers=LEV)
        assert tom.status_code == 422 and tom.json()["regel"] == "notat-tomt"
        ukendt = client.post(
            f"/bestillinger/{order}/besoeg/{uuid.uuid4()}/notater",
            json={"medarbejder_id": "x", "tekst": "?"},
            headers=LEV,
        )
        assert ukendt.status_code == 404
    noter = laest.json()
    assert [n["tekst"] for n in noter] == ["Hjalp med bad.", synket["tekst"]]
    # The synced one keeps when the worker wrote it on the phone, and which phone.
    assert noter[1]["enhed_id"] == "telefon-17"
    assert datetime.fromisoformat(noter[1]["skrevet"]) == ur - timedelta(hours=3)
    # Not published: the provider's own record.
    events = [
        app.mapper.to_domain_event(n)
        for n in app.process_recorder.select_notifications(start=1, limit=10_000)
    ]
    skrevne = [e for e in events if isinstance(e, Besoegsnotat.NotatSkrevet)]
    assert len(skrevne) == 2 and all(to_public(e) is None for e in skrevne)
    # The citizen's data: owned by the citizen, so an erasure of their key reaches it.
    order_agg = app.hent_bestilling(order)
    assert {e.tekst.ejer for e in skrevne} == {str(order_agg.borger_id)}
