"""The access log across the three processes (PostgreSQL, Tansu): a provider and a
visitator read a case through their services' APIs; supervision's log, its search and the
citizen's aktindsigt show both reads with role and organisation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infra.local.stack import SERVICES, LocalStack
from tests.e2e.test_bum_flow import LEV, TIL, TODAY, VIS, eventually, stack
from tests.identity import headers_for
from tests.integration.test_adgangslog_alle_ruter import ALLE_RUTER

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
__all__ = ["stack"]  # the fixture, imported for pytest


def _decided_case(v: str) -> str:
    today = TODAY.isoformat()
    r = httpx.post(
        f"{v}/sager",
        headers=VIS,
        json={
            "borger": {"cpr": "020250-2345", "navn": "Else Jensen"},
            "modtaget_dato": today,
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": "Hjælp til bad", "kategori": "personlig"}],
        },
    )
    assert r.status_code == 201, r.text
    sag_id, anmodning = r.json()["sag_id"], r.json()["anmodninger"][0]["anmodning_id"]
    for path, body in (
        (
            "funktionsvurderinger",
            {"vurderet_dato": today, "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]},
        ),
        (
            "rehabiliteringsvurdering",
            {
                "vurderet_dato": today,
                "kan_forbedre_funktionsevne": False,
                "begrundelse": "Varigt nedsat funktionsevne.",
            },
        ),
        (
            "afgoerelse",
            {
                "truffet_dato": today,
                "udfald": [{"anmodning_id": anmodning, "resultat": "bevilget"}],
                "bevillinger": [
                    {
                        "anmodning_id": anmodning,
                        "indsats_kode": "H1.3",
                        "indsats_navn": "Bad",
                        "kategori": "personlig",
                        "hyppighed": {"antal": 2, "periode": "uge"},
                        "minutter_pr_besoeg": 30,
                        "leverandoer_id": "omsorg-plus-aps",
                        "startdato": today,
                    }
                ],
                "klagevejledning": "Du kan klage inden 4 uger.",
            },
        ),
    ):
        r = httpx.post(f"{v}/sager/{sag_id}/{path}", headers=VIS, json=body)
        assert r.status_code == 201, r.text
    return str(sag_id)


def test_reads_in_visitation_and_provider_reach_supervision(stack: LocalStack) -> None:
    v, p, t = (stack.services[n].url for n in SERVICES)
    sag_id = _decided_case(v)
    ordrer = eventually(
        lambda: httpx.get(f"{p}/leverandoerer/omsorg-plus-aps/bestillinger", headers=LEV).json(),
        lambda o: len(o) == 1,
    )
    # The two reads the test is about, each with its purpose.
    r = httpx.get(
        f"{p}/bestillinger/{ordrer[0]['bestilling_id']}",
        headers=LEV,
        params={"formaal": "levering"},
    )
    assert r.status_code == 200, r.text
    r = httpx.get(f"{v}/sager/{sag_id}", headers=VIS, params={"formaal": "opfoelgning"})
    assert r.status_code == 200, r.text
    borger_id = r.json()["borger"]["borger_id"]

    def begge(log: dict[str, Any]) -> bool:
        formaal = {o.get("formaal") for o in log.get("opslag", [])}
        return {"levering", "opfoelgning"} <= formaal

    log = eventually(
        lambda: httpx.get(f"{t}/adgangslog", headers=TIL, params={"sag_id": sag_id}).json(),
        begge,
        timeout=60,
    )
    laest = {o["formaal"]: o for o in log["opslag"] if o["formaal"]}
    assert laest["levering"]["tjeneste"] == "provider"
    assert laest["levering"]["endpoint"] == "bestilling"
    assert laest["levering"]["hvem"] == {
        "id": "sosu-maria",
        "rolle": "leverandoer",
        "organisation": "omsorg-plus-aps",
    }
    assert laest["opfoelgning"]["tjeneste"] == "visitation"
    assert laest["opfoelgning"]["hvem"]["rolle"] == "visitator"
    assert laest["opfoelgning"]["hvem"]["organisation"] == "kommunen"
    assert all(o["borger_id"] == borger_id for o in laest.values())
    assert "020250" not in str(log)

    # The case's own log (also the citizen's) lists them too, with supervision's own read.
    egen = httpx.get(f"{t}/sager/{sag_id}/adgangslog", headers=TIL).json()["opslag"]
    assert {"visitation", "provider", "supervision"} <= {o["tjeneste"] for o in egen}

    r = httpx.post(
        f"{t}/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Else Jensen", "modtaget_dato": TODAY.isoformat()},
    )
    assert r.status_code == 201, r.text
    svar = httpx.get(f"{t}/aktindsigt/{r.json()['anmodning_id']}/svar", headers=TIL).json()
    poster = next(a for a in svar["afsnit"] if a["noegle"] == "adgang")["poster"]
    linjer = {p["linjer"][0] for p in poster}
    assert "sosu-maria (leverandoer, omsorg-plus-aps), formål: levering" in linjer
    assert any(linje.endswith("(visitator, kommunen), formål: opfoelgning") for linje in linjer)
    pdf = httpx.get(
        f"{t}/aktindsigt/{r.json()['anmodning_id']}/svar", headers=TIL, params={"format": "pdf"}
    )
    assert pdf.status_code == 200 and b"sosu-maria" in pdf.content

    # Issue 20: a read through every route showing this citizen's data, in all three
    # services, names both the citizen and the case: supervision's log searched by either
    # lists the same reads (a search is itself a logged read, so searches are left aside).
    anmodning = httpx.get(f"{t}/aktindsigt/{r.json()['anmodning_id']}", headers=TIL)
    assert anmodning.status_code == 200, anmodning.text
    _every_route_read(v, p, t, sag_id, borger_id, ordrer[0]["bestilling_id"])

    def soeg(**params: str) -> list[dict[str, Any]]:
        opslag = httpx.get(f"{t}/adgangslog", headers=TIL, params=params).json()["opslag"]
        return [o for o in opslag if o["endpoint"] != "soeg_adgangslog"]

    alle = eventually(
        lambda: soeg(sag_id=sag_id),
        lambda opslag: {(o["tjeneste"], o["endpoint"]) for o in opslag} >= ALLE_RUTER,
        timeout=60,
    )
    assert alle == soeg(borger_id=borger_id)
    assert all(o["sag_id"] == sag_id and o["borger_id"] == borger_id for o in alle)


def _every_route_read(v: str, p: str, t: str, sag_id: str, borger_id: str, ordre: str) -> None:
    def get(url: str, headers: dict[str, str], **params: Any) -> Any:
        r = httpx.get(url, headers=headers, params=params)
        assert r.status_code == 200, (url, r.text)
        return r.json() if "json" in r.headers.get("content-type", "") else r.content

    # A complaint opens a deadline, so the work list shows the case.
    klage = {"klagetype": "afgoerelse", "modtaget_dato": TODAY.isoformat(), "beskrivelse": "Mere"}
    assert httpx.post(f"{v}/sager/{sag_id}/klager", headers=VIS, json=klage).status_code == 201
    get(f"{v}/sager/{sag_id}/frister", VIS)
    assert get(f"{v}/arbejdsliste", VIS, horisont_dage=365)
    get(f"{v}/sager/{sag_id}/forslag", VIS)
    get(f"{v}/sager/{sag_id}/afgoerelser/1/brev.html", VIS)
    get(f"{v}/sager/{sag_id}/afgoerelser/1/brev.pdf", VIS)
    get(f"{v}/borgere/{borger_id}/fuldmagter", VIS)
    get(f"{p}/leverandoerer/omsorg-plus-aps/bestillinger", LEV)
    get(f"{p}/bestillinger/{ordre}", LEV)
    besoeg = eventually(
        lambda: get(f"{p}/leverandoerer/omsorg-plus-aps/besoeg", LEV), lambda b: len(b) > 0
    )
    dato = min(b["dato"] for b in besoeg)
    get(f"{p}/leverandoerer/omsorg-plus-aps/koereliste", LEV, dato=dato)
    get(f"{p}/leverandoerer/omsorg-plus-aps/koereliste.csv", LEV, dato=dato)
    get(f"{p}/borgere/{borger_id}/besoeg", headers_for("borger", borger_id=borger_id))
    noter = f"{p}/bestillinger/{ordre}/besoeg/{besoeg[0]['besoeg_id']}/notater"
    notat = {"medarbejder_id": "sosu-maria", "tekst": "Hjalp med bad"}
    assert httpx.post(noter, headers=LEV, json=notat).status_code == 201
    get(noter, LEV)
    get(f"{t}/sager/{sag_id}/historik", TIL)
    get(f"{t}/sager/{sag_id}/tilstand", TIL)
    plan = {"leverandoer_id": "omsorg-plus-aps", "planlagt_dato": TODAY.isoformat(), "seed": 1}
    tilsyn = httpx.post(f"{t}/tilsyn/besoeg", headers=TIL, json=plan)
    assert tilsyn.status_code == 201 and tilsyn.json()["stikproeve"]["sager"] == [sag_id]
    get(f"{t}/tilsyn/besoeg/{tilsyn.json()['tilsyn_id']}", TIL)
