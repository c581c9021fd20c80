"""A lost race answers 409 naming the aggregate and the version it is at now, so the client
knows what to reload (issue 3: "409 with the current version")."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.infra.api import install_problem_handlers
from shared.infra.eventstore import ConcurrentChange


def test_a_lost_race_names_the_case_and_its_current_version() -> None:
    sag_id = uuid.uuid4()
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/sager/{sag_id}/afgoerelser")
    def decide(sag_id: uuid.UUID) -> None:
        raise ConcurrentChange(sag_id, 7)

    r = TestClient(app).post(f"/sager/{sag_id}/afgoerelser")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["aggregat_id"] == str(sag_id) and body["aktuel_version"] == 7
    assert body["type"] == "urn:bum:samtidig-aendring"
