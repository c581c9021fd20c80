"""Offline shift sync (issue 19 item 2): a worker's phone sends in one request what it
recorded while it had no coverage; each item is applied on its own, in the order recorded.

Each item carries its own idempotency key (the same record as the Idempotency-Key header,
shared/infra/idempotens.py, scoped to the caller): an item sent again, in this sync or a
later one, is replayed, never applied twice, and its first outcome is stored with its
events in one transaction. One item refused by a rule does not stop the others: the
answer says per item whether it was applied, replayed, or refused with the problem (its
rule URN), so the app can show the worker what needs attention.

The rules judge an item by the time it was recorded on the device (a cancellation's
notice, a delivery's day), within SYNK_GRAENSE of receipt (regler.py); the events keep
that time and the device beside the time the service received it (`occurred_at`).
Only 2xx outcomes are stored: a refused item sent again is judged again (it may now pass,
say once the office has planned the visit).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import IntegrityError
from pydantic_core import to_jsonable_python

from services.provider.application.adgang import AdgangNaegtet
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain import regler as r
from shared.infra.idempotens import (
    REGEL_GENBRUGT,
    NoegleGenbrugt,
    Svar,
    anmodning_for,
    fingeraftryk,
)
from shared.kernel import DomainRuleViolation, NotFound


@dataclass(frozen=True)
class Synkpost:
    """One recorded item, ready to run: `udfoer` applies it and returns its answer."""

    noegle: str
    art: str
    registreret_paa_enhed: datetime
    #: The item as sent (canonical JSON): what makes a re-sent item the same item.
    indhold: str
    udfoer: Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Udfald:
    noegle: str
    art: str
    udfald: str  # anvendt | genafspillet | afvist
    svar: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None


def _regel(status: int, rule: str, dansk: str, english: str) -> dict[str, Any]:
    return {
        "type": f"urn:bum:regel:{rule}",
        "title": "Reglen er ikke overholdt / rule violated",
        "status": status,
        "detail": english,
        "regel": rule,
        "dansk": dansk,
    }


def problem_for(exc: Exception) -> dict[str, Any] | None:
    """The problem document the single-command route would answer for `exc` (None: not a
    refusal of this item, e.g. the store is away: the whole sync fails and is re-sent)."""
    if isinstance(exc, DomainRuleViolation):
        return _regel(422, exc.rule, exc.dansk, exc.english)
    if isinstance(exc, AdgangNaegtet):
        return _regel(403, exc.rule, exc.dansk, exc.english)
    if isinstance(exc, NoegleGenbrugt):
        return _regel(
            422,
            REGEL_GENBRUGT,
            "Idempotensnøglen er allerede brugt til en anden registrering.",
            f"The key {exc} was used for another item.",
        )
    if isinstance(exc, NotFound):
        return {
            "type": "urn:bum:findes-ikke",
            "title": "Findes ikke / not found",
            "status": 404,
            "detail": str(exc),
        }
    if isinstance(exc, IntegrityError):
        return {
            "type": "urn:bum:samtidig-aendring",
            "title": "Samtidig ændring / concurrent change",
            "status": 409,
            "detail": "Changed by someone else meanwhile; send the item again.",
        }
    return None


def synkroniser(
    app: ProviderApplication,
    subjekt: str,
    sti: str,
    poster: list[Synkpost],
    modtaget: datetime,
) -> list[Udfald]:
    """Apply the items in the order recorded (stable for equal times), each on its own."""
    udfald: list[Udfald] = []
    for post in sorted(poster, key=lambda p: p.registreret_paa_enhed):
        anmodning = anmodning_for(
            app, subjekt, post.noegle, fingeraftryk("synkronisering", post.indhold), sti
        )

        def koer(post: Synkpost = post) -> dict[str, Any]:
            r.kontroller_synk_tidspunkt(post.registreret_paa_enhed, modtaget)
            return post.udfoer()

        try:
            svar = anmodning.udfoer(
                koer, lambda ud: Svar(201, json.dumps(to_jsonable_python(ud)), False)
            )
        except Exception as exc:
            problem = problem_for(exc)
            if problem is None:
                raise
            udfald.append(Udfald(post.noegle, post.art, "afvist", problem=problem))
            continue
        assert isinstance(svar, Svar)
        art = "genafspillet" if svar.genafspillet else "anvendt"
        udfald.append(Udfald(post.noegle, post.art, art, svar=svar.json()))
    return udfald
