"""A case a rule cannot handle is isolated: the work list, the clock checks and the other
endpoints that walk many cases answer for all the rest and show that one as an error row;
the error is logged with its stack and counted on `/health`.

An event store cannot forget, so one case whose stored events a rule cannot fold or
compute with (a date from before the APIs bounded dates, a bug in a new rule) must not
turn every caseworker's work list into a 500 until someone repairs it.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

import structlog
from eventsourcing.persistence import OperationalError

from shared.infra.auth import Forbidden
from shared.kernel import DomainRuleViolation

log = structlog.get_logger("sagsfejl")
T = TypeVar("T")


@dataclass(frozen=True)
class Sagsfejl:
    """The error row shown in place of the case's rows."""

    sag_id: UUID
    fejl: str  # what the caseworker and an operator read
    fejltype: str  # the rule's name, or the exception's class


class Sagsfejltaeller:
    """How many times (since start) a case was left out of an answer, and the latest ones,
    for `/health`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pr_sted: Counter[str] = Counter()
        self.seneste: deque[dict[str, str]] = deque(maxlen=10)

    def registrer(self, sag_id: UUID, hvor: str, exc: Exception) -> Sagsfejl:
        if isinstance(exc, DomainRuleViolation):
            fejl = Sagsfejl(sag_id, f"{exc.dansk} / {exc.english}", exc.rule)
        else:
            fejl = Sagsfejl(
                sag_id,
                "Sagens hændelser kunne ikke behandles; fejlen er logget. / The case's events "
                "could not be processed; the error has been logged.",
                type(exc).__name__,
            )
        log.error(
            "sag_isoleret", sag_id=str(sag_id), hvor=hvor, fejltype=fejl.fejltype, exc_info=exc
        )
        with self._lock:
            self.pr_sted[hvor] += 1
            self.seneste.append({"sag_id": str(sag_id), "hvor": hvor, "fejltype": fejl.fejltype})
        return fejl

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {
                "antal": sum(self.pr_sted.values()),
                "pr_sted": dict(self.pr_sted),
                "seneste": list(self.seneste),
            }


#: One per process: each service runs in its own.
SAGSFEJL = Sagsfejltaeller()


def isoleret(
    sag_id: UUID, hvor: str, regel: Callable[[UUID], T], taeller: Sagsfejltaeller = SAGSFEJL
) -> T | Sagsfejl:
    """`regel(sag_id)`, or the case's error row if it raised. A store outage is not the
    case's fault: it still fails the whole request (503), not one error row per case;
    neither is a refused access (403). `sag_id` may name an order where the service works
    on orders."""
    try:
        return regel(sag_id)
    except (OperationalError, Forbidden):
        raise  # an outage, or a caller who may not: the whole request's answer
    except Exception as exc:
        return taeller.registrer(sag_id, hvor, exc)
