"""Aktindsigt over HTTP: request with deadline, the answer as JSON, HTML or PDF."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import Field

from services.supervision.adapters.aktindsigt_dokument import som_html, som_pdf
from services.supervision.api import schemas as s
from services.supervision.api.deps import (
    HTML_ELLER_PDF,
    Actor,
    Laest,
    Rapportformat,
    i_formatet,
    ruter,
)
from services.supervision.api.routes import AsOf
from services.supervision.api.tid import som_kendt_pr
from services.supervision.application.aktindsigt import Aktindsigt
from services.supervision.application.supervision_app import SupervisionApplication
from shared.infra.api import attachment
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody


class AktindsigtAnmodning(StrictBody):
    anmoder: str = Field(min_length=1, max_length=200, examples=["Jens Hansen"])
    egenskab: Literal["part", "repraesentant", "andet"] = "part"
    omfang: str = Field(default="Hele sagen", max_length=1000)
    modtaget_dato: Dato


def build_aktindsigt_router(app: SupervisionApplication, aktindsigt: Aktindsigt) -> APIRouter:
    router = ruter("aktindsigt", app)

    @router.post(
        "/sager/{sag_id}/aktindsigt",
        status_code=201,
        response_model=s.AktindsigtAnmodningUd,
        summary="Register an aktindsigt request; the deadline is 7 Danish working days",
    )
    def anmod(sag_id: UUID, body: AktindsigtAnmodning, aktoer: Actor) -> dict[str, Any]:
        anmodning = aktindsigt.anmod(
            sag_id,
            anmoder=body.anmoder,
            egenskab=body.egenskab,
            omfang=body.omfang,
            modtaget_dato=body.modtaget_dato,
            aktoer=aktoer,
        )
        return aktindsigt.vis(anmodning)

    @router.get(
        "/aktindsigt/{anmodning_id}",
        response_model=s.AktindsigtAnmodningUd,
        summary="The request, its deadline and answer",
    )
    def hent(anmodning_id: UUID, aktoer: Actor, laest: Laest) -> dict[str, Any]:
        vist = aktindsigt.vis(aktindsigt.hent(anmodning_id))
        # Who asked for the citizen's case, and what they got: the citizen's data too.
        sag_id = UUID(vist["sag_id"])
        laest.sag(sag_id, app.borger_id(sag_id), hvad="aktindsigtsanmodning")
        return vist

    @router.get(
        "/aktindsigt/{anmodning_id}/svar",
        response_model=s.AktindsigtSvarUd,
        summary="The answer generated from the case history as of `as_of` (default: now)",
        responses=HTML_ELLER_PDF,
    )
    def svar(
        anmodning_id: UUID,
        laest: Laest,
        as_of: AsOf = None,
        format: Annotated[Rapportformat, Query()] = "json",
    ) -> Any:
        nu = app.ur.now()
        indhold = aktindsigt.svar(anmodning_id, som_kendt_pr(as_of) or nu, nu)
        sag_id = UUID(indhold["sag_id"])
        laest.sag(sag_id, app.borger_id(sag_id), hvad="aktindsigt")
        return i_formatet(
            format,
            indhold,
            lambda: som_html(indhold),
            lambda: som_pdf(indhold),
            attachment(f"aktindsigt-{anmodning_id}.pdf", "inline"),
        )

    @router.post(
        "/aktindsigt/{anmodning_id}/besvarelse",
        status_code=201,
        response_model=s.AktindsigtSvarUd,
        summary="Record that the answer (as of `as_of`) went out, with what was withheld",
    )
    def besvar(
        anmodning_id: UUID, aktoer: Actor, laest: Laest, as_of: AsOf = None
    ) -> dict[str, Any]:
        nu = app.ur.now()
        svar = aktindsigt.besvar(anmodning_id, som_kendt_pr(as_of) or nu, nu, aktoer)
        sag_id = UUID(svar["sag_id"])
        laest.sag(sag_id, app.borger_id(sag_id), hvad="aktindsigt-besvarelse")
        return svar

    return router
