"""The provider service's application: orders and their visits for every leverandør."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.provider.domain.bestilling import Bestilling
from services.provider.domain.values import VALUE_TYPES, Aflysning, Levering
from shared.infra.eventstore import EventStoreApplication
from shared.kernel import Aktoer, NotFound


def now() -> datetime:
    return datetime.now(UTC)


class ProviderApplication(EventStoreApplication):
    name = "provider"
    value_types = VALUE_TYPES

    def hent_bestilling(self, bestilling_id: UUID) -> Bestilling:
        try:
            bestilling: Bestilling = self.repository.get(bestilling_id)
        except AggregateNotFoundError:
            raise NotFound("bestilling", bestilling_id) from None
        return bestilling

    def find_bestilling(self, bevilling_id: UUID) -> Bestilling | None:
        try:
            found: Bestilling = self.repository.get(Bestilling.create_id(bevilling_id))
        except AggregateNotFoundError:
            return None
        return found

    def registrer_levering(self, bestilling_id: UUID, levering: Levering, aktoer: Aktoer) -> None:
        bestilling = self.hent_bestilling(bestilling_id)
        bestilling.registrer_levering(levering, aktoer, now())
        self.save(bestilling)

    def aflys_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
    ) -> Aflysning:
        bestilling = self.hent_bestilling(bestilling_id)
        aflysning = bestilling.aflys_besoeg(
            besoeg_id, aflyst_af, aarsag, aflyst_tidspunkt, aktoer, now()
        )
        self.save(bestilling)
        return aflysning
