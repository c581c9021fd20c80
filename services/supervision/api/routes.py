"""Supervision's API: case history and replay, tilsyn figures, the access log.

Every endpoint that returns a citizen's data logs the read first (who, role, organisation,
endpoint, purpose) through the shared access log (shared/infra/adgangslog.py); if the log
cannot be written, nothing is answered. The access log itself, across all services, is
`/sager/{sag_id}/adgangslog` (a case; the citizen too) and `/adgangslog` (tilsyn's search).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from services.supervision.api import schemas as s
from services.supervision.api.deps import Actor, Caller, Laest, ruter
from services.supervision.api.tid import som_kendt_pr
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import SupervisionApplication
from shared.infra.datotyper import Maaned

AsOf = Annotated[
    str | None,
    Query(
        description="What was known then: events recorded up to this moment. A date means the "
        "end of that day; a time without zone is Danish time. From 1900-01-01 to 2199-12-31, "
        "offsets up to ±14:00; outside: 422.",
        examples=["2026-11-05", "2026-11-05T12:00:00+01:00"],
    ),
]


def historik_linje(h: dict[str, Any]) -> dict[str, Any]:
    return {
        "tidspunkt": h["occurred_at"],
        "registreret": h["recorded_at"],
        "kilde": h["source"],
        "haendelse": h["event_type"],
        "version": h["schema_version"],
        "hvem": h["actor"],
        "lovgrundlag": h["legal_basis"],
        "event_id": h["event_id"],
        "sekvens": h["sequence"],
        "data": h["data"],
    }


def build_router(
    app: SupervisionApplication,
    projektioner: Tilsynsprojektioner,
    parkerede: Callable[[], dict[str, str]] = dict,
) -> APIRouter:
    router = ruter("tilsyn", app)

    @router.get(
        "/sager/{sag_id}/historik",
        response_model=s.HistorikUd,
        summary="The complete ordered history of a case across all services",
    )
    def historik(sag_id: UUID, caller: Caller, laest: Laest, as_of: AsOf = None) -> dict[str, Any]:
        moment = som_kendt_pr(as_of)
        forloeb = app.hent_forloeb_for(sag_id, caller)
        haendelser = forloeb.historik(moment)
        laest.sag(sag_id, forloeb.borger_id())
        return {
            "sag_id": sag_id,
            "som_kendt_pr": moment,
            "antal": len(haendelser),
            "haendelser": [historik_linje(h) for h in haendelser],
        }

    @router.get(
        "/sager/{sag_id}/tilstand",
        response_model=s.TilstandUd,
        summary="The case's state folded from its public events, as known at `as_of`",
    )
    def tilstand(sag_id: UUID, laest: Laest, as_of: AsOf = None) -> dict[str, Any]:
        moment = som_kendt_pr(as_of)
        state = app.tilstand(sag_id, moment)
        laest.sag(sag_id, state["borger_id"])
        return {"som_kendt_pr": moment, **state}

    @router.get(
        "/sager/{sag_id}/adgangslog",
        response_model=s.SagensAdgangslogUd,
        summary="Who read this case's or this citizen's data through any service's API, "
        "in which role and organisation, when, and why",
    )
    def adgangslog(sag_id: UUID, caller: Caller, laest: Laest) -> dict[str, Any]:
        # 404 for an unknown case or someone else's
        borger_id = app.hent_forloeb_for(sag_id, caller).borger_id()
        laest.sag(sag_id, borger_id)
        opslag = projektioner.laes(lambda p: p.adgangslog.for_sag(sag_id, borger_id))
        return {"sag_id": sag_id, "antal": len(opslag), "opslag": opslag}

    @router.get(
        "/sager",
        response_model=s.SagerUd,
        response_model_exclude_unset=True,
        summary="The cases supervision follows, with how many public events each has",
    )
    def sager(aktoer: Actor) -> dict[str, Any]:
        # Case ids and counts only (no one's data): the starting point of a sample.
        antal: dict[str, int] = projektioner.laes(lambda p: dict(p.sager))
        # A parked case (an event supervision could not apply) is an error row: the rest
        # of the list still answers, and the case is not silently missing from a sample.
        fejl = parkerede()
        return {
            "antal": len(antal),
            "sager": [
                {"sag_id": k, "haendelser": v} | ({"fejl": fejl[k]} if k in fejl else {})
                for k, v in sorted(antal.items())
            ],
            "fejl": [{"sag_id": k, "fejl": v} for k, v in sorted(fejl.items())],
        }

    @router.get(
        "/leveringsgrad",
        response_model=list[s.LeveringsgradUd],
        summary="Granted vs delivered minutes per provider",
    )
    def leveringsgrad(aktoer: Actor) -> list[dict[str, Any]]:
        return projektioner.laes(lambda p: p.leveringsgrad.resultat())

    @router.get(
        "/tilsyn/tal",
        response_model=s.TilsynstalUd,
        summary="Tilsyn figures per provider and month, and visitation's legal clocks",
    )
    def tilsynstal(
        aktoer: Actor,
        leverandoer_id: str | None = None,
        maaned: Maaned | None = None,
    ) -> dict[str, Any]:
        tal: dict[str, Any] = projektioner.laes(lambda p: p.tilsynstal.resultat())
        leverandoerer = {
            lev: {m: v for m, v in pr_maaned.items() if maaned in (None, m)}
            for lev, pr_maaned in tal["leverandoerer"].items()
            if leverandoer_id in (None, lev)
        }
        frister = {m: v for m, v in tal["frister"].items() if maaned in (None, m)}
        return {"leverandoerer": leverandoerer, "frister": frister}

    @router.get(
        "/tilsyn/projektioner",
        response_model=s.FingeraftrykUd,
        summary="Position and SHA-256 of every read model (compared by the rebuild CLI)",
    )
    def fingeraftryk(aktoer: Actor) -> dict[str, Any]:
        return projektioner.fingeraftryk()

    return router
