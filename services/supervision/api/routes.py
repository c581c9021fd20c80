"""Supervision's API: a case's history across all services, and delivery figures."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends

from services.supervision.application.leveringsgrad import Leveringsgrad
from services.supervision.application.supervision_app import SupervisionApplication
from shared.infra.api import actor
from shared.kernel import Aktoer

Actor = Annotated[Aktoer, Depends(actor)]


def build_router(app: SupervisionApplication, figures: Leveringsgrad) -> APIRouter:
    router = APIRouter(tags=["tilsyn"])

    @router.get(
        "/sager/{sag_id}/historik",
        summary="The complete ordered history of a case across all services",
    )
    def historik(sag_id: UUID, aktoer: Actor) -> dict[str, Any]:
        haendelser = app.historik(sag_id)
        return {
            "sag_id": sag_id,
            "antal": len(haendelser),
            "haendelser": [
                {
                    "tidspunkt": h["occurred_at"],
                    "registreret": h["recorded_at"],
                    "kilde": h["source"],
                    "haendelse": h["event_type"],
                    "version": h["schema_version"],
                    "hvem": h["actor"],
                    "lovgrundlag": h["legal_basis"],
                    "event_id": h["event_id"],
                    "sekvens": h["sequence"],
                    "data": h["data"],
                }
                for h in haendelser
            ],
        }

    @router.get("/leveringsgrad", summary="Granted vs delivered minutes per provider")
    def leveringsgrad(aktoer: Actor) -> list[dict[str, Any]]:
        return figures.figures()

    return router
