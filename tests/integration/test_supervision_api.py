"""Supervision's HTTP API in-process (FastAPI TestClient) on both stores."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.supervision.wiring import build
from shared.infra.tid import idag
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_supervision_replay import feed, scenario

pytestmark = pytest.mark.integration
TIL = {**headers_for("tilsyn", "tilsyn-ole"), "X-Formaal": "tilsynsbesoeg"}


@pytest.fixture
def client_and_case(store_settings: SettingsFactory) -> tuple[TestClient, Any, list[Any]]:
    wiring = build(store_settings("supervision"))
    sag_id, v_events, p_events = scenario(store_settings)
    app = wiring.consumers[0].app
    feed(app, v_events + p_events)  # type: ignore[arg-type]
    return TestClient(wiring.api), sag_id, v_events


def test_history_state_and_access_log(client_and_case: tuple[TestClient, Any, list[Any]]) -> None:
    client, sag_id, v_events = client_and_case
    r = client.get(f"/sager/{sag_id}/historik", headers=TIL)
    assert r.status_code == 200, r.text
    assert r.json()["antal"] == 7
    first = r.json()["haendelser"][0]
    assert first["haendelse"] == "AnsoegningModtaget"
    assert first["hvem"]["rolle"] == "visitator" and first["lovgrundlag"]
    assert first["tidspunkt"] and first["registreret"]

    decided = next(e for e in v_events if e.event_type == "AfgoerelseTruffet").recorded_at
    r = client.get(f"/sager/{sag_id}/tilstand", headers=TIL, params={"as_of": decided.isoformat()})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "afgjort" and r.json()["besoeg"] == []
    r = client.get(f"/sager/{sag_id}/tilstand", headers=TIL, params={"as_of": "2100-01-01"})
    assert r.json()["besoeg_optalt"]["leveret"] == 1

    log = client.get(f"/sager/{sag_id}/adgangslog", headers=TIL).json()
    assert [o["endpoint"] for o in log["opslag"]] == [
        "historik",
        "tilstand",
        "tilstand",
        "adgangslog",
    ]
    assert log["opslag"][0]["hvem"] == {
        "id": "tilsyn-ole",
        "rolle": "tilsyn",
        "organisation": "kommunen",
    }
    assert log["opslag"][0]["formaal"] == "tilsynsbesoeg"


def test_figures_and_fingerprints(client_and_case: tuple[TestClient, Any, list[Any]]) -> None:
    client, _, _ = client_and_case
    tal = client.get("/tilsyn/tal", headers=TIL, params={"maaned": "2026-11"}).json()
    nov = tal["leverandoerer"]["omsorg-plus-aps"]["2026-11"]
    assert nov["leverede_besoeg"] == 1 and nov["aflysninger"] == {"borger": {"rettidig": 1}}
    assert set(tal["frister"]) <= {"2026-11"}
    assert client.get("/leveringsgrad", headers=TIL).json()[0]["leverede_minutter"] == 25
    html = client.get("/tilsyn/rapport/2026-11", headers=TIL)
    assert html.status_code == 200 and "<svg" in html.text and "omsorg-plus-aps" in html.text
    pdf = client.get("/tilsyn/rapport/2026-11", headers=TIL, params={"format": "pdf"})
    assert pdf.content.startswith(b"%PDF") and b"omsorg-plus-aps" in pdf.content
    assert client.get("/tilsyn/rapport/2026-13x", headers=TIL).status_code == 422
    fp = client.get("/tilsyn/projektioner", headers=TIL).json()
    assert fp["position"] > 0 and set(fp["projektioner"]) >= {"tilsynstal", "leveringsgrad"}


def test_problems(client_and_case: tuple[TestClient, Any, list[Any]]) -> None:
    client, sag_id, _ = client_and_case
    r = client.get(f"/sager/{sag_id}/tilstand", headers=TIL, params={"as_of": "igår"})
    assert r.status_code == 422 and r.json()["regel"] == "ugyldigt-tidspunkt"
    r = client.get("/sager/00000000-0000-0000-0000-000000000000/historik", headers=TIL)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"/sager/{sag_id}/historik").status_code == 401  # no token


def test_aktindsigt_request_answer_and_record(
    client_and_case: tuple[TestClient, Any, list[Any]],
) -> None:
    client, sag_id, _ = client_and_case
    r = client.post(
        f"/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Jens Hansen", "egenskab": "part", "modtaget_dato": "2026-12-21"},
    )
    assert r.status_code == 201, r.text
    anmodning = r.json()
    assert anmodning["frist"] == "2026-12-31" and anmodning["besvaret"] is None
    url = f"/aktindsigt/{anmodning['anmodning_id']}"

    svar = client.get(f"{url}/svar", headers=TIL).json()
    sections = {a["noegle"]: a["poster"] for a in svar["afsnit"]}
    assert len(sections["ansoegning"]) == 1 and len(sections["besoeg"]) == 3
    assert sections["bestilling"][0]["hvem"]["rolle"]
    assert svar["undtaget"] == []
    html = client.get(f"{url}/svar", headers=TIL, params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "Afgørelse truffet" in html.text
    pdf = client.get(f"{url}/svar", headers=TIL, params={"format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"Besvarelse" not in pdf.content

    # The answer as of before anything happened holds nothing but the request's frame.
    empty = client.get(f"{url}/svar", headers=TIL, params={"as_of": "2000-01-01"}).json()
    assert empty["antal_medtaget"] == 0

    r = client.post(f"{url}/besvarelse", headers=TIL)
    assert r.status_code == 201, r.text
    assert client.get(url, headers=TIL).json()["besvaret"]["medtaget"] == r.json()["antal_medtaget"]
    again = client.post(f"{url}/besvarelse", headers=TIL)
    assert again.status_code == 422 and again.json()["regel"] == "allerede-besvaret"
    log = client.get(f"/sager/{sag_id}/adgangslog", headers=TIL).json()
    assert [o["endpoint"] for o in log["opslag"]].count("aktindsigt") == 4


def test_inspection_with_seeded_sample_and_finding_in_aktindsigt(
    client_and_case: tuple[TestClient, Any, list[Any]],
) -> None:
    client, sag_id, _ = client_and_case
    plan = {
        "leverandoer_id": "omsorg-plus-aps",
        "varslet": False,
        "sted": "hjem",
        "planlagt_dato": "2026-11-20",
        "antal_borgere": 3,
        "seed": 11,
    }
    r = client.post("/tilsyn/besoeg", headers=TIL, json=plan)
    assert r.status_code == 201, r.text
    rapport = r.json()
    assert rapport["stikproeve"] == {"seed": 11, "kandidater": 1, "sager": [str(sag_id)]}
    again = client.post("/tilsyn/besoeg", headers=TIL, json=plan).json()
    assert again["stikproeve"] == rapport["stikproeve"]  # same seed, same sample
    url = f"/tilsyn/besoeg/{rapport['tilsyn_id']}"

    r = client.post(
        f"{url}/fund",
        headers=TIL,
        json={"sag_id": str(sag_id), "vurdering": "mindre_mangler", "beskrivelse": "Ingen ID"},
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"{url}/opfoelgning",
        headers=TIL,
        json={"beskrivelse": "ID-kort", "frist": "2026-12-01", "ansvarlig": "omsorg-plus-aps"},
    )
    punkt = r.json()["punkt_id"]
    assert (
        client.get(url, headers=TIL, params={"pr_dato": "2026-12-02"}).json()["opfoelgning"][0][
            "status"
        ]
        == "overskredet"
    )
    r = client.post(
        f"{url}/opfoelgning/{punkt}/lukning", headers=TIL, json={"lukket_dato": "2026-11-30"}
    )
    assert r.status_code == 200 and r.json()["lukket"]["dato"] == "2026-11-30"
    bad = client.post(f"{url}/fund", headers=TIL, json={"vurdering": "fint", "beskrivelse": "x"})
    assert bad.status_code == 422 and bad.json()["regel"] == "ukendt-vurdering"

    anmodning = client.post(
        f"/sager/{sag_id}/aktindsigt",
        headers=TIL,
        json={"anmoder": "Jens Hansen", "modtaget_dato": "2026-12-01"},
    ).json()
    svar = client.get(f"/aktindsigt/{anmodning['anmodning_id']}/svar", headers=TIL).json()
    tilsyn = next(a for a in svar["afsnit"] if a["noegle"] == "tilsyn")["poster"]
    assert [p["linjer"] for p in tilsyn] == [["Ingen ID"]]


def test_inspection_input_is_checked(client_and_case: tuple[TestClient, Any, list[Any]]) -> None:
    """Regression (issue 20, item 3): a finding was accepted on another provider's case and
    on an id that exists nowhere, an unknown provider's inspection was planned, and a
    follow-up was closed on a date in the future."""
    client, sag_id, _ = client_and_case

    def plan(leverandoer_id: str) -> Any:
        body = {"leverandoer_id": leverandoer_id, "planlagt_dato": "2026-11-20", "seed": 3}
        return client.post("/tilsyn/besoeg", headers=TIL, json=body)

    ukendt = plan("findes-ikke-aps")
    assert ukendt.status_code == 422 and ukendt.json()["regel"] == "ukendt-leverandoer"
    assert ukendt.json()["type"] == "urn:bum:regel:ukendt-leverandoer"
    # Approved in the register but without cases yet: known, an empty sample.
    andet = plan("rent-hjem-as")
    assert andet.status_code == 201 and andet.json()["stikproeve"]["sager"] == []
    eget = plan("omsorg-plus-aps").json()
    assert eget["stikproeve"]["sager"] == [str(sag_id)]

    def fund(tilsyn: dict[str, Any], sag: Any) -> Any:
        body = {"sag_id": str(sag), "vurdering": "kritisk", "beskrivelse": "x"}
        return client.post(f"/tilsyn/besoeg/{tilsyn['tilsyn_id']}/fund", headers=TIL, json=body)

    for tilsyn, sag in ((andet.json(), sag_id), (eget, uuid4())):  # other's case, no case
        r = fund(tilsyn, sag)
        assert r.status_code == 422 and r.json()["regel"] == "fund-uden-for-stikproeve", r.text
    assert fund(eget, sag_id).status_code == 201

    url = f"/tilsyn/besoeg/{eget['tilsyn_id']}/opfoelgning"
    punkt = {"beskrivelse": "Plan", "frist": "2026-12-31", "ansvarlig": "leder"}
    punkt_id = client.post(url, headers=TIL, json=punkt).json()["punkt_id"]
    i_morgen = (idag() + timedelta(days=1)).isoformat()
    r = client.post(f"{url}/{punkt_id}/lukning", headers=TIL, json={"lukket_dato": i_morgen})
    assert r.status_code == 422 and r.json()["regel"] == "lukning-i-fremtiden"
    r = client.post(f"{url}/{punkt_id}/lukning", headers=TIL, json={"lukket_dato": str(idag())})
    assert r.status_code == 200, r.text


def test_a_parked_case_is_an_error_row_beside_the_others(store_settings: SettingsFactory) -> None:
    """Issue 14: one case supervision could not apply must not hide the list, nor vanish
    from it silently. The consumer parks it (shared/infra/consumer.py); /sager lists the
    healthy cases and the parked one with its error."""
    wiring = build(store_settings("supervision"))
    sag_id, v_events, p_events = scenario(store_settings)
    feed(wiring.consumers[0].app, v_events + p_events)  # type: ignore[arg-type]
    with TestClient(wiring.api) as c:
        assert c.get("/sager", headers=TIL).json()["fejl"] == []
        kaputt = "11111111-1111-1111-1111-111111111111"
        wiring.consumers[0].parked[f"visitation/{kaputt}"] = {
            "case_sequence": 3,
            "error": "OverflowError('date value out of range')",
        }
        r = c.get("/sager", headers=TIL)
    assert r.status_code == 200
    assert [s["sag_id"] for s in r.json()["sager"]] == [str(sag_id)]
    assert r.json()["fejl"] == [
        {"sag_id": kaputt, "fejl": "OverflowError('date value out of range')"}
    ]
