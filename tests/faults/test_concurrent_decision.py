"""Two visitators decide on the same case at the same moment, over HTTP against the running
service on PostgreSQL: exactly one decision is stored, the other visitator gets 409.

"At the same moment" is made certain rather than hoped for: the test holds visitation's
event table in EXCLUSIVE mode (reads go on, writes wait), sends both requests, and waits
until the service's /health shows both decisions waiting to be committed. Both were made on
the same version of the case, so only the optimistic-concurrency check can tell them apart.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.faults.harness import FaultStack, fault_stack, wait_for
from tests.identity import headers_for
from tests.ur import TODAY

ANNE = headers_for("visitator", "vis-anne")
BO = headers_for("visitator", "vis-bo")
DAG = TODAY.isoformat()


def case_ready_for_decision(v: str, i: int) -> tuple[str, str]:
    r = httpx.post(
        f"{v}/sager",
        headers=ANNE,
        json={
            "borger": {"cpr": f"020240-{i:04d}", "navn": "Else Jensen"},
            "modtaget_dato": DAG,
            "kanal": "telefon",
            "henvendelse_fra": "borger",
            "anmodninger": [{"beskrivelse": "Hjælp til bad", "kategori": "personlig"}],
        },
        timeout=30,
    )
    assert r.status_code == 201, r.text
    sag_id, anmodning_id = r.json()["sag_id"], r.json()["anmodninger"][0]["anmodning_id"]
    for path, body in (
        (
            "funktionsvurderinger",
            {"vurderet_dato": DAG, "funktionsniveauer": [{"omraade": "B1-3", "niveau": 3}]},
        ),
        (
            "rehabiliteringsvurdering",
            {
                "vurderet_dato": DAG,
                "kan_forbedre_funktionsevne": False,
                "begrundelse": "Varigt nedsat funktionsevne.",
            },
        ),
    ):
        r = httpx.post(f"{v}/sager/{sag_id}/{path}", headers=ANNE, json=body, timeout=30)
        assert r.status_code == 201, r.text
    return sag_id, anmodning_id


def decision(anmodning_id: str, minutter: int) -> dict[str, Any]:
    return {
        "truffet_dato": DAG,
        "udfald": [{"anmodning_id": anmodning_id, "resultat": "bevilget"}],
        "bevillinger": [
            {
                "anmodning_id": anmodning_id,
                "indsats_kode": "H1.3",
                "indsats_navn": "Bad",
                "kategori": "personlig",
                "hyppighed": {"antal": 2, "periode": "uge"},
                "minutter_pr_besoeg": minutter,
                "leverandoer_id": "omsorg-plus-aps",
                "startdato": DAG,
            }
        ],
    }


def pending_commands(fs: FaultStack) -> int:
    return sum(g.get("pending", 0) for g in fs.health("visitation").get("group_commit", []))


def race(fs: FaultStack, sag_id: str, anmodning_id: str) -> list[httpx.Response]:
    url = f"{fs.url('visitation')}/sager/{sag_id}/afgoerelse"
    answers: list[httpx.Response] = []
    with psycopg.connect(fs.urls["visitation"]) as holder:
        tables = [
            r[0]
            for r in holder.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename LIKE '%\\_events'"
            ).fetchall()
        ]
        # The library takes the same lock for every write: the decisions queue behind it.
        holder.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
        threads = [
            threading.Thread(
                target=lambda h=h, m=m: answers.append(
                    httpx.post(url, headers=h, json=decision(anmodning_id, m), timeout=60)
                )
            )
            for h, m in ((ANNE, 30), (BO, 45))
        ]
        for t in threads:
            t.start()
        wait_for(
            lambda: pending_commands(fs) >= 2,
            60,
            lambda: f"both decisions waiting to commit: {fs.health('visitation')}",
        )
        holder.rollback()  # releases the lock: both go on from the same version
    for t in threads:
        t.join(60)
    return answers


@pytest.mark.integration
@pytest.mark.e2e
def test_two_visitators_decide_at_once_one_wins_the_other_gets_409(tmp_path: Path) -> None:
    with fault_stack(tmp_path) as fs:
        fs.start()
        v = fs.url("visitation")
        for i in range(3):
            sag_id, anmodning_id = case_ready_for_decision(v, i)
            answers = race(fs, sag_id, anmodning_id)
            statuses = sorted(a.status_code for a in answers)
            assert statuses == [201, 409], [a.text for a in answers]
            loser = next(a for a in answers if a.status_code == 409)
            assert loser.headers["content-type"] == "application/problem+json"
            assert loser.json()["type"] == "urn:bum:samtidig-aendring"
            sag = httpx.get(f"{v}/sager/{sag_id}", headers=ANNE, timeout=30).json()
            assert len(sag["afgoerelser"]) == 1
        # One decision each, one order each downstream, nothing doubled anywhere.
        summary = fs.wait_exactly_once()
        assert summary["provider orders"] == 3
