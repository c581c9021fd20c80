"""Every refusal and failure a caller can meet, as the RFC 9457 problem document it gets:
one mapping, used by the API's exception handlers and by each item of a shift sync (which
answers per item what the single-command route would have answered).

The kinds come from the shared kernel (`Afvisning`: a rule refused it, with the rule's
name and texts in Danish and English), from access control, from the store (a concurrent
change, the store away) and from idempotency keys; a kind not listed here is a bug and
becomes a 500 (InterneFejl in api.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError

from shared.infra.auth import Forbidden
from shared.infra.eventstore import ConcurrentChange
from shared.kernel import AdgangNaegtet, Afvisning, NotFound

PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Problem:
    status: int
    body: dict[str, Any]


def _doc(status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any) -> Problem:
    return Problem(
        status, {"type": type_, "title": title, "status": status, "detail": detail, **extra}
    )


#: The kernel's refusals by kind: a rule the caller broke, or a rule of access.
AFVISNINGER: tuple[tuple[type[Afvisning], int], ...] = ((AdgangNaegtet, 403), (Afvisning, 422))

#: Every kind this module answers (the API registers a handler for each).
KENDTE: tuple[type[Exception], ...] = (
    Afvisning,
    Forbidden,
    NotFound,
    IntegrityError,
    OperationalError,
)


def problem_for(exc: Exception) -> Problem | None:
    """The problem document for `exc`; None for a kind this module does not know."""
    if isinstance(exc, Afvisning):
        status = next(s for kind, s in AFVISNINGER if isinstance(exc, kind))
        return _doc(
            status,
            exc.titel,
            exc.english,
            f"urn:bum:regel:{exc.rule}",
            regel=exc.rule,
            dansk=exc.dansk,
        )
    if isinstance(exc, Forbidden):
        return _doc(403, "Ingen adgang / forbidden", str(exc))
    if isinstance(exc, NotFound):
        return _doc(404, "Findes ikke / not found", str(exc), "urn:bum:findes-ikke")
    if isinstance(exc, IntegrityError):
        # Optimistic concurrency: someone else changed the same aggregate first. Where the
        # store could tell which one, the client learns what to reload and its version now.
        where = (
            {"aggregat_id": str(exc.aggregate_id), "aktuel_version": exc.current_version}
            if isinstance(exc, ConcurrentChange)
            else {}
        )
        return _doc(
            409,
            "Samtidig ændring / concurrent change",
            "The case was changed by someone else; reload it and try again.",
            "urn:bum:samtidig-aendring",
            **where,
        )
    if isinstance(exc, OperationalError):
        return _doc(
            503,
            "Hændelseslageret svarer ikke / event store unavailable",
            "Try again shortly.",
            "urn:bum:lager-utilgaengeligt",
        )
    return None
