"""The citizen's choice of provider after the decision, and the grant clocks check."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, Caller, kraev_handle_i_sagen, ruter
from services.visitation.api.frist_routes import SagsfejlUd, sagsfejl_ud
from services.visitation.api.schemas import LeverandoerValgtUd
from services.visitation.application.bevillingskontrol import Bevillingskontrol
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.vocabulary import Kategori
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody
from shared.infra.sagsfejl import Sagsfejl


class ValgInd(StrictBody):
    kategori: Kategori
    leverandoer_id: str = Field(min_length=1, max_length=100, examples=["omsorg-plus-aps"])
    dato: Dato


class KontrolInd(StrictBody):
    dato: Dato = Field(description="the day the check counts as 'today'")


class UdfoertUd(BaseModel):
    sag_id: UUID
    haendelse: str
    detaljer: str


def build_valg_router(app: VisitationApplication, kontrol: Bevillingskontrol) -> APIRouter:
    router = ruter("visitation: frit valg og ophør")

    @router.post(
        "/sager/{sag_id}/leverandoervalg",
        status_code=status.HTTP_201_CREATED,
        response_model=LeverandoerValgtUd,
        summary="Frit valg: the citizen chooses the provider of granted help still waiting for "
        "one (within 2 days of the decision, else the municipal provider is assigned)",
    )
    def vaelg(sag_id: UUID, body: ValgInd, aktoer: Actor, caller: Caller) -> LeverandoerValgtUd:
        kraev_handle_i_sagen(app, caller, sag_id)
        app.vaelg_leverandoer(sag_id, body.kategori, body.leverandoer_id, body.dato, aktoer)
        return LeverandoerValgtUd(leverandoer_id=body.leverandoer_id)

    @router.post(
        "/bevillinger/kontrol",
        response_model=list[UdfoertUd | SagsfejlUd],
        summary="Grant clocks for a given day: municipal provider after a missed choice "
        "deadline, ophør (udloeb) of grants past their end date",
    )
    def bevillinger_kontrol(body: KontrolInd, aktoer: Actor) -> list[UdfoertUd | SagsfejlUd]:
        return [
            sagsfejl_ud(u)
            if isinstance(u, Sagsfejl)
            else UdfoertUd(sag_id=u.sag_id, haendelse=u.haendelse, detaljer=u.detaljer)
            for u in kontrol.kontroller(body.dato, aktoer)
        ]

    return router
