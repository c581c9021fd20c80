"""After the whole flow, an administrator erases the citizen (their case ended, retention
set to 0 for the test): a fresh visitation process replays the case with placeholders for
CPR, name and notes while the rest is intact, supervision's aktindsigt still renders, and
supervision's rebuild CLI replays its store to the same read models."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import httpx
import pytest

from infra.local.stack import SERVICES, LocalStack
from shared.kernel.personoplysning import SLETTET_TEKST
from tests.e2e.test_bum_flow import (
    TIL,
    VIS,
    stack,  # noqa: F401  (the running services)
)
from tests.e2e.test_bum_flow import test_application_to_supervision as bum_flow
from tests.identity import headers_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
ADMIN = headers_for("administrator", "admin-ole")


@pytest.fixture
def ingen_opbevaring(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services inherit the environment: no retention period, so the case may go now."""
    monkeypatch.setenv("BUM_OPBEVARING_AAR", "0")


def test_erasure_after_the_flow(ingen_opbevaring: None, stack: LocalStack) -> None:  # noqa: F811
    bum_flow(stack)
    v, _p, t = (stack.services[n].url for n in SERVICES)
    sag_id = httpx.get(f"{t}/sager", headers=TIL).json()["sager"][0]["sag_id"]
    borger_id = httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json()["borger"]["borger_id"]
    url = f"{v}/borgere/{borger_id}/sletning"
    grund = {"grund": "Borgerens anmodning (GDPR art. 17); sagen er afsluttet"}

    refused = httpx.post(url, headers=ADMIN, json=grund)
    assert refused.status_code == 422  # the case is open: the journal duty keeps it
    ophoer = {"ophoersdato": date.today().isoformat(), "aarsag": "doedsfald"}
    assert httpx.post(f"{v}/sager/{sag_id}/ophoer", headers=VIS, json=ophoer).status_code == 201
    before = httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json()
    done = httpx.post(url, headers=ADMIN, json=grund)
    assert done.status_code == 200, done.text

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
        json={"anmoder": "Borgerens værge", "modtaget_dato": date.today().isoformat()},
    )
    assert r.status_code == 201, r.text
    svar = f"{t}/aktindsigt/{r.json()['anmodning_id']}/svar"
    as_json = httpx.get(svar, headers=TIL)
    assert as_json.status_code == 200 and as_json.json()
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
