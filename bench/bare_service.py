"""Baseline (a): a bare FastAPI + eventsourcing endpoint, one save per request.

Same body model as the provider's delivery command, the same store settings
(shared.infra.eventstore.store_env) and the same uvicorn settings (uvloop, httptools, no
access log), so the difference to the provider service is BUM's own work: loading the order,
its rules, its transcodings, its relay. `/noop` parses the body and answers without
touching the store: the HTTP + pydantic floor.

    BENCH_DATABASE_URL=postgresql://... python -m bench.bare_service PORT
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from uuid import UUID

import uvicorn
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from fastapi import FastAPI, status

from services.provider.api.schemas import Kvittering, LeveringInd
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings


class Leverance(Aggregate):
    """The tiny aggregate: one event, created and saved, never loaded."""

    @event("Registreret")
    def __init__(self, besoeg_id: UUID, minutter: int, medarbejder_id: str) -> None:
        self.besoeg_id = besoeg_id
        self.minutter = minutter
        self.medarbejder_id = medarbejder_id


class BareApplication(Application[UUID]):
    name = "bare"


def build(database_url: str) -> FastAPI:
    settings = ServiceSettings(store="postgres", database_url=database_url)
    store = BareApplication(env=store_env(settings, "bare"))
    api = FastAPI(title="bench bare baseline")

    # Sync def, like the services: eventsourcing has no asyncio API (thread pool).
    @api.post("/noop/{bestilling_id}/{besoeg_id}", status_code=status.HTTP_201_CREATED)
    def noop(bestilling_id: UUID, besoeg_id: UUID, body: LeveringInd) -> Kvittering:
        return Kvittering(status="leveret", registreret=datetime.now(UTC))

    @api.post("/save/{bestilling_id}/{besoeg_id}", status_code=status.HTTP_201_CREATED)
    def save(bestilling_id: UUID, besoeg_id: UUID, body: LeveringInd) -> Kvittering:
        store.save(Leverance(besoeg_id, body.faktiske_minutter, body.medarbejder_id))
        return Kvittering(status="leveret", registreret=datetime.now(UTC))

    @api.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api


def main() -> None:
    port = int(sys.argv[1])
    uvicorn.run(
        build(os.environ["BENCH_DATABASE_URL"]),
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
