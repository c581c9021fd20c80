"""Legal clocks on both stores over HTTP: work list, clock check, reconsideration."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError
from fastapi.testclient import TestClient

from services.visitation.application.frister import Frister
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Funktionsniveau, Funktionsvurdering
from shared.infra.tid import now
from tests.integration.test_visitation_katalog import (  # fixtures are reused as is
    DAY,
    VIS,
    afgoer,
    app,
    client,
    godkend,
    ny_sag,
    published,
    vurder,
)
from tests.scenario import VISITATOR, decided_case

pytestmark = pytest.mark.integration
__all__ = ["app", "client"]


def test_clock_check_records_each_missed_deadline_once(
    app: VisitationApplication, client: TestClient
) -> None:
    sag_id, _ = ny_sag(client)
    liste = client.get(f"/arbejdsliste?dato={DAY}", headers=VIS).json()
    assert [(o["sag_id"], o["fristtype"], o["status"]) for o in liste] == [
        (sag_id, "kvittering", "aaben")
    ]
    assert liste[0]["frist"] == "2026-11-16"  # 10 working days after Monday 2 November

    late = {"dato": "2026-11-17"}
    first = client.post("/frister/kontrol", headers=VIS, json=late).json()
    assert [o["frist_id"] for o in first] == ["kvittering"]
    assert client.post("/frister/kontrol", headers=VIS, json=late).json() == []
    assert Frister(VisitationApplication(env=app.env)).kontroller(date(2026, 12, 1)) == []

    missed = [e for e in published(app) if e.event_type == "FristOverskredet"]
    assert len(missed) == 1
    assert missed[0].data["fristtype"] == "kvittering" and missed[0].legal_basis
    liste = client.get("/arbejdsliste?dato=2026-11-17", headers=VIS).json()
    assert liste[0]["status"] == "overskredet"


def test_receipt_in_time_leaves_nothing_to_do(client: TestClient) -> None:
    sag_id, _ = ny_sag(client)
    r = client.post(
        f"/sager/{sag_id}/kvittering",
        headers=VIS,
        json={"dato": "2026-11-05", "forventet_afgoerelse": "2026-12-28"},
    )
    assert r.status_code == 201, r.text
    r = client.post(f"/sager/{sag_id}/kvittering", headers=VIS, json={"dato": "2026-11-06"})
    assert r.status_code == 422 and r.json()["regel"] == "kvittering-allerede-sendt"
    assert client.get("/arbejdsliste?dato=2026-12-01", headers=VIS).json() == []
    frister = client.get(f"/sager/{sag_id}/frister?dato=2026-12-01", headers=VIS).json()
    assert [(f["frist_id"], f["status"]) for f in frister] == [("kvittering", "opfyldt")]


def test_complaint_reconsideration_deadline(app: VisitationApplication, client: TestClient) -> None:
    godkend(client)
    sag_id, (a,) = ny_sag(client)
    vurder(client, sag_id, ("B1-11", 3), ("B1-8", 3), ("B2-2", 2))
    assert afgoer(client, sag_id, a).status_code == 201
    r = client.post(
        f"/sager/{sag_id}/klager",
        headers=VIS,
        json={"klagetype": "afgoerelse", "modtaget_dato": "2026-11-10", "beskrivelse": "For lidt"},
    )
    klage_id = r.json()["klage_id"]
    frister = client.get(f"/sager/{sag_id}/frister?dato=2026-11-10", headers=VIS).json()
    genv = next(f for f in frister if f["fristtype"] == "genvurdering")
    assert (genv["frist"], genv["status"]) == ("2026-12-08", "aaben")
    revurdering = next(f for f in frister if f["fristtype"] == "revurdering")
    assert revurdering["frist"] == "2028-11-02"  # Herlev: at least every 2 years

    body = {"dato": "2026-12-01", "udfald": "fastholdt", "begrundelse": "Kriterierne er fulgt."}
    url = f"/sager/{sag_id}/klager/{klage_id}/genvurdering"
    assert client.post(url, headers=VIS, json=body).status_code == 201
    again = client.post(url, headers=VIS, json=body)
    assert again.status_code == 422 and again.json()["regel"] == "klage-allerede-genvurderet"
    frister = client.get(f"/sager/{sag_id}/frister?dato=2026-12-20", headers=VIS).json()
    assert next(f for f in frister if f["fristtype"] == "genvurdering")["status"] == "opfyldt"
    assert "KlageGenvurderet" in {e.event_type for e in published(app)}


def vurdering() -> Funktionsvurdering:
    return Funktionsvurdering(uuid4(), DAY, (Funktionsniveau("B1-3", 2),), None)


def test_command_reruns_past_system_event_but_not_past_visitator(
    app: VisitationApplication,
) -> None:
    sag_id = decided_case(app, DAY)
    other = VisitationApplication(env=app.env)
    runs: list[int] = []
    # Receipts and missed-deadline notes no longer touch the case (noter.py); a process
    # still running the code before the cut writes the note to the case, between load and
    # save: the command runs again on the fresh case instead of answering 409.

    def klage_mens_kvittering_kommer(sag: Sag) -> object:
        if not runs:
            s2 = other.hent_sag(sag_id)
            s2._frist_overskredet(
                "kvittering", "kvittering", DAY, DAY + timedelta(1), s2.borger_id, VISITATOR, now()
            )
            other.save(s2)
        runs.append(sag.version)
        # A command on the case (a complaint was it, until complaints moved beside it).
        sag.registrer_funktionsvurdering(vurdering(), VISITATOR, now())
        return None

    app._kommando(sag_id, klage_mens_kvittering_kommer)
    assert len(runs) == 2 and len(app.hent_sag(sag_id).vurderinger) == 2

    def klage_mens_visitator_skriver(sag: Sag) -> object:
        s2 = other.hent_sag(sag_id)
        s2.registrer_funktionsvurdering(vurdering(), VISITATOR, now())
        other.save(s2)
        sag.registrer_funktionsvurdering(vurdering(), VISITATOR, now())
        return None

    with pytest.raises(IntegrityError):
        app._kommando(sag_id, klage_mens_visitator_skriver)
