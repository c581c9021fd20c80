"""A relative acting under a recorded fuldmagt, across the three services on both stores:
visitation records it over HTTP and publishes it; provider and supervision fold what was
published (handed over as the relay and consumer would) and apply the shared rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking
from fastapi.testclient import TestClient

from services.provider.adapters.public_events import to_public as provider_public
from services.provider.wiring import build as build_provider
from services.supervision.wiring import build as build_supervision
from services.visitation.adapters.public_events import to_public as visitation_public
from services.visitation.wiring import build as build_visitation
from shared.contracts import PublicEvent
from shared.infra.auth import idag
from shared.infra.eventstore import EventStoreApplication
from shared.kernel.fuldmagt import fuldmagtsregister_id
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_applications import published
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
VIS = headers_for("visitator", "vis-anne")
TIL = {**headers_for("tilsyn", "tilsyn-ole"), "X-Formaal": "tilsynsbesoeg"}
CONSUMERS = {"visitation": ("provider", "supervision"), "provider": ("visitation", "supervision")}
KAREN, OLE, IB = "mitid:datter-karen", "mitid:soen-ole", "mitid:nabo-ib"


@dataclass
class Verden:
    visitation: TestClient
    provider: TestClient
    supervision: TestClient
    apps: dict[str, EventStoreApplication]
    handlers: dict[str, Callable[[PublicEvent], Any]]
    sag_id: UUID
    borger_id: str
    fed: set[tuple[str, UUID]] = field(default_factory=set)

    def deliver(self) -> list[PublicEvent]:
        """Everything visitation and provider published so far, to whoever consumes it
        (each event once, as the consumer's tracking guarantees)."""
        events = published(self.apps["visitation"], "visitation", visitation_public)
        events += published(self.apps["provider"], "provider", provider_public)
        for e in events:
            for target in CONSUMERS[e.source]:
                if (target, e.event_id) in self.fed:
                    continue
                self.fed.add((target, e.event_id))
                self.apps[target].save_with_tracking(
                    self.handlers[target](e), Tracking(f"{e.source}/{e.case_id}", e.case_sequence)
                )
        return events

    def fuldmagt(self, holder: str, omfang: list[str], **period: Any) -> dict[str, Any]:
        body = {"fuldmagtshaver": holder, "omfang": omfang, "gyldig_fra": str(idag()), **period}
        r = self.visitation.post(f"/borgere/{self.borger_id}/fuldmagter", headers=VIS, json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())


def relative(sub: str, borger_id: str) -> dict[str, str]:
    return headers_for("borger", sub, fuldmagt_for=[borger_id])


@pytest.fixture
def verden(store_settings: SettingsFactory) -> Verden:
    wirings = {
        "visitation": build_visitation(store_settings("visitation")),
        "provider": build_provider(store_settings("provider")),
        "supervision": build_supervision(store_settings("supervision")),
    }
    apps = {name: w.consumers[0].app for name, w in wirings.items()}
    handlers = {name: w.consumers[0].handler for name, w in wirings.items()}
    sag_id = decided_case(apps["visitation"], idag())  # type: ignore[arg-type]
    borger_id = str(apps["visitation"].hent_sag(sag_id).borger_id)  # type: ignore[attr-defined]
    v = Verden(
        TestClient(wirings["visitation"].api),
        TestClient(wirings["provider"].api),
        TestClient(wirings["supervision"].api),
        apps,
        handlers,
        sag_id,
        borger_id,
    )
    v.deliver()
    return v


def test_relative_lists_and_cancels_only_under_a_valid_recorded_fuldmagt(verden: Verden) -> None:
    v, bid = verden, verden.borger_id
    karen = relative(KAREN, bid)
    # the token's claim alone opens nothing
    assert v.provider.get(f"/borgere/{bid}/besoeg", headers=karen).status_code == 403
    assert v.supervision.get(f"/sager/{v.sag_id}/historik", headers=karen).status_code == 404

    given = v.fuldmagt(KAREN, ["se_og_aflyse_besoeg", "se_sagen"])
    assert given["gyldig_i_dag"] is True
    maaned_siden, i_gaar = idag() - timedelta(days=30), idag() - timedelta(days=1)
    v.fuldmagt(OLE, ["se_og_aflyse_besoeg"], gyldig_fra=str(maaned_siden), gyldig_til=str(i_gaar))
    v.fuldmagt(IB, ["se_og_aflyse_besoeg"])
    events = v.deliver()
    givet = [e for e in events if e.event_type == "FuldmagtGivet"]
    assert len(givet) == 3 and {e.case_id for e in givet} == {fuldmagtsregister_id(bid)}
    assert givet[0].data["fuldmagtshaver"] == KAREN and givet[0].data["borger_id"] == bid

    visits = v.provider.get(f"/borgere/{bid}/besoeg", headers=karen)
    assert visits.status_code == 200, visits.text
    assert visits.json() and "sag_id" not in visits.json()[0]
    besoeg_id = visits.json()[-1]["besoeg_id"]
    r = v.provider.post(
        f"/borgere/{bid}/besoeg/{besoeg_id}/aflysning", headers=karen, json={"aarsag": "Hos lægen"}
    )
    assert r.status_code == 201, r.text
    aflyst = next(e for e in v.deliver() if e.event_type == "BesoegAflyst")
    assert aflyst.actor.id == KAREN and aflyst.data["aflyst_af"] == "borger"

    # expired fuldmagt, a claim without a record, a record without the claim
    ole, nabo = relative(OLE, bid), relative("mitid:fremmed", bid)
    uden_claim = headers_for("borger", KAREN, fuldmagt_for=["11111111-1111-1111-1111-111111111111"])
    for headers in (ole, nabo, uden_claim):
        assert v.provider.get(f"/borgere/{bid}/besoeg", headers=headers).status_code == 403
        r = v.provider.post(
            f"/borgere/{bid}/besoeg/{besoeg_id}/aflysning", headers=headers, json={"aarsag": "x"}
        )
        assert r.status_code == 403 and r.json()["regel"] == "kun-egne-besoeg"

    # the scope counts: Ib may see visits, not the case nor complain for the citizen
    ib = relative(IB, bid)
    assert v.provider.get(f"/borgere/{bid}/besoeg", headers=ib).status_code == 200
    assert v.supervision.get(f"/sager/{v.sag_id}/historik", headers=ib).status_code == 404
    assert v.supervision.get(f"/sager/{v.sag_id}/historik", headers=karen).status_code == 200
    klage = {"klagetype": "levering", "modtaget_dato": str(idag()), "beskrivelse": "Kom ikke"}
    assert v.visitation.post(f"/sager/{v.sag_id}/klager", headers=ib, json=klage).status_code == 404

    # revoked from today: refused everywhere once the revocation has travelled
    fid = given["fuldmagt_id"]
    r = v.visitation.post(f"/borgere/{bid}/fuldmagter/{fid}/tilbagekaldelse", headers=VIS, json={})
    assert r.status_code == 200 and r.json()["gyldig_i_dag"] is False
    assert v.provider.get(f"/borgere/{bid}/besoeg", headers=karen).status_code == 200  # not yet
    assert any(e.event_type == "FuldmagtTilbagekaldt" for e in v.deliver())
    assert v.provider.get(f"/borgere/{bid}/besoeg", headers=karen).status_code == 403
    assert v.supervision.get(f"/sager/{v.sag_id}/historik", headers=karen).status_code == 404
    # the citizen's own fuldmagt register reads as a history for tilsyn, in Danish
    r = v.supervision.get(f"/sager/{fuldmagtsregister_id(bid)}/historik", headers=TIL)
    assert [h["haendelse"] for h in r.json()["haendelser"]] == ["FuldmagtGivet"] * 3 + [
        "FuldmagtTilbagekaldt"
    ]


def test_who_may_record_and_revoke(verden: Verden) -> None:
    v, bid = verden, verden.borger_id
    url = f"/borgere/{bid}/fuldmagter"
    body = {"fuldmagtshaver": KAREN, "omfang": ["se_sagen"], "gyldig_fra": str(idag())}
    selv = headers_for("borger", borger_id=bid)
    r = v.visitation.post(url, headers=selv, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["omfang"] == ["se_sagen"]
    fid = r.json()["fuldmagt_id"]
    # a fuldmagtshaver cannot pass it on, another citizen does not see it, nor a provider
    fremmed = headers_for("borger", borger_id="11111111-1111-1111-1111-111111111111")
    andre = (relative(KAREN, bid), fremmed)
    for headers in andre:
        assert v.visitation.post(url, headers=headers, json=body).status_code == 404
        assert v.visitation.get(url, headers=headers).status_code == 404
    leverandoer = headers_for("leverandoer", leverandoer_id="omsorg-plus-aps")
    assert v.visitation.get(url, headers=leverandoer).status_code == 403
    # bad input is a 422 problem, an unknown citizen or fuldmagt a 404
    for bad in (
        {**body, "omfang": []},
        {**body, "omfang": ["alt"]},
        {**body, "gyldig_til": str(idag() - timedelta(days=1))},
        {**body, "cpr": "0101401234"},
    ):
        assert v.visitation.post(url, headers=VIS, json=bad).status_code == 422
    for other in ("22222222-2222-2222-2222-222222222222", v.sag_id):
        r = v.visitation.post(f"/borgere/{other}/fuldmagter", headers=VIS, json=body)
        assert r.status_code == 404, r.text
    tilbage = f"{url}/{fid}/tilbagekaldelse"
    bagud = {"tilbagekaldt_fra": str(idag() - timedelta(days=1))}
    r = v.visitation.post(tilbage, headers=selv, json=bagud)
    assert r.status_code == 422 and r.json()["regel"] == "fuldmagt-tilbagekaldes-ikke-bagud"
    assert v.visitation.post(tilbage, headers=selv, json={}).status_code == 200
    r = v.visitation.post(tilbage, headers=VIS, json={})
    assert r.status_code == 422 and r.json()["regel"] == "fuldmagt-allerede-tilbagekaldt"
    ukendt = v.visitation.post(f"{url}/{bid}/tilbagekaldelse", headers=VIS, json={})
    assert ukendt.status_code == 404
    listed = v.visitation.get(url, headers=headers_for("revisor", "rev")).json()
    assert [(f["fuldmagtshaver"], f["gyldig_i_dag"]) for f in listed] == [(KAREN, False)]
    # the fuldmagt register is no case: visitation answers 404 for it as a sag
    assert v.visitation.get(f"/sager/{fuldmagtsregister_id(bid)}", headers=VIS).status_code == 404
