"""Erasure of a citizen's personal data, for an administrator, where the law allows it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, ruter
from services.visitation.application.sletning import slet_personoplysninger
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.ruter import StrictBody


class SletningInd(StrictBody):
    grund: str = Field(
        min_length=10,
        max_length=2000,
        description="the legal reason (e.g. the citizen's request under GDPR art. 17 after "
        "the retention period); recorded, so no personal data in it",
    )


class SletningUd(BaseModel):
    borger_id: UUID
    slettet_dato: date


def build_sletning_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation")

    @router.post(
        "/borgere/{borger_id}/sletning",
        response_model=SletningUd,
        summary="Erase the citizen's personal data (delete their key); refused while any case "
        "is open or within its retention period",
    )
    def slet(borger_id: UUID, body: SletningInd, aktoer: Actor) -> SletningUd:
        dato = slet_personoplysninger(app, borger_id, body.grund, aktoer)
        return SletningUd(borger_id=borger_id, slettet_dato=dato)

    return router
