"""The approved kvalitetsstandard versions of one kommune (an event-sourced register).

The approval event carries the whole validated content and its fingerprint: a decision
names a version, and a replay years later finds the exact rules that version held, even if
the YAML file has since been edited or removed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.catalogue.model import Kvalitetsstandard
from shared.kernel import Aktoer, DomainRuleViolation


class KatalogRegister(Aggregate):
    NAMESPACE = UUID("5b1f3a52-6f0e-4a51-9d77-2f8f3c0f9e11")

    @staticmethod
    def create_id(kommune: str) -> UUID:
        return uuid.uuid5(KatalogRegister.NAMESPACE, kommune)

    class KvalitetsstandardGodkendt(Aggregate.Event):
        kommune: str
        katalog_version: str
        gyldig_fra: date
        godkendt_dato: date
        indhold: dict[str, Any]
        sha256: str
        aktoer: Aktoer
        occurred_at: datetime

    @event("Oprettet")
    def __init__(self, kommune: str) -> None:
        self.kommune = kommune
        self.versioner: dict[str, dict[str, Any]] = {}
        self.gyldig_fra: dict[str, date] = {}

    def godkend(
        self,
        standard: Kvalitetsstandard,
        sha256: str,
        godkendt_dato: date,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        if standard.kommune != self.kommune:
            raise DomainRuleViolation(
                "kvalitetsstandard-forkert-kommune",
                f"Kvalitetsstandarden hører til {standard.kommune}, ikke {self.kommune}.",
                f"The standard belongs to {standard.kommune}, not {self.kommune}.",
            )
        if standard.katalog_version in self.versioner:
            raise DomainRuleViolation(
                "kvalitetsstandard-allerede-godkendt",
                f"{standard.katalog_version} er allerede godkendt; en ændring kræver en ny "
                "version.",
                f"{standard.katalog_version} is already approved; a change needs a new version.",
            )
        if standard.gyldig_fra in self.gyldig_fra.values():
            raise DomainRuleViolation(
                "kvalitetsstandard-samme-gyldighedsdato",
                "To godkendte versioner kan ikke gælde fra samme dato.",
                "Two approved versions cannot take effect on the same date.",
            )
        self._godkendt(
            standard.kommune,
            standard.katalog_version,
            standard.gyldig_fra,
            godkendt_dato,
            standard.model_dump(mode="json"),
            sha256,
            aktoer,
            occurred_at,
        )

    @event(KvalitetsstandardGodkendt)
    def _godkendt(
        self,
        kommune: str,
        katalog_version: str,
        gyldig_fra: date,
        godkendt_dato: date,
        indhold: dict[str, Any],
        sha256: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.versioner[katalog_version] = indhold
        self.gyldig_fra[katalog_version] = gyldig_fra

    def standard(self, katalog_version: str) -> Kvalitetsstandard | None:
        indhold = self.versioner.get(katalog_version)
        return None if indhold is None else Kvalitetsstandard.model_validate(indhold)

    def gaeldende(self, dato: date) -> Kvalitetsstandard | None:
        """The approved version with the latest valid-from on or before `dato`."""
        kandidater = [(fra, v) for v, fra in self.gyldig_fra.items() if fra <= dato]
        return self.standard(max(kandidater)[1]) if kandidater else None
