"""Staff rosters and kørelister (JSON and CSV) per provider."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from services.provider.api import schemas as s
from services.provider.api.deps import Actor, Laesning, Laest, ruter
from services.provider.application.adgang import kraev_leverandoer
from services.provider.application.adgangslog import paa_koerelisten
from services.provider.application.koereliste import klokken, koerelister, som_csv
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.tildeling import Medarbejder
from shared.infra.api import attachment
from shared.infra.datotyper import Dato
from shared.kernel import Aktoer


def _stab_ud(leverandoer_id: str, medarbejdere: tuple[Medarbejder, ...]) -> dict[str, Any]:
    return {
        "leverandoer_id": leverandoer_id,
        "medarbejdere": [
            {
                **{k: v for k, v in asdict(m).items() if k not in ("fra_minut", "til_minut")},
                "fra": klokken(m.fra_minut),
                "til": klokken(m.til_minut),
            }
            for m in medarbejdere
        ],
    }


def build_plan_router(app: ProviderApplication, lists: ProviderWorkLists) -> APIRouter:
    router = ruter("leverandør", app)

    @router.put(
        "/leverandoerer/{leverandoer_id}/medarbejdere",
        response_model=s.StabUd,
        summary="Set the provider's staff roster (who can be planned, when, for what)",
    )
    def saet_stab(leverandoer_id: str, body: s.StabInd, aktoer: Actor) -> dict[str, Any]:
        medarbejdere = tuple(m.to_domain() for m in body.medarbejdere)
        stab = app.fastlaeg_stab(leverandoer_id, medarbejdere, aktoer)
        return _stab_ud(leverandoer_id, stab.medarbejdere)

    @router.get(
        "/leverandoerer/{leverandoer_id}/medarbejdere",
        response_model=s.StabUd,
        summary="The staff roster",
    )
    def stab(leverandoer_id: str, aktoer: Actor) -> dict[str, Any]:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=False)
        found = app.hent_stab(leverandoer_id)
        return _stab_ud(leverandoer_id, found.medarbejdere if found else ())

    def _lister(
        leverandoer_id: str, aktoer: Aktoer, dato: date, medarbejder_id: str | None, laest: Laesning
    ) -> list[dict[str, Any]]:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=False)
        linjer = lists.besoeg_for(leverandoer_id, dato, dato)
        lister = koerelister(linjer, medarbejder_id)
        laest.mange(paa_koerelisten(lister, linjer))  # one entry per citizen on the lists
        return lister

    @router.get(
        "/leverandoerer/{leverandoer_id}/koereliste",
        response_model=s.KoerelisteUd,
        summary="Kørelister for a day: each helper's visits in start order (JSON)",
    )
    def koereliste(
        leverandoer_id: str,
        dato: Dato,
        aktoer: Actor,
        laest: Laest,
        medarbejder_id: str | None = None,
    ) -> dict[str, Any]:
        return {
            "leverandoer_id": leverandoer_id,
            "dato": dato,
            "koerelister": _lister(leverandoer_id, aktoer, dato, medarbejder_id, laest),
        }

    @router.get(
        "/leverandoerer/{leverandoer_id}/koereliste.csv",
        summary="Kørelister for a day as CSV (the offline copy)",
        response_class=Response,
    )
    def koereliste_csv(
        leverandoer_id: str,
        dato: Dato,
        aktoer: Actor,
        laest: Laest,
        medarbejder_id: str | None = None,
    ) -> Response:
        body = som_csv(_lister(leverandoer_id, aktoer, dato, medarbejder_id, laest))
        name = f"koereliste-{leverandoer_id}-{dato.isoformat()}.csv"
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers=attachment(name),
        )

    return router
