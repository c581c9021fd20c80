"""Tilsyn's search in the access log: every read of citizens' personal data through any
service's API (supervision's own and those visitation and provider publish)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from services.supervision.api.deps import Laest, ruter
from services.supervision.api.schemas import AdgangslogSoegningUd
from services.supervision.api.tid import fra_tidspunkt, som_kendt_pr
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.domain.adgangslog import Soegning

Tidspunkt = Annotated[
    str | None,
    Query(
        max_length=40,
        description="A date (fra: start of day, til: end of day) or an ISO 8601 moment; "
        "a time without zone is Danish time. From 1900-01-01 to 2199-12-31, offsets up to "
        "±14:00; outside: 422.",
        examples=["2026-11-05", "2026-11-05T12:00:00+01:00"],
    ),
]


def _utc(value: str | None, start: bool) -> str | None:
    moment = fra_tidspunkt(value) if start else som_kendt_pr(value)
    return None if moment is None else moment.astimezone(UTC).isoformat()


def build_adgangslog_router(projektioner: Tilsynsprojektioner) -> APIRouter:
    router = ruter("tilsyn", projektioner.app)

    @router.get(
        "/adgangslog",
        response_model=AdgangslogSoegningUd,
        summary="Search the access log across all services: who read whose data, in which "
        "role and organisation, when and why",
    )
    def soeg_adgangslog(
        laest: Laest,
        borger_id: UUID | None = None,
        sag_id: UUID | None = None,
        aktoer: Annotated[str | None, Query(max_length=200, description="reader's id")] = None,
        tjeneste: Literal["visitation", "provider", "supervision"] | None = None,
        fra: Tidspunkt = None,
        til: Tidspunkt = None,
        graense: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> dict[str, Any]:
        soegning = Soegning(
            borger_id=None if borger_id is None else str(borger_id),
            sag_id=None if sag_id is None else str(sag_id),
            aktoer=aktoer,
            tjeneste=tjeneste,
            fra=_utc(fra, start=True),
            til=_utc(til, start=False),
        )
        antal, opslag = projektioner.laes(lambda p: p.adgangslog.soeg(soegning, graense))
        # The answer names citizens and what was read about them: that is a read too.
        laest.raekker(opslag)
        return {"antal": antal, "viste": len(opslag), "opslag": opslag}

    return router
