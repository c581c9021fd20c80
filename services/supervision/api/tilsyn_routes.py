"""Inspections over HTTP: plan with a seeded sample, findings, follow-ups, the report."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path
from pydantic import Field

from services.supervision.adapters.maanedsrapport import rapport_data
from services.supervision.adapters.maanedsrapport import som_html as rapport_html
from services.supervision.adapters.maanedsrapport import som_pdf as rapport_pdf
from services.supervision.adapters.tilsynsrapport import som_html as besoeg_html
from services.supervision.adapters.tilsynsrapport import som_pdf as besoeg_pdf
from services.supervision.api import schemas as s
from services.supervision.api.deps import (
    HTML_ELLER_PDF,
    Actor,
    Laest,
    Rapportformat,
    i_formatet,
    ruter,
)
from services.supervision.application.tilsyn import Tilsyn
from shared.infra.datotyper import Dato, Maaned
from shared.infra.ruter import StrictBody


class PlanlaegTilsyn(StrictBody):
    leverandoer_id: str = Field(min_length=1)
    varslet: bool = True
    sted: str = Field(default="hjem", examples=["hjem", "leverandoer"])
    planlagt_dato: Dato
    antal_borgere: int = Field(default=5, ge=0, le=500)
    seed: int | None = Field(default=None, description="given: the same sample every time")


class Fund(StrictBody):
    sag_id: UUID | None = Field(default=None, description="the citizen's case, for a home visit")
    vurdering: str = Field(examples=["tilfredsstillende", "mindre_mangler"])
    beskrivelse: str


class Opfoelgning(StrictBody):
    beskrivelse: str = Field(min_length=1)
    frist: Dato
    ansvarlig: str = Field(min_length=1)


class Lukning(StrictBody):
    lukket_dato: Dato
    bemaerkning: str = ""


def build_tilsyn_router(tilsyn: Tilsyn) -> APIRouter:
    def registret() -> dict[str, dict[str, Any]]:
        """Provider names and CVR for the reports, as visitation's register published them."""
        return tilsyn.projektioner.laes(lambda p: dict(p.leverandoerregister))

    router = ruter("tilsynsbesøg", tilsyn.app)

    @router.get(
        "/tilsyn/rapport/{maaned}",
        response_model=s.MaanedsrapportUd,
        summary="Monthly report per provider and for the municipality, with charts",
        responses=HTML_ELLER_PDF,
    )
    def maanedsrapport(
        maaned: Annotated[Maaned, Path()],
        aktoer: Actor,
        format: Rapportformat = "html",
    ) -> Any:
        tal, registret = tilsyn.projektioner.laes(
            lambda p: (p.tilsynstal.resultat(), dict(p.leverandoerregister))
        )
        data = rapport_data(tal, maaned, tilsyn.app.ur.now(), tilsyn.app.kommunenavn, registret)
        return i_formatet(format, data, lambda: rapport_html(data), lambda: rapport_pdf(data))

    @router.post(
        "/tilsyn/besoeg",
        status_code=201,
        response_model=s.TilsynsbesoegUd,
        response_model_exclude_unset=True,
        summary="Plan an inspection and draw its sample",
    )
    def planlaeg(body: PlanlaegTilsyn, aktoer: Actor) -> dict[str, Any]:
        besoeg = tilsyn.planlaeg(
            leverandoer_id=body.leverandoer_id,
            varslet=body.varslet,
            sted=body.sted,
            planlagt_dato=body.planlagt_dato,
            antal=body.antal_borgere,
            seed=body.seed,
            aktoer=aktoer,
        )
        return tilsyn.vis(besoeg.rapport(body.planlagt_dato))

    @router.get(
        "/tilsyn/besoeg/{tilsyn_id}",
        response_model=s.TilsynsbesoegUd,
        response_model_exclude_unset=True,
        summary="The inspection report as JSON, HTML or PDF",
        responses=HTML_ELLER_PDF,
    )
    def rapport(
        tilsyn_id: UUID,
        aktoer: Actor,
        laest: Laest,
        pr_dato: Dato | None = None,
        format: Rapportformat = "json",
    ) -> Any:
        data = tilsyn.vis(tilsyn.hent(tilsyn_id).rapport(pr_dato or tilsyn.app.ur.idag()))
        # The sampled cases and the findings on them: one read per case, with its citizen.
        sager = [*data["stikproeve"]["sager"], *(f["sag_id"] for f in data["fund"])]
        laest.mange((sag, tilsyn.app.borger_id(UUID(str(sag)))) for sag in sager if sag)
        return i_formatet(
            format,
            data,
            lambda: besoeg_html(data, tilsyn.app.ur.now(), tilsyn.app.kommunenavn, registret()),
            lambda: besoeg_pdf(data, tilsyn.app.ur.now(), tilsyn.app.kommunenavn, registret()),
        )

    @router.post(
        "/tilsyn/besoeg/{tilsyn_id}/fund",
        status_code=201,
        response_model=s.FundUd,
        summary="Record a finding",
    )
    def fund(tilsyn_id: UUID, body: Fund, aktoer: Actor) -> dict[str, Any]:
        besoeg = tilsyn.registrer_fund(
            tilsyn_id, body.sag_id, body.vurdering, body.beskrivelse, aktoer
        )
        return tilsyn.vis(besoeg.fund[-1])

    @router.post(
        "/tilsyn/besoeg/{tilsyn_id}/opfoelgning",
        status_code=201,
        response_model=s.OpfoelgningspunktUd,
        response_model_exclude_unset=True,
        summary="Add a follow-up item",
    )
    def opfoelgning(tilsyn_id: UUID, body: Opfoelgning, aktoer: Actor) -> dict[str, Any]:
        besoeg = tilsyn.opret_opfoelgning(
            tilsyn_id, body.beskrivelse, body.frist, body.ansvarlig, aktoer
        )
        return tilsyn.vis(list(besoeg.opfoelgning.values())[-1])

    @router.post(
        "/tilsyn/besoeg/{tilsyn_id}/opfoelgning/{punkt_id}/lukning",
        response_model=s.OpfoelgningspunktUd,
        response_model_exclude_unset=True,
        summary="Close a follow-up item",
    )
    def luk(tilsyn_id: UUID, punkt_id: str, body: Lukning, aktoer: Actor) -> dict[str, Any]:
        besoeg = tilsyn.luk_opfoelgning(
            tilsyn_id, punkt_id, body.lukket_dato, body.bemaerkning, aktoer
        )
        return tilsyn.vis(besoeg.opfoelgning[punkt_id])

    return router
