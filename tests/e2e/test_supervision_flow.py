"""After the whole BUM flow over HTTP, supervision answers with figures, the case as of a
moment, an aktindsigt PDF and the access log (three processes, PostgreSQL, Tansu)."""

from __future__ import annotations

import httpx
import pytest

from infra.local.stack import SERVICES, LocalStack
from tests.e2e.test_bum_flow import TIL, TODAY, stack
from tests.e2e.test_bum_flow import test_application_to_supervision as bum_flow

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
__all__ = ["stack"]  # the fixture, imported for pytest


def test_supervision_after_the_flow(stack: LocalStack) -> None:
    bum_flow(stack)  # the scenario, with its own checks
    t = stack.services[SERVICES[2]].url
    cases = httpx.get(f"{t}/sager", headers=TIL).json()
    # The scenario's 9 events plus the citizen's confirmation of the relative's application.
    assert cases["antal"] == 1 and cases["sager"][0]["haendelser"] == 10
    sag_id = cases["sager"][0]["sag_id"]
    month = TODAY.isoformat()[:7]

    tal = httpx.get(f"{t}/tilsyn/tal", headers=TIL).json()
    figures = tal["leverandoerer"]["omsorg-plus-aps"]
    delivered = sum(m["leverede_minutter"] for m in figures.values())
    assert delivered == 25
    assert sum(sum(m["aflysninger"].get("borger", {}).values()) for m in figures.values()) == 1
    assert figures[month]["bevilgede_minutter"] > 0
    assert tal["frister"][month]["afgoerelser"] == 1

    history = httpx.get(f"{t}/sager/{sag_id}/historik", headers=TIL).json()["haendelser"]
    decided = next(h for h in history if h["haendelse"] == "AfgoerelseTruffet")["registreret"]
    then = httpx.get(f"{t}/sager/{sag_id}/tilstand", headers=TIL, params={"as_of": decided})
    assert then.status_code == 200, then.text
    assert then.json()["status"] == "afgjort" and then.json()["besoeg"] == []
    now = httpx.get(f"{t}/sager/{sag_id}/tilstand", headers=TIL).json()
    assert now["besoeg_optalt"] == {"aflyst": 1, "leveret": 1, "planlagt": 6}
    assert len(now["klager"]) == 1

    r = httpx.post(
        f"{t}/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Jens Hansen", "modtaget_dato": TODAY.isoformat()},
    )
    assert r.status_code == 201, r.text
    pdf = httpx.get(
        f"{t}/aktindsigt/{r.json()['anmodning_id']}/svar", headers=TIL, params={"format": "pdf"}
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for text in (
        b"Aktindsigt i din sag",
        b"Bestilling sendt til omsorg-plus-aps",
        b"Hos l",
        b"Din bekr",  # the confirmation is in the citizen's file too
    ):
        assert text in pdf.content
    assert b"010140" not in pdf.content

    log = httpx.get(f"{t}/sager/{sag_id}/adgangslog", headers=TIL).json()["opslag"]
    assert {o["endpoint"] for o in log} >= {"historik", "tilstand", "aktindsigt"}
    # Supervision's own reads were all tilsyn's; the log now also lists the other services'
    # reads of the citizen's data (the visitator's and the provider's in the flow).
    assert all(o["hvem"]["id"] == "tilsyn-ole" for o in log if o["tjeneste"] == "supervision")
