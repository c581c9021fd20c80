"""What visitation's route modules share, declared once: who acts and who calls (both from
the verified token), the access log of reads, the clock, how a router is made, and who may
act in a case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.visitation.application.fuldmagter import Fuldmagtsbehandling
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.adgangslog import Laesning, Laest, adgangslog_for
from shared.infra.api import Actor, Caller, OneHopRoute
from shared.infra.auth import Principal
from shared.infra.tid import idag, now

__all__ = ["Actor", "Caller", "Laesning", "Laest", "idag", "kraev_handle_i_sagen", "now", "ruter"]


def ruter(tag: str, logget_af: Any = None) -> APIRouter:
    """A router whose blocking routes each run in one thread-pool hop (and take an
    Idempotency-Key when they change something); with `logget_af` (an application), its
    reads of citizens' data go to that application's access log."""
    return APIRouter(
        tags=[tag],
        dependencies=[] if logget_af is None else [adgangslog_for(logget_af)],
        route_class=OneHopRoute,
    )


def kraev_handle_i_sagen(app: VisitationApplication, caller: Principal, sag_id: UUID) -> None:
    """A borger acts only in their own case, a fuldmægtig (partsrepræsentant,
    Forvaltningsloven § 8) only with the scope that lets them act, not only read; others
    get 404, as if the case did not exist. Municipal roles pass."""
    Fuldmagtsbehandling(app).kraev_egen_sag(caller, sag_id, "klage_og_frit_valg")
