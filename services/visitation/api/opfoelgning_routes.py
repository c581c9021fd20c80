"""Frit valg and ophør over HTTP: switching provider, ending grants, approved providers."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, Caller, kraev_handle_i_sagen, ruter
from services.visitation.api.schemas import GodkendtLeverandoerUd
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.vocabulary import Kategori, OphoersAarsag
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody


class SkiftInd(StrictBody):
    kategori: Kategori
    til_leverandoer_id: str = Field(min_length=1, max_length=100, examples=["rent-hjem-as"])
    anmodet_dato: Dato


class SkiftUd(BaseModel):
    gyldig_fra: date


class OphoerInd(StrictBody):
    ophoersdato: Dato = Field(description="the last day of help")
    aarsag: OphoersAarsag
    bevilling_ids: list[UUID] = Field(
        default_factory=list, description="empty: every active grant of the case"
    )


class OphoerUd(BaseModel):
    bevilling_ids: list[UUID]


def build_opfoelgning_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation: frit valg og ophør")

    @router.get(
        "/godkendte-leverandoerer",
        response_model=list[GodkendtLeverandoerUd],
        summary="Whom a citizen may choose, per category",
    )
    def godkendte_leverandoerer(
        kategori: Kategori, dato: Annotated[Dato, Query()]
    ) -> list[GodkendtLeverandoerUd]:
        return [
            GodkendtLeverandoerUd(leverandoer_id=lev.leverandoer_id, navn=lev.navn, type=lev.type)
            for lev in app.leverandoerregister.godkendte(kategori, dato)
        ]

    @router.post(
        "/sager/{sag_id}/leverandoerskift",
        status_code=status.HTTP_201_CREATED,
        response_model=SkiftUd,
        summary="Frit valg: switch provider for a category (from the 1st of the month after next)",
    )
    def skift(sag_id: UUID, body: SkiftInd, aktoer: Actor, caller: Caller) -> SkiftUd:
        kraev_handle_i_sagen(app, caller, sag_id)
        gyldig_fra = app.skift_leverandoer(
            sag_id, body.kategori, body.til_leverandoer_id, body.anmodet_dato, aktoer
        )
        return SkiftUd(gyldig_fra=gyldig_fra)

    @router.post(
        "/sager/{sag_id}/ophoer",
        status_code=status.HTTP_201_CREATED,
        response_model=OphoerUd,
        summary="Ophør: death, move, plejebolig, expiry or a new decision ends grants",
    )
    def ophoer(sag_id: UUID, body: OphoerInd, aktoer: Actor) -> OphoerUd:
        if len(set(body.bevilling_ids)) != len(body.bevilling_ids):
            raise HTTPException(422, "bevilling_ids must be distinct")
        ids = app.ophoer_bevillinger(
            sag_id, tuple(body.bevilling_ids), body.ophoersdato, body.aarsag, aktoer
        )
        return OphoerUd(bevilling_ids=list(ids))

    return router
