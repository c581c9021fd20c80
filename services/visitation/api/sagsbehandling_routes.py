"""The application case over HTTP: the citizen's confirmation of a relative's application,
partshøring, manglende medvirken and withdrawal."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, Caller, kraev_handle_i_sagen, ruter
from services.visitation.api.schemas import StatusUd, UdfaldUd
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.sag import Sag
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody
from shared.kernel.personoplysning import som_visning

Tekst = Annotated[str, Field(min_length=1, max_length=8000)]


class SamtykkeInd(StrictBody):
    dato: Dato
    indforstaaet: bool = Field(description="false: the citizen does not want the case (henlagt)")
    bemaerkning: str = Field(default="", max_length=4000)


class PartshoeringInd(StrictBody):
    sendt_dato: Dato
    svarfrist: Dato = Field(description="set case by case; in practice often 1-2 weeks")
    oplysninger: Tekst = Field(description="the information the citizen is heard on")


class PartshoeringOprettet(BaseModel):
    partshoering_id: UUID


class SvarInd(StrictBody):
    dato: Dato
    svar: Tekst


class MedvirkenInd(StrictBody):
    dato: Dato
    beskrivelse: Tekst
    konsekvenser_oplyst_dato: Dato | None = Field(
        default=None, description="when the citizen was told in writing what it means"
    )


class TilbagetraekningInd(StrictBody):
    dato: Dato
    begrundelse: Tekst


class AnkeInd(StrictBody):
    dato: Dato = Field(description="the date of Ankestyrelsen's decision")
    udfald: Literal["stadfaestet", "aendret", "hjemvist", "ophaevet", "afvist"]
    begrundelse: Tekst


def sagsbehandling_ud(sag: Sag, ankeafgoerelser: dict[UUID, tuple[date, str]]) -> dict[str, Any]:
    """The pre-decision part of the case, for GET /sager/{id}; Ankestyrelsen's outcomes
    of the case's complaints, old and new (application/klager.py)."""
    return {
        "afventer_samtykke": sag.afventer_samtykke,
        "samtykke": None
        if sag.samtykke is None
        else {"dato": sag.samtykke[0], "indforstaaet": sag.samtykke[1]},
        "partshoeringer": som_visning(list(sag.partshoeringer.values())),
        "manglende_medvirken": None
        if sag.manglende_medvirken is None
        else {
            "dato": sag.manglende_medvirken[0],
            "konsekvenser_oplyst_dato": sag.manglende_medvirken[1],
        },
        "ankestyrelsen": [
            {"klage_id": k, "dato": d, "udfald": u} for k, (d, u) in ankeafgoerelser.items()
        ],
        "lukket": None if sag.lukket is None else {"dato": sag.lukket[0], "aarsag": sag.lukket[1]},
    }


def build_sagsbehandling_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation: ansøgningen")

    @router.post(
        "/sager/{sag_id}/samtykke",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="The citizen confirms (or declines) a case a relative started",
    )
    def samtykke(sag_id: UUID, body: SamtykkeInd, aktoer: Actor, caller: Caller) -> StatusUd:
        kraev_handle_i_sagen(app, caller, sag_id)
        app.registrer_samtykke(sag_id, body.dato, body.indforstaaet, body.bemaerkning, aktoer)
        return StatusUd(status="indforstaaet" if body.indforstaaet else "henlagt")

    @router.post(
        "/sager/{sag_id}/partshoeringer",
        status_code=status.HTTP_201_CREATED,
        response_model=PartshoeringOprettet,
        summary="Partshøring sent (Forvaltningsloven § 19) with a deadline for comments",
    )
    def partshoering(sag_id: UUID, body: PartshoeringInd, aktoer: Actor) -> PartshoeringOprettet:
        pid = app.send_partshoering(
            sag_id, body.sendt_dato, body.svarfrist, body.oplysninger, aktoer
        )
        return PartshoeringOprettet(partshoering_id=pid)

    @router.post(
        "/sager/{sag_id}/partshoeringer/{partshoering_id}/svar",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="The citizen's comments to a partshøring (a late answer is still recorded)",
    )
    def svar(
        sag_id: UUID, partshoering_id: UUID, body: SvarInd, aktoer: Actor, caller: Caller
    ) -> StatusUd:
        kraev_handle_i_sagen(app, caller, sag_id)
        app.besvar_partshoering(sag_id, partshoering_id, body.dato, body.svar, aktoer)
        return StatusUd(status="besvaret")

    @router.post(
        "/sager/{sag_id}/manglende-medvirken",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="Non-cooperation: the case may be refused on the information at hand",
    )
    def medvirken(sag_id: UUID, body: MedvirkenInd, aktoer: Actor) -> StatusUd:
        app.noter_manglende_medvirken(
            sag_id, body.dato, body.beskrivelse, body.konsekvenser_oplyst_dato, aktoer
        )
        return StatusUd(status="noteret")

    @router.post(
        "/sager/{sag_id}/tilbagetraekning",
        status_code=status.HTTP_201_CREATED,
        response_model=StatusUd,
        summary="The application is withdrawn: the case closes without a decision",
    )
    def tilbagetraekning(
        sag_id: UUID, body: TilbagetraekningInd, aktoer: Actor, caller: Caller
    ) -> StatusUd:
        kraev_handle_i_sagen(app, caller, sag_id)
        app.traek_ansoegning_tilbage(sag_id, body.dato, body.begrundelse, aktoer)
        return StatusUd(status="lukket")

    @router.post(
        "/sager/{sag_id}/klager/{klage_id}/ankestyrelsen",
        status_code=status.HTTP_201_CREATED,
        response_model=UdfaldUd,
        summary="Ankestyrelsen's decision on an upheld complaint (ændret/hjemvist/ophævet "
        "reopen the case for a new decision)",
    )
    def ankestyrelsen(sag_id: UUID, klage_id: UUID, body: AnkeInd, aktoer: Actor) -> UdfaldUd:
        app.registrer_ankestyrelsens_afgoerelse(
            sag_id, klage_id, body.dato, body.udfald, body.begrundelse, aktoer
        )
        return UdfaldUd(udfald=body.udfald)

    return router
