"""After the whole flow, an administrator erases the citizen (their case ended, retention
set to 0 for the test): a fresh visitation process replays the case with placeholders for
CPR, name and notes while the rest is intact; supervision's copy of the published events
shows the placeholder for the same free text (it stored it encrypted under the citizen's
key, never in plain), its aktindsigt still renders, and its rebuild CLI replays its store to
the same read models."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import pytest

from infra.local.stack import SERVICES, LocalStack
from shared.kernel.personoplysning import SLETTET_TEKST
from tests.e2e.test_bum_flow import (
    TIL,
    TODAY,
    VIS,
    stack,  # noqa: F401  (the running services)
)
from tests.e2e.test_bum_flow import test_application_to_supervision as bum_flow
from tests.identity import headers_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
ADMIN = headers_for("administrator", "admin-ole")
#: Free text the flow records: the complaint (visitation) and the cancellation (provider).
KLAGE, AFLYSNING = "Jeg kan ikke selv gøre rent.", "Hos lægen"
#: Supervision's own: who asks for aktindsigt, and an inspector's finding about the home.
ANMODER, FUND = "Værge Rasmussen", "Rollatoren stod i vejen for Rasmussens datter"


def supervision_data(t: str, sag_id: str) -> dict[str, Any]:
    """Every event's data in supervision's history of the case, by event type."""
    h = httpx.get(f"{t}/sager/{sag_id}/historik", headers=TIL).json()["haendelser"]
    return {x["haendelse"]: x["data"] for x in h}


def stored_plain_text(services: LocalStack, *texts: str) -> list[str]:
    """Which of `texts` appear in plain in supervision's stored events, or in the published
    log of visitation or the provider (what `/public-events` pages for late partners)."""
    queries = {
        "supervision": "SELECT convert_from(state, 'UTF8') FROM supervision_events",
        "visitation": "SELECT document FROM bum_published_event",
        "provider": "SELECT document FROM bum_published_event",
    }
    found = []
    for service, query in queries.items():
        with psycopg.connect(services.services[service].env["BUM_DATABASE_URL"]) as conn:
            stored = "\n".join(r[0] for r in conn.execute(query).fetchall())
        assert "KlageOprettet" in stored or "BesoegAflyst" in stored  # readable envelopes
        found += [f"{service}: {t}" for t in texts if t in stored]
    return found


def eventually(read: Callable[[], Any], seconds: float = 20) -> None:
    """Wait until `read()` gives the placeholder (a service's key cache expires)."""
    deadline = time.monotonic() + seconds
    while (value := read()) != SLETTET_TEKST:
        assert time.monotonic() < deadline, value
        time.sleep(0.2)


def published(url: str, event_type: str) -> dict[str, Any]:
    """The data of the first `event_type` in a service's published log (partner catch-up)."""
    page = httpx.get(f"{url}/public-events", params={"limit": 1000}, headers=TIL).json()
    return next(e["data"] for e in page["events"] if e["type"].endswith(f".{event_type}.v1"))


@pytest.fixture
def ingen_opbevaring(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services inherit the environment: no retention period, so the case may go now;
    and a 1 s key cache instead of 5 s, so the waits below for it to expire are short (they
    still prove the running services read the placeholder once it has, with no restart)."""
    monkeypatch.setenv("BUM_OPBEVARING_AAR", "0")
    monkeypatch.setenv("BUM_KEYSTORE_CACHE_SECONDS", "1")


def test_erasure_after_the_flow(ingen_opbevaring: None, stack: LocalStack) -> None:  # noqa: F811
    bum_flow(stack)
    v, p, t = (stack.services[n].url for n in SERVICES)
    sag_id = httpx.get(f"{t}/sager", headers=TIL).json()["sager"][0]["sag_id"]
    borger_id = httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json()["borger"]["borger_id"]
    url = f"{v}/borgere/{borger_id}/sletning"
    grund = {"grund": "Borgerens anmodning (GDPR art. 17); sagen er afsluttet"}

    refused = httpx.post(url, headers=ADMIN, json=grund)
    assert refused.status_code == 422  # the case is open: the journal duty keeps it
    ophoer = {"ophoersdato": TODAY.isoformat(), "aarsag": "doedsfald"}
    assert httpx.post(f"{v}/sager/{sag_id}/ophoer", headers=VIS, json=ophoer).status_code == 201
    before = httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json()
    # Supervision shows the free text it received, and stores it only encrypted.
    data = supervision_data(t, sag_id)
    assert data["KlageOprettet"]["beskrivelse"] == KLAGE
    assert data["BesoegAflyst"]["aarsag"] == AFLYSNING
    assert stored_plain_text(stack, KLAGE, AFLYSNING, "Hjælp til bad") == []
    assert published(v, "KlageOprettet")["beskrivelse"] == KLAGE
    assert published(p, "BesoegAflyst")["aarsag"] == AFLYSNING
    # Supervision's own records about the case: an aktindsigt request and a finding.
    anmodning = httpx.post(
        f"{t}/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": ANMODER, "egenskab": "repraesentant", "omfang": "Hele sagen",
              "modtaget_dato": TODAY.isoformat()},
    )  # fmt: skip
    assert anmodning.status_code == 201, anmodning.text
    aktindsigt = f"{t}/aktindsigt/{anmodning.json()['anmodning_id']}"
    plan = {"leverandoer_id": "omsorg-plus-aps", "planlagt_dato": TODAY.isoformat()}
    besoeg = httpx.post(f"{t}/tilsyn/besoeg", headers=TIL, json=plan).json()
    tilsyn = f"{t}/tilsyn/besoeg/{besoeg['tilsyn_id']}"
    fund = {"sag_id": sag_id, "vurdering": "mindre_mangler", "beskrivelse": FUND}
    assert httpx.post(f"{tilsyn}/fund", headers=TIL, json=fund).status_code == 201
    assert stored_plain_text(stack, ANMODER, FUND) == []
    done = httpx.post(url, headers=ADMIN, json=grund)
    assert done.status_code == 200, done.text

    # Supervision's copy: the same free text reads as the placeholder once the running
    # service's key cache (BUM_KEYSTORE_CACHE_SECONDS, 1 s here) has expired, with no restart.
    eventually(lambda: supervision_data(t, sag_id)["KlageOprettet"]["beskrivelse"])
    data = supervision_data(t, sag_id)
    assert data["BesoegAflyst"]["aarsag"] == SLETTET_TEKST
    assert {a["beskrivelse"] for a in data["AnsoegningModtaget"]["anmodninger"]} == {SLETTET_TEKST}
    assert data["BesoegAflyst"]["aflyst_af"] == "borger"  # the rest of the envelope stays
    # Supervision's own records (issue 14): the request, its answer as JSON, HTML and PDF
    # (uncompressed: its bytes are searchable) and the inspection report. Reads through the
    # key store's erasure cache, as the case state below: wait for it here.
    eventually(lambda: httpx.get(aktindsigt, headers=TIL).json()["anmoder"])
    svar = f"{aktindsigt}/svar"
    for doc in (
        httpx.get(aktindsigt, headers=TIL).text,
        httpx.get(svar, headers=TIL).text,
        httpx.get(svar, headers=TIL, params={"format": "html"}).text,
        httpx.get(svar, headers=TIL, params={"format": "pdf"}).content.decode("latin-1"),
        httpx.get(tilsyn, headers=TIL).text,
        httpx.get(tilsyn, headers=TIL, params={"format": "pdf"}).content.decode("latin-1"),
    ):
        assert "Rasmussen" not in doc
    assert httpx.get(tilsyn, headers=TIL).json()["fund"][0]["beskrivelse"] == SLETTET_TEKST

    def klage_i_tilstand() -> str:
        tilstand = httpx.get(f"{t}/sager/{sag_id}/tilstand", headers=TIL)
        assert tilstand.status_code == 200
        return tilstand.text if KLAGE in tilstand.text else SLETTET_TEKST

    # The case state asks the key store per owner (the citizen, the case's own subject),
    # each answer kept for BUM_KEYSTORE_CACHE_SECONDS from when the requests above asked.
    eventually(klage_i_tilstand)
    # A late partner paging the published log gets the placeholder too.
    assert published(v, "KlageOprettet")["beskrivelse"] == SLETTET_TEKST
    eventually(lambda: published(p, "BesoegAflyst")["aarsag"])  # the provider's key cache

    # A full replay: a fresh visitation process rebuilds the case from its store alone.
    stack.services["visitation"].stop()
    stack.services["visitation"].start()
    stack.wait_healthy(names=("visitation",))
    after = httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json()
    assert after["borger"]["cpr"] == after["borger"]["navn"] == SLETTET_TEKST
    assert {a["beskrivelse"] for a in after["anmodninger"]} == {SLETTET_TEKST}
    assert after["klager"][0]["beskrivelse"] == SLETTET_TEKST
    for felt in ("version", "modtaget_dato", "ophoerte_bevillinger", "kvitterede_bestillinger"):
        assert after[felt] == before[felt], felt
    # The decision is intact but for its reasons, which describe the citizen.
    (afg,), (afg_foer,) = after["afgoerelser"], before["afgoerelser"]
    assert afg["bevillinger"] == afg_foer["bevillinger"]
    assert [u["resultat"] for u in afg["udfald"]] == [u["resultat"] for u in afg_foer["udfald"]]
    assert {u["begrundelse"] for u in afg["udfald"]} == {None, SLETTET_TEKST}

    r = httpx.post(
        f"{t}/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Borgerens værge", "modtaget_dato": TODAY.isoformat()},
    )
    assert r.status_code == 201, r.text
    svar = f"{t}/aktindsigt/{r.json()['anmodning_id']}/svar"
    as_json = httpx.get(svar, headers=TIL)
    assert as_json.status_code == 200 and as_json.json()
    assert KLAGE not in as_json.text and SLETTET_TEKST in as_json.text
    html = httpx.get(svar, headers=TIL, params={"format": "html"})
    assert html.status_code == 200 and "<html" in html.text.lower()
    pdf = httpx.get(svar, headers=TIL, params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Supervision's rebuild CLI replays its whole store and matches the running service.
    rebuild = subprocess.run(
        [sys.executable, "-m", "services.supervision.rebuild", "--live", t, "--quiet"],
        env={**stack.services["supervision"].env, "BUM_TOKEN": TIL["Authorization"][7:]},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
