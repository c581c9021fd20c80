"""The provider register over HTTP: list, create, approve, restrict and withdraw.

Approving a provider under frit valg is the municipality's act (an administrator's); every
change is published as `LeverandoerregisterAendret` with the provider's full current
approvals, for the provider service and partners.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, ruter
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.vocabulary import Kategori
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody
from shared.reference.leverandoerer import GodkendtLeverandoer

LEVERANDOER_ID = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"


class LeverandoerGodkendelseInd(StrictBody):
    kategori: Kategori
    fra: Dato
    til: Dato | None = Field(default=None, description="inclusive; absent: open-ended")


class LeverandoerInd(StrictBody):
    leverandoer_id: str = Field(pattern=LEVERANDOER_ID, examples=["hjemmehjaelpen-syd-aps"])
    navn: str = Field(min_length=1, max_length=200, examples=["Hjemmehjælpen Syd ApS"])
    type: Literal["kommunal", "privat", "selvejende"]
    cvr: str | None = Field(
        default=None, pattern=r"^[0-9]{8}$", description="required for privat and selvejende"
    )
    godkendelser: list[LeverandoerGodkendelseInd] = Field(default_factory=list, max_length=20)


class GodkendelseBegraensningInd(StrictBody):
    ny_slutdato: Dato = Field(description="the last day the approval holds")


class GodkendelseTilbagekaldelseInd(StrictBody):
    fra: Dato | None = Field(default=None, description="first day without approval; absent: today")
    begrundelse: str = Field(min_length=1, max_length=2000)


class LeverandoerGodkendelseUd(BaseModel):
    kategori: str
    fra: date
    til: date | None


class LeverandoerUd(BaseModel):
    leverandoer_id: str
    navn: str
    type: str
    cvr: str | None
    godkendelser: list[LeverandoerGodkendelseUd]


def _ud(lev: GodkendtLeverandoer) -> LeverandoerUd:
    return LeverandoerUd(
        leverandoer_id=lev.leverandoer_id,
        navn=lev.navn,
        type=lev.type,
        cvr=lev.cvr,
        godkendelser=[
            LeverandoerGodkendelseUd(kategori=g.kategori, fra=g.fra, til=g.til)
            for g in lev.godkendelser
        ],
    )


def build_leverandoer_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation: leverandørregister")

    @router.get(
        "/leverandoerer",
        response_model=list[LeverandoerUd],
        summary="The provider register: every provider with its approval windows",
    )
    def leverandoerer() -> list[LeverandoerUd]:
        register = app.leverandoerregister
        return [_ud(lev) for lev in register.leverandoerer.values()]

    @router.get(
        "/leverandoerer/{leverandoer_id}",
        response_model=LeverandoerUd,
        summary="One provider and its approval windows",
    )
    def leverandoer(leverandoer_id: str) -> LeverandoerUd:
        return _ud(app.hent_leverandoer(leverandoer_id))

    @router.post(
        "/leverandoerer",
        status_code=status.HTTP_201_CREATED,
        response_model=LeverandoerUd,
        summary="LeverandoerOprettet: a provider enters the register, with its first approvals",
    )
    def opret(body: LeverandoerInd, aktoer: Actor) -> LeverandoerUd:
        return _ud(
            app.opret_leverandoer(
                body.leverandoer_id,
                body.navn,
                body.type,
                body.cvr,
                [(g.kategori, g.fra, g.til) for g in body.godkendelser],
                aktoer,
            )
        )

    @router.post(
        "/leverandoerer/{leverandoer_id}/godkendelser",
        status_code=status.HTTP_201_CREATED,
        response_model=LeverandoerUd,
        summary="LeverandoerGodkendt: approved for a category in a window (no overlap)",
    )
    def godkend(
        leverandoer_id: str, body: LeverandoerGodkendelseInd, aktoer: Actor
    ) -> LeverandoerUd:
        return _ud(
            app.godkend_leverandoer(leverandoer_id, body.kategori, body.fra, body.til, aktoer)
        )

    @router.post(
        "/leverandoerer/{leverandoer_id}/godkendelser/{kategori}/begraensning",
        response_model=LeverandoerUd,
        summary="GodkendelseBegraenset: the approval in force then ends on the new date",
    )
    def begraens(
        leverandoer_id: str, kategori: Kategori, body: GodkendelseBegraensningInd, aktoer: Actor
    ) -> LeverandoerUd:
        return _ud(app.begraens_godkendelse(leverandoer_id, kategori, body.ny_slutdato, aktoer))

    @router.post(
        "/leverandoerer/{leverandoer_id}/godkendelser/{kategori}/tilbagekaldelse",
        response_model=LeverandoerUd,
        summary="GodkendelseTilbagekaldt: no approval from the given day (today at the earliest)",
    )
    def tilbagekald(
        leverandoer_id: str, kategori: Kategori, body: GodkendelseTilbagekaldelseInd, aktoer: Actor
    ) -> LeverandoerUd:
        return _ud(
            app.tilbagekald_godkendelse(
                leverandoer_id, kategori, body.fra or app.ur.idag(), body.begrundelse, aktoer
            )
        )

    return router
