"""§ 83 a over HTTP: the consideration before § 83 help, and the rehabilitation course."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, TypedDict
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, ruter
from services.visitation.api.schemas import StatusUd
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody

Maal = Annotated[str, Field(min_length=1, max_length=2000)]


class RehabiliteringsvurderingInd(StrictBody):
    vurderet_dato: Dato
    kan_forbedre_funktionsevne: bool = Field(
        description="could a § 83 a course improve function and so reduce the need for help?"
    )
    begrundelse: str = Field(min_length=1, max_length=8000)


class ForloebInd(StrictBody):
    bevilget_dato: Dato
    niveau: str = Field(examples=["moderat"], description="the standard's course levels")
    startdato: Dato
    uger: int = Field(ge=1, le=52, description="4-12 weeks unless the standard says otherwise")
    retningsgivende_maal: Literal["udrede", "udvikle"]
    individuelle_maal: list[Maal] = Field(max_length=20)
    leverandoer_id: str = Field(min_length=1, max_length=100, examples=["hjemmeplejen-nord"])

    def som_kommando(self) -> ForloebKommando:
        """The grant's arguments to `bevilg_rehabiliteringsforloeb`, by name."""
        return ForloebKommando(
            bevilget_dato=self.bevilget_dato,
            niveau=self.niveau,
            startdato=self.startdato,
            uger=self.uger,
            retningsgivende_maal=self.retningsgivende_maal,
            individuelle_maal=tuple(self.individuelle_maal),
            leverandoer_id=self.leverandoer_id,
        )


class ForloebKommando(TypedDict):
    bevilget_dato: date
    niveau: str
    startdato: date
    uger: int
    retningsgivende_maal: str
    individuelle_maal: tuple[str, ...]
    leverandoer_id: str


class ForloebOprettet(BaseModel):
    forloeb_id: UUID
    slutdato: date
    katalog_version: str | None


class MaalInd(StrictBody):
    dato: Dato
    individuelle_maal: list[Maal] = Field(max_length=20)
    aftalt_med_borgeren: bool = Field(description="goals change only together with the citizen")


class AfslutningInd(StrictBody):
    dato: Dato
    udfald: Literal["gennemfoert", "afbrudt"]
    begrundelse: str = Field(min_length=1, max_length=8000)


def build_rehab_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation: § 83 a")

    @router.post(
        "/sager/{sag_id}/rehabiliteringsvurdering",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="§ 83, stk. 3: could a § 83 a course help? Needed before a first § 83 grant",
    )
    def vurder(sag_id: UUID, body: RehabiliteringsvurderingInd, aktoer: Actor) -> StatusUd:
        app.vurder_rehabilitering(
            sag_id, body.vurderet_dato, body.kan_forbedre_funktionsevne, body.begrundelse, aktoer
        )
        return StatusUd(status="registreret")

    @router.post(
        "/sager/{sag_id}/rehabiliteringsforloeb",
        status_code=status.HTTP_201_CREATED,
        response_model=ForloebOprettet,
        summary="§ 83 a: grant a rehabilitation course as a whole (level, weeks, goals)",
    )
    def bevilg(sag_id: UUID, body: ForloebInd, aktoer: Actor) -> ForloebOprettet:
        f = app.bevilg_rehabiliteringsforloeb(sag_id, **body.som_kommando(), aktoer=aktoer)
        return ForloebOprettet(
            forloeb_id=f.forloeb_id, slutdato=f.slutdato, katalog_version=f.katalog_version
        )

    @router.post(
        "/sager/{sag_id}/rehabiliteringsforloeb/{forloeb_id}/maal",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="Change the course's individual goals (only together with the citizen)",
    )
    def aendr_maal(sag_id: UUID, forloeb_id: UUID, body: MaalInd, aktoer: Actor) -> StatusUd:
        app.aendr_rehabiliteringsmaal(
            sag_id,
            forloeb_id,
            body.dato,
            tuple(body.individuelle_maal),
            body.aftalt_med_borgeren,
            aktoer,
        )
        return StatusUd(status="registreret")

    @router.post(
        "/sager/{sag_id}/rehabiliteringsforloeb/{forloeb_id}/afslutning",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="End or abandon the course; a new § 83 assessment becomes due",
    )
    def afslut(sag_id: UUID, forloeb_id: UUID, body: AfslutningInd, aktoer: Actor) -> StatusUd:
        app.afslut_rehabiliteringsforloeb(
            sag_id, forloeb_id, body.dato, body.udfald, body.begrundelse, aktoer
        )
        return StatusUd(status="registreret")

    return router
