"""A provider's staff roster (medarbejderstab): who can be planned onto visits, for which
categories, on which weekdays and in which hours. One aggregate per provider; the whole
roster is set at once (the provider's own HR system stays the master)."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain.tildeling import Medarbejder, kontroller_stab
from shared.kernel import Aktoer


class Medarbejderstab(Aggregate):
    NAMESPACE = UUID("5e0b8f6c-2d4a-4b7e-9c1f-8a3d6e2b0c71")

    @staticmethod
    def create_id(leverandoer_id: str) -> UUID:
        return uuid.uuid5(Medarbejderstab.NAMESPACE, leverandoer_id)

    class StabOprettet(Aggregate.Created):
        leverandoer_id: str
        medarbejdere: tuple[Medarbejder, ...]
        aktoer: Aktoer
        occurred_at: datetime

    class StabFastlagt(Aggregate.Event):
        medarbejdere: tuple[Medarbejder, ...]
        aktoer: Aktoer
        occurred_at: datetime

    @classmethod
    def opret(
        cls,
        leverandoer_id: str,
        medarbejdere: tuple[Medarbejder, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> Medarbejderstab:
        kontroller_stab(medarbejdere)
        return cls(leverandoer_id, medarbejdere, aktoer, occurred_at)

    @event(StabOprettet)
    def __init__(
        self,
        leverandoer_id: str,
        medarbejdere: tuple[Medarbejder, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.leverandoer_id = leverandoer_id
        self.medarbejdere = medarbejdere

    def fastlaeg(
        self, medarbejdere: tuple[Medarbejder, ...], aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        kontroller_stab(medarbejdere)
        if medarbejdere != self.medarbejdere:
            self._fastlagt(medarbejdere, aktoer, occurred_at)

    @event(StabFastlagt)
    def _fastlagt(
        self, medarbejdere: tuple[Medarbejder, ...], aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.medarbejdere = medarbejdere
