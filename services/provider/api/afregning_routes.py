"""Settlement per provider and month, JSON and CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from services.provider.api.deps import Actor, ruter
from services.provider.api.schemas import AfregningUd
from services.provider.application.adgang import kraev_leverandoer
from services.provider.application.afregning import afregning, som_csv, som_dict
from services.provider.application.read_model import ProviderWorkLists
from shared.infra import datotyper
from shared.infra.api import attachment

Maaned = Annotated[datotyper.Maaned, Query(examples=["2026-11"])]


def build_afregning_router(lists: ProviderWorkLists) -> APIRouter:
    router = ruter("afregning")

    @router.get(
        "/leverandoerer/{leverandoer_id}/afregning",
        response_model=AfregningUd,
        summary="Settlement for a month: delivered minutes and visits per category, priced by "
        "the rate table valid on the month's first day, next to granted and planned minutes",
    )
    def afregning_json(leverandoer_id: str, maaned: Maaned, aktoer: Actor) -> dict[str, Any]:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=False)
        return som_dict(afregning(lists, leverandoer_id, maaned))

    @router.get(
        "/leverandoerer/{leverandoer_id}/afregning.csv",
        summary="Settlement for a month as CSV",
        response_class=Response,
    )
    def afregning_csv(leverandoer_id: str, maaned: Maaned, aktoer: Actor) -> Response:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=False)
        body = som_csv(afregning(lists, leverandoer_id, maaned))
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers=attachment(f"afregning-{leverandoer_id}-{maaned}.csv"),
        )

    return router
