"""Idempotency keys at the HTTP edge (issue 19 item 1), on both stores: a retried command
answers its first answer and has one effect; a key reused for another body is refused."""

from __future__ import annotations

import importlib
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.infra import tid
from shared.infra.idempotens import HEADER, REPLAYED, Anmodning, Idempotensnoegle
from shared.infra.settings import ServiceSettings
from tests.conftest import SettingsFactory
from tests.identity import headers_for

pytestmark = pytest.mark.integration


def ansoegning(navn: str = "Jens Hansen") -> dict[str, Any]:
    return {
        "borger": {"cpr": "010140-1234", "navn": navn},
        "modtaget_dato": "2026-11-02",
        "kanal": "telefon",
        "henvendelse_fra": "borger",
        "anmodninger": [{"beskrivelse": "Hjælp til bad", "kategori": "personlig"}],
    }


@pytest.fixture
def visitation(store_settings: SettingsFactory) -> Any:
    wiring = importlib.import_module("services.visitation.wiring")
    return wiring.build(store_settings("visitation"))


def _sager(wiring: Any) -> int:
    app = wiring.api.state.idempotens_lager
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    return sum(1 for n in notes if n.topic.endswith("Sag.AnsoegningModtaget"))


def test_a_retried_post_sager_creates_one_case_and_replays_the_answer(visitation: Any) -> None:
    anne = headers_for("visitator", "vis-anne")
    with TestClient(visitation.api) as client:
        first = client.post("/sager", json=ansoegning(), headers={**anne, HEADER: "k-1"})
        again = client.post("/sager", json=ansoegning(), headers={**anne, HEADER: "k-1"})
        assert first.status_code == 201, first.text
        assert REPLAYED not in first.headers
        assert (again.status_code, again.json()) == (201, first.json())
        assert again.headers[REPLAYED] == "true"
        assert _sager(visitation) == 1
        # The same key with another body is a reuse, refused with its rule.
        other = client.post("/sager", json=ansoegning("Ib"), headers={**anne, HEADER: "k-1"})
        assert other.status_code == 422, other.text
        assert other.json()["type"] == "urn:bum:regel:idempotens-noegle-genbrugt"
        # Keys are the caller's: another visitator's same key is another command.
        bo = headers_for("visitator", "vis-bo")
        theirs = client.post("/sager", json=ansoegning(), headers={**bo, HEADER: "k-1"})
        assert theirs.status_code == 201 and REPLAYED not in theirs.headers
        # Without a key every POST is a command of its own, as before.
        client.post("/sager", json=ansoegning(), headers=anne)
        assert _sager(visitation) == 3


def test_a_key_expires_after_its_documented_time(visitation: Any) -> None:
    anne = {**headers_for("visitator", "vis-anne"), HEADER: "k-udloeb"}
    before = tid.current_offset()
    with TestClient(visitation.api) as client:
        first = client.post("/sager", json=ansoegning(), headers=anne)
        try:
            tid.set_offset(before + timedelta(hours=72, minutes=1).total_seconds())
            later = client.post("/sager", json=ansoegning(), headers=anne)
        finally:
            tid.set_offset(before)
    assert first.status_code == later.status_code == 201
    assert REPLAYED not in later.headers and later.json() != first.json()
    assert _sager(visitation) == 2


def test_concurrent_retries_with_one_key_have_one_effect(visitation: Any) -> None:
    anne = {**headers_for("visitator", "vis-anne"), HEADER: "k-samtidig"}
    answers: list[Any] = []
    with TestClient(visitation.api) as client:
        client.get("/findes-ikke", headers=anne)  # the token verified once

        def send() -> None:
            answers.append(client.post("/sager", json=ansoegning(), headers=anne))

        threads = [threading.Thread(target=send) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [r.status_code for r in answers] == [201] * 4, [r.text for r in answers]
    assert len({r.text for r in answers}) == 1
    assert _sager(visitation) == 1


def test_the_key_record_commits_with_the_commands_events(visitation: Any) -> None:
    """One transaction: the key's record is stored right beside the case's events."""
    anne = {**headers_for("visitator", "vis-anne"), HEADER: "k-atomar"}
    with TestClient(visitation.api) as client:
        r = client.post("/sager", json=ansoegning(), headers=anne)
    assert r.status_code == 201
    app = visitation.api.state.idempotens_lager
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    key = Idempotensnoegle.create_id("visitation", "vis-anne", "k-atomar")
    ours = [n for n in notes if n.originator_id == key]
    case = [n for n in notes if n.topic.endswith("Sag.AnsoegningModtaget")]
    assert len(ours) == 1 and len(case) == 1  # the key's record: one event
    # The answer shows the request's text: it is stored encrypted with the citizen's key.
    assert "Hjælp til bad" in r.text
    assert b"Hj\\u00e6lp til bad" not in ours[0].state and "Hjælp".encode() not in ours[0].state
    assert b"personoplysning_aesgcm" in ours[0].state


def test_a_key_record_that_cannot_be_stored_takes_the_commands_events_with_it(
    visitation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race a lookup cannot see: the key is stored by another request between this
    one's lookup and its commit. The key's record conflicts, and the case this request
    made is not stored either (one transaction); it answers with the stored answer."""
    anne = {**headers_for("visitator", "vis-anne"), HEADER: "k-kaploeb"}
    real = Anmodning._hent
    missed: list[bool] = []

    def blind_once(self: Anmodning) -> Any:
        if not missed:
            missed.append(True)
            return None
        return real(self)

    with TestClient(visitation.api) as client:
        first = client.post("/sager", json=ansoegning(), headers=anne)
        monkeypatch.setattr(Anmodning, "_hent", blind_once)
        raced = client.post("/sager", json=ansoegning(), headers=anne)
    assert missed and raced.status_code == 201, raced.text
    assert raced.headers[REPLAYED] == "true" and raced.json() == first.json()
    assert _sager(visitation) == 1


@pytest.mark.parametrize("service", ["visitation", "provider", "supervision"])
def test_the_openapi_documents_the_header_on_every_command_route(
    service: str, tmp_path: Path
) -> None:
    wiring = importlib.import_module(f"services.{service}.wiring")
    document = wiring.build(ServiceSettings(data_dir=tmp_path)).api.openapi()
    commands = [
        (f"{method.upper()} {path}", op)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if method in {"post", "put", "patch", "delete"}
    ]
    missing = [
        name
        for name, op in commands
        if not any(
            p.get("in") == "header" and p.get("name") == HEADER for p in op.get("parameters", [])
        )
    ]
    assert commands and not missing, missing
