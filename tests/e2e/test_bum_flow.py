"""The whole BUM flow over HTTP: three service processes on PostgreSQL and a Tansu broker."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.local._net import free_port
from infra.local.broker import TansuBroker
from infra.local.stack import SERVICES, LocalStack
from tests.conftest import Postgres
from tests.identity import headers_for
from tests.ur import E2E_NU, TODAY

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

VIS = headers_for("visitator", "vis-anne")
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")
TIL = headers_for("tilsyn", "tilsyn-ole")


@pytest.fixture
def stack(postgres: Postgres, broker: TansuBroker, tmp_path: Path) -> Iterator[LocalStack]:
    s = LocalStack(
        bootstrap=broker.bootstrap,
        data_dir=tmp_path,
        ports={name: free_port() for name in SERVICES},
        database_urls={name: postgres.new_database(f"bum_{name}") for name in SERVICES},
        clock=E2E_NU,
    )
    try:
        s.start(timeout=60)
        yield s
    finally:
        s.stop()


def eventually(fetch: Callable[[], Any], ok: Callable[[Any], bool], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout}s; last value: {value}")
        time.sleep(0.3)


def test_application_to_supervision(stack: LocalStack) -> None:
    v, p, t = (stack.services[n].url for n in SERVICES)
    today = TODAY.isoformat()
    for url in (v, p, t):
        assert httpx.get(f"{url}/openapi.json").status_code == 200

    r = httpx.post(
        f"{v}/sager",
        headers=VIS,
        json={
            "borger": {"cpr": "010140-1234", "navn": "Jens Hansen"},
            "modtaget_dato": today,
            "kanal": "telefon",
            "henvendelse_fra": "paaroerende",
            "anmodninger": [
                {"beskrivelse": "Hjælp til bad", "kategori": "personlig"},
                {"beskrivelse": "Rengøring", "kategori": "praktisk"},
            ],
        },
    )
    assert r.status_code == 201, r.text
    sag = r.json()
    sag_id, (a1, a2) = sag["sag_id"], [a["anmodning_id"] for a in sag["anmodninger"]]
    # A relative applied: the citizen confirms the case before it is assessed.
    r = httpx.post(
        f"{v}/sager/{sag_id}/samtykke",
        headers=VIS,
        json={"dato": today, "indforstaaet": True, "bemaerkning": "Bekræftet pr. telefon."},
    )
    assert r.status_code == 201, r.text
    r = httpx.post(
        f"{v}/sager/{sag_id}/funktionsvurderinger",
        headers=VIS,
        json={"vurderet_dato": today, "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]},
    )
    assert r.status_code == 201, r.text
    decision = {
        "truffet_dato": today,
        "udfald": [
            {"anmodning_id": a1, "resultat": "bevilget"},
            {"anmodning_id": a2, "resultat": "afslag", "begrundelse": "Kan selv."},
        ],
        "bevillinger": [
            {
                "anmodning_id": a1,
                "indsats_kode": "H1.3",
                "indsats_navn": "Bad",
                "kategori": "personlig",
                "hyppighed": {"antal": 2, "periode": "uge"},
                "minutter_pr_besoeg": 30,
                "leverandoer_id": "omsorg-plus-aps",
                "startdato": today,
            }
        ],
    }
    r = httpx.post(f"{v}/sager/{sag_id}/afgoerelse", headers=VIS, json=decision)
    assert r.status_code == 422 and r.json()["regel"] == "afslag-kraever-klagevejledning"
    decision["klagevejledning"] = "Du kan klage inden 4 uger."
    r = httpx.post(f"{v}/sager/{sag_id}/afgoerelse", headers=VIS, json=decision)
    assert r.status_code == 422 and r.json()["regel"] == "83a-vurdering-foer-83"
    r = httpx.post(
        f"{v}/sager/{sag_id}/rehabiliteringsvurdering",
        headers=VIS,
        json={
            "vurderet_dato": today,
            "kan_forbedre_funktionsevne": False,
            "begrundelse": "Varigt nedsat funktionsevne; træning kan ikke ændre den.",
        },
    )
    assert r.status_code == 201, r.text
    r = httpx.post(f"{v}/sager/{sag_id}/afgoerelse", headers=VIS, json=decision)
    assert r.status_code == 201, r.text

    visits = eventually(
        lambda: httpx.get(f"{p}/leverandoerer/omsorg-plus-aps/besoeg", headers=LEV).json(),
        lambda vs: len(vs) == 8,
    )
    order, first, second = (
        visits[0]["bestilling_id"],
        visits[0]["besoeg_id"],
        visits[1]["besoeg_id"],
    )
    now = E2E_NU.isoformat()
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{first}/levering",
        headers=LEV,
        json={"leveret_tidspunkt": now, "faktiske_minutter": 25, "medarbejder_id": "sosu-maria"},
    )
    assert r.status_code == 201, r.text
    r = httpx.post(
        f"{p}/bestillinger/{order}/besoeg/{second}/aflysning",
        headers=LEV,
        json={"aflyst_af": "borger", "aarsag": "Hos lægen", "aflyst_tidspunkt": now},
    )
    assert r.status_code == 201 and r.json()["rettidig"] is True
    borger_id = httpx.get(f"{v}/sager/{sag_id}", headers=VIS).json()["borger"]["borger_id"]
    r = httpx.post(
        f"{v}/sager/{sag_id}/klager",
        headers=headers_for("borger", borger_id=borger_id),
        json={
            "klagetype": "afgoerelse",
            "modtaget_dato": today,
            "beskrivelse": "Jeg kan ikke selv gøre rent.",
        },
    )
    assert r.status_code == 201 and r.json()["for_sent"] is False

    expected = [
        "AnsoegningModtaget",
        "SamtykkeRegistreret",
        "FunktionsvurderingRegistreret",
        "AfgoerelseTruffet",
        "BestillingModtaget",
        "BesoegPlanlagt",
        "BestillingKvitteret",
        "IndsatsLeveret",
        "BesoegAflyst",
        "KlageOprettet",
    ]
    history = eventually(
        lambda: httpx.get(f"{t}/sager/{sag_id}/historik", headers=TIL).json(),
        lambda h: h.get("antal") == len(expected),
    )
    events = history["haendelser"]
    assert sorted(e["haendelse"] for e in events) == sorted(expected)
    assert events[0]["haendelse"] == "AnsoegningModtaget"
    assert all(e["hvem"]["id"] and e["lovgrundlag"] for e in events)
    by_type = {e["haendelse"]: e for e in events}
    assert by_type["IndsatsLeveret"]["hvem"]["id"] == "sosu-maria"
    assert by_type["KlageOprettet"]["kilde"] == "visitation"
    assert "010140" not in str(history)  # public events carry the pseudonym only

    figures = httpx.get(f"{t}/leveringsgrad", headers=TIL).json()
    assert figures == [
        {
            "leverandoer_id": "omsorg-plus-aps",
            "bevilgede_minutter_pr_uge": 60,
            "planlagte_besoeg": 8,
            "planlagte_minutter": 240,
            "leverede_besoeg": 1,
            "leverede_minutter": 25,
            "aflyste_besoeg": {"borger": 1},
            "leveringsgrad": 0.417,
        }
    ]
