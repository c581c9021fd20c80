"""Fuldmagter over HTTP: record, list and revoke who may act for a citizen.

A visitator records what the citizen gave outside the system; the citizen (a borger token
for their own borger_id) may do the same in self-service. A fuldmagtshaver cannot pass a
fuldmagt on: a token acting for someone else is treated as a stranger here.

Reading the list is a read of the citizen's data: the access log names the citizen and
each of their cases (a fuldmagt is the citizen's, not one case's), so a search by either
finds it, as for every other read.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.visitation.api.deps import Actor, Caller, Laest, ruter
from services.visitation.application.fuldmagter import Fuldmagtsbehandling
from services.visitation.application.sletning import borgerens_sag_ids
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts.vocabulary import Fuldmagtsomfang
from shared.infra.adgangslog import adgangslog_for
from shared.infra.auth import Principal
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody
from shared.kernel import NotFound
from shared.kernel.fuldmagt import Fuldmagt


class FuldmagtInd(StrictBody):
    fuldmagtshaver: str = Field(
        min_length=1,
        max_length=200,
        description="the holder's subject id at the identity broker (never a CPR number)",
        examples=["mitid:7c1e0f2a"],
    )
    omfang: list[Fuldmagtsomfang] = Field(min_length=1, max_length=3)
    gyldig_fra: Dato
    gyldig_til: Dato | None = None


class TilbagekaldelseInd(StrictBody):
    tilbagekaldt_fra: Dato | None = Field(default=None, description="absent: from today")


class FuldmagtUd(BaseModel):
    fuldmagt_id: UUID
    borger_id: UUID
    fuldmagtshaver: str
    omfang: list[str]
    gyldig_fra: date
    gyldig_til: date | None
    tilbagekaldt_fra: date | None
    gyldig_i_dag: bool


def _ud(f: Fuldmagt, i_dag: date) -> FuldmagtUd:
    return FuldmagtUd(
        **f.som_dict(),
        gyldig_i_dag=any(f.gaelder(i_dag, o) for o in f.omfang),
    )


def build_fuldmagt_router(app: VisitationApplication) -> APIRouter:
    router = ruter("visitation: fuldmagt")
    behandling = Fuldmagtsbehandling(app)

    def kraev_egen_eller_visitation(caller: Principal, borger_id: UUID) -> None:
        if caller.rolle == "borger" and caller.borger_id != str(borger_id):
            raise NotFound("borger", borger_id)  # someone else: as if it did not exist

    @router.post(
        "/borgere/{borger_id}/fuldmagter",
        status_code=status.HTTP_201_CREATED,
        response_model=FuldmagtUd,
        summary="Fuldmagt givet: the citizen lets a relative act for them (scope, period)",
    )
    def giv(borger_id: UUID, body: FuldmagtInd, aktoer: Actor, caller: Caller) -> FuldmagtUd:
        kraev_egen_eller_visitation(caller, borger_id)
        f = behandling.giv(
            borger_id,
            body.fuldmagtshaver,
            tuple(body.omfang),
            body.gyldig_fra,
            body.gyldig_til,
            aktoer,
        )
        return _ud(f, app.ur.idag())

    @router.get(
        "/borgere/{borger_id}/fuldmagter",
        response_model=list[FuldmagtUd],
        summary="The citizen's fuldmagter, revoked and expired ones included",
        dependencies=[adgangslog_for(app)],
    )
    def fuldmagtsliste(borger_id: UUID, caller: Caller, laest: Laest) -> list[FuldmagtUd]:
        kraev_egen_eller_visitation(caller, borger_id)
        svar = [
            _ud(f, app.ur.idag()) for f in behandling.fuldmagter(borger_id).for_borger(borger_id)
        ]
        sager = borgerens_sag_ids(app, borger_id)
        laest.mange([(sag_id, borger_id) for sag_id in sager] or [(None, borger_id)])
        return svar

    @router.post(
        "/borgere/{borger_id}/fuldmagter/{fuldmagt_id}/tilbagekaldelse",
        response_model=FuldmagtUd,
        summary="Fuldmagt tilbagekaldt: from the given day (today at the earliest)",
    )
    def tilbagekald(
        borger_id: UUID,
        fuldmagt_id: UUID,
        body: TilbagekaldelseInd,
        aktoer: Actor,
        caller: Caller,
    ) -> FuldmagtUd:
        kraev_egen_eller_visitation(caller, borger_id)
        f = behandling.tilbagekald(
            borger_id, fuldmagt_id, body.tilbagekaldt_fra or app.ur.idag(), aktoer
        )
        return _ud(f, app.ur.idag())

    return router
