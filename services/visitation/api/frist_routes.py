"""Legal clocks over HTTP: receipt, reconsideration, the work list and the clock check."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, Laest, ruter
from services.visitation.api.schemas import StatusUd, UdfaldUd
from services.visitation.application.frister import Arbejdsopgave, Frister
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody
from shared.infra.sagsfejl import Sagsfejl


class KvitteringInd(StrictBody):
    dato: Dato
    forventet_afgoerelse: Dato | None = None


class GenvurderingInd(StrictBody):
    dato: Dato
    udfald: Literal["medhold", "fastholdt"]
    begrundelse: str = Field(min_length=1, max_length=8000)


class KontrolInd(StrictBody):
    dato: Dato = Field(description="the day the check counts as 'today'")


class FristUd(BaseModel):
    sag_id: UUID
    frist_id: str
    fristtype: str
    frist: date
    opfyldt_dato: date | None
    status: str


class SagsfejlUd(BaseModel):
    """A case the rules could not handle: shown in its place, the others still listed."""

    sag_id: UUID
    fejl: str
    fejltype: str


def sagsfejl_ud(f: Sagsfejl) -> SagsfejlUd:
    return SagsfejlUd(sag_id=f.sag_id, fejl=f.fejl, fejltype=f.fejltype)


def _raekke(o: Arbejdsopgave | Sagsfejl) -> FristUd | SagsfejlUd:
    return sagsfejl_ud(o) if isinstance(o, Sagsfejl) else _ud(o)


def _ud(o: Arbejdsopgave) -> FristUd:
    f = o.frist
    return FristUd(
        sag_id=o.sag_id,
        frist_id=f.frist_id,
        fristtype=f.fristtype,
        frist=f.frist,
        opfyldt_dato=f.opfyldt_dato,
        status=o.status,
    )


def build_frist_router(app: VisitationApplication, frister: Frister) -> APIRouter:
    router = ruter("frister", app)

    @router.post(
        "/sager/{sag_id}/kvittering",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="Kvittering for modtagelse sendt (deadline: 10 working days)",
    )
    def kvittering(sag_id: UUID, body: KvitteringInd, aktoer: Actor) -> StatusUd:
        app.send_kvittering(sag_id, body.dato, body.forventet_afgoerelse, aktoer)
        return StatusUd(status="kvitteret")

    @router.post(
        "/sager/{sag_id}/klager/{klage_id}/genvurdering",
        status_code=status.HTTP_201_CREATED,
        response_model=UdfaldUd,
        summary="Klage genvurderet: medhold (new decision follows) or fastholdt",
    )
    def genvurdering(
        sag_id: UUID, klage_id: UUID, body: GenvurderingInd, aktoer: Actor
    ) -> UdfaldUd:
        app.genvurder_klage(sag_id, klage_id, body.dato, body.udfald, body.begrundelse, aktoer)
        return UdfaldUd(udfald=body.udfald)

    @router.get(
        "/sager/{sag_id}/frister",
        response_model=list[FristUd],
        summary="Every deadline of the case and its status on `dato`",
    )
    def sagens_frister(
        sag_id: UUID, aktoer: Actor, laest: Laest, dato: Dato | None = None
    ) -> list[FristUd]:
        pr_dag = dato or app.ur.idag()
        sag, sagens = frister.sag_og_frister(sag_id)
        svar = [_ud(Arbejdsopgave(sag_id, f, f.status(pr_dag), sag.borger_id)) for f in sagens]
        laest.sag(sag_id, sag.borger_id)
        return svar

    @router.get(
        "/arbejdsliste",
        response_model=list[FristUd | SagsfejlUd],
        summary="The visitator's work list: overdue deadlines and those due within the horizon "
        "(a case the rules cannot handle is an error row first)",
    )
    def arbejdsliste(
        aktoer: Actor,
        laest: Laest,
        dato: Dato | None = None,
        horisont_dage: Annotated[int, Query(ge=0, le=365)] = 14,
    ) -> list[FristUd | SagsfejlUd]:
        opgaver = frister.arbejdsliste(dato or app.ur.idag(), horisont_dage)
        laest.raekker(opgaver)
        return [_raekke(o) for o in opgaver]

    @router.post(
        "/frister/kontrol",
        response_model=list[FristUd | SagsfejlUd],
        summary="Clock check for a given day: records FristOverskredet once per missed deadline "
        "(a case the rules cannot handle is an error row; the others are checked)",
    )
    def kontrol(body: KontrolInd, aktoer: Actor) -> list[FristUd | SagsfejlUd]:
        return [_raekke(o) for o in frister.kontroller(body.dato, aktoer)]

    return router
