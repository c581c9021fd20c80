"""What every service's route modules share, declared once (each service's `api/deps.py`
hands these on): who acts and who calls (both from the verified token), the access log of
reads, the clock, how a router is made, and the base of request bodies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from shared.infra.adgangslog import Laesning, Laest, adgangslog_for
from shared.infra.api import Actor, Caller, OneHopRoute

__all__ = ["Actor", "Caller", "Laesning", "Laest", "StrictBody", "ruter"]


def ruter(tag: str, logget_af: Any = None) -> APIRouter:
    """A router whose blocking routes each run in one thread-pool hop (and take an
    Idempotency-Key when they change something); with `logget_af` (an application), its
    reads of citizens' data go to that application's access log."""
    return APIRouter(
        tags=[tag],
        dependencies=[] if logget_af is None else [adgangslog_for(logget_af)],
        route_class=OneHopRoute,
    )


class StrictBody(BaseModel):
    """A request body: a field the schema does not name is refused (422), not ignored."""

    model_config = ConfigDict(extra="forbid")
