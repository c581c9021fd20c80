"""Provider flow over HTTP: order → plan → delivery → provider cancellation → replacement
within the deadline, and one replacement that misses it (LeveringSvigtet to supervision
and visitation); then a relative's self-service under a recorded fuldmagt."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from infra.local.stack import SERVICES, LocalStack
from tests.e2e.test_bum_flow import E2E_NU, LEV, TIL, TODAY, VIS, eventually, stack  # noqa: F401
from tests.identity import headers_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_replacement_within_and_past_deadline(stack: LocalStack) -> None:  # noqa: F811
    v, p, t = (stack.services[n].url for n in SERVICES)
    today = TODAY
    r = httpx.post(
        f"{v}/sager",
        headers=VIS,
        json={
            "borger": {"cpr": "020250-4321", "navn": "Else Jensen"},
            "modtaget_dato": today.isoformat(),
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": "Morgenpleje", "kategori": "personlig"}],
        },
    )
    assert r.status_code == 201, r.text
    sag_id, a1 = r.json()["sag_id"], r.json()["anmodninger"][0]["anmodning_id"]
    r = httpx.post(
        f"{v}/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={
            "vurderet_dato": today.isoformat(),
            "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}],
        },
    )
    assert r.status_code == 201, r.text
    r = httpx.post(  # § 83, stk. 3: the § 83 a consideration before a § 83 grant
        f"{v}/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={
            "vurderet_dato": today.isoformat(),
            "kan_forbedre_funktionsevne": False,
            "begrundelse": "Varigt nedsat funktionsevne.",
        },
    )
    assert r.status_code == 201, r.text
    r = httpx.post(
        f"{v}/sager/{sag_id}/afgoerelse",
        headers=VIS,
        json={
            "truffet_dato": today.isoformat(),
            "udfald": [{"anmodning_id": a1, "resultat": "bevilget"}],
            "bevillinger": [
                {
                    "anmodning_id": a1,
                    "indsats_kode": "H1.1",
                    "indsats_navn": "Personlig pleje",
                    "kategori": "personlig",
                    "hyppighed": {"antal": 1, "periode": "dag"},  # a visit today, too
                    "minutter_pr_besoeg": 20,
                    "leverandoer_id": "omsorg-plus-aps",
                    "startdato": today.isoformat(),
                }
            ],
        },
    )
    assert r.status_code == 201, r.text

    # Order → plan: 28 daily visits arrive through Kafka.
    visits = eventually(
        lambda: httpx.get(f"{p}/leverandoerer/omsorg-plus-aps/besoeg", headers=LEV).json(),
        lambda vs: len(vs) == 28,
    )
    order = visits[0]["bestilling_id"]
    v0, v1, v2 = (x["besoeg_id"] for x in visits[:3])
    other = headers_for("leverandoer", "sosu-ib", leverandoer_id="hjemmeplejen-nord")
    r = httpx.get(f"{p}/bestillinger/{order}", headers=other)
    assert r.status_code == 404  # another provider's order looks like an unknown id

    now = E2E_NU.isoformat()
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{v0}/levering",
        headers=LEV,
        json={
            "leveret_tidspunkt": now,
            "faktiske_minutter": 22,
            "medarbejder_id": "sosu-maria",
            "detaljer": {"kanal": "fysisk", "opgaver_udfoert": ["bad", "paaklaedning"]},
        },
    )
    assert r.status_code == 201, r.text

    # Provider cancels tomorrow's visit: a replacement is owed within 8 days.
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{v1}/aflysning",
        headers=LEV,
        json={"aflyst_af": "leverandoer", "aarsag": "Sygdom i personalet", "aflyst_tidspunkt": now},
    )
    assert r.status_code == 201, r.text
    frist1 = today + timedelta(days=9)
    assert r.json()["erstatning_skyldig"] is True
    assert r.json()["erstatningsfrist"] == frist1.isoformat()
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{v1}/erstatning",
        headers=LEV,
        json={"dato": (frist1 + timedelta(days=1)).isoformat(), "tidsvindue": "eftermiddag"},
    )
    assert r.status_code == 422 and r.json()["regel"] == "erstatning-efter-frist"
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{v1}/erstatning",
        headers=LEV,
        json={"dato": today.isoformat(), "tidsvindue": "eftermiddag"},
    )
    assert r.status_code == 201, r.text
    replacement = r.json()["besoeg_id"]
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{replacement}/levering",
        headers=LEV,
        json={"leveret_tidspunkt": now, "faktiske_minutter": 20, "medarbejder_id": "sosu-maria"},
    )
    assert r.status_code == 201, r.text

    # Provider cancels the visit after; its replacement is planned but never delivered.
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{v2}/aflysning",
        headers=LEV,
        json={"aflyst_af": "leverandoer", "aarsag": "Bil i stykker", "aflyst_tidspunkt": now},
    )
    assert r.status_code == 201, r.text
    frist2 = date.fromisoformat(r.json()["erstatningsfrist"])
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{v2}/erstatning",
        headers=LEV,
        json={"dato": today.isoformat(), "tidsvindue": "aften"},
    )
    assert r.status_code == 201, r.text

    # The deadline check "as of" a given day: the last day itself is still in time.
    check = f"{p}/leverandoerer/omsorg-plus-aps/fristkontrol"
    r = httpx.post(check, headers=LEV, json={"dato": frist2.isoformat()})
    assert r.status_code == 200 and r.json()["leveringssvigt"] == []
    r = httpx.post(check, headers=LEV, json={"dato": (frist2 + timedelta(days=1)).isoformat()})
    assert r.json()["leveringssvigt"] == [{"bestilling_id": order, "besoeg_id": v2}]
    r = httpx.post(check, headers=LEV, json={"dato": (frist2 + timedelta(days=2)).isoformat()})
    assert r.json()["leveringssvigt"] == []  # reported once

    history = eventually(
        lambda: httpx.get(f"{t}/sager/{sag_id}/historik", headers=TIL).json(),
        lambda h: any(e["haendelse"] == "LeveringSvigtet" for e in h.get("haendelser", [])),
    )
    kinds = [e["haendelse"] for e in history["haendelser"]]
    assert kinds.count("ErstatningsbesoegPlanlagt") == 2
    assert kinds.count("BesoegAflyst") == 2 and kinds.count("IndsatsLeveret") == 2
    (svigt,) = [e for e in history["haendelser"] if e["haendelse"] == "LeveringSvigtet"]
    assert svigt["hvem"]["id"] == "sosu-maria" and "90" in svigt["lovgrundlag"]

    # Visitation sees the delivery failure on the case too (§ 90 follow-up).
    sag = eventually(
        lambda: httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json(),
        lambda s: any(x["besoeg_id"] == v2 for x in s.get("leveringssvigt", [])),
    )

    # Self-service by a relative: only under a fuldmagt visitation recorded, which reaches
    # the provider through Kafka; after its revocation travels the same way, refused again.
    borger_id = sag["borger"]["borger_id"]
    datter = headers_for("borger", "mitid:datter-karen", fuldmagt_for=[borger_id])
    mine = f"{p}/borgere/{borger_id}/besoeg"
    assert httpx.get(mine, headers=datter).status_code == 403
    r = httpx.post(
        f"{v}/borgere/{borger_id}/fuldmagter",
        headers=VIS,
        json={
            "fuldmagtshaver": "mitid:datter-karen",
            "omfang": ["se_og_aflyse_besoeg"],
            "gyldig_fra": today.isoformat(),
        },
    )
    assert r.status_code == 201, r.text
    fuldmagt_id = r.json()["fuldmagt_id"]
    coming = eventually(lambda: httpx.get(mine, headers=datter), lambda r: r.status_code == 200)
    last = coming.json()[-1]["besoeg_id"]
    r = httpx.post(f"{mine}/{last}/aflysning", headers=datter, json={"aarsag": "Ferie"})
    assert r.status_code == 201 and r.json()["rettidig"] is True, r.text
    r = httpx.post(
        f"{v}/borgere/{borger_id}/fuldmagter/{fuldmagt_id}/tilbagekaldelse", headers=VIS, json={}
    )
    assert r.status_code == 200, r.text
    eventually(lambda: httpx.get(mine, headers=datter), lambda r: r.status_code == 403)
    history = eventually(
        lambda: httpx.get(f"{t}/sager/{sag_id}/historik", headers=TIL).json(),
        lambda h: [e["haendelse"] for e in h["haendelser"]].count("BesoegAflyst") == 3,
    )
    aflyst = [e for e in history["haendelser"] if e["haendelse"] == "BesoegAflyst"][-1]
    assert aflyst["hvem"]["id"] == "mitid:datter-karen"
