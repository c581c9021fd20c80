"""The provider service's copy of visitation's provider register.

Visitation owns the register (approval under frit valg is a municipal act) and publishes
each change as `LeverandoerregisterAendret`: the provider with all its approval windows.
This service keeps the latest snapshot per provider in its own store (one small aggregate
per provider, id `leverandoer_register_id(leverandoer_id)`, the message key), and an index
of the ids so the copy is rebuilt at start. Not published again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.reference.leverandoerer import GodkendtLeverandoer, leverandoer_register_id


class Leverandoerkopi(Aggregate):
    @staticmethod
    def create_id(leverandoer_id: str) -> UUID:
        return leverandoer_register_id(leverandoer_id)

    class Oprettet(Aggregate.Created):
        leverandoer_id: str

    class RegisterNoteret(Aggregate.Event):
        leverandoer: GodkendtLeverandoer
        occurred_at: datetime

    @event(Oprettet)
    def __init__(self, leverandoer_id: str) -> None:
        self.leverandoer_id = leverandoer_id
        self.leverandoer: GodkendtLeverandoer | None = None

    def noter(self, leverandoer: GodkendtLeverandoer, occurred_at: datetime) -> bool:
        """Replace the copy with visitation's latest snapshot; False if nothing changed (a
        redelivery, or a change that left the windows as they were)."""
        if leverandoer == self.leverandoer:
            return False
        self._noteret(leverandoer, occurred_at)
        return True

    @event(RegisterNoteret)
    def _noteret(self, leverandoer: GodkendtLeverandoer, occurred_at: datetime) -> None:
        self.leverandoer = leverandoer


class Leverandoerkopiindeks(Aggregate):
    """Which providers the copy holds, so it can be rebuilt when the service starts."""

    ID = uuid.UUID("5d0b8a51-2f3c-4e6d-9b17-a4c8e2f60d93")

    @staticmethod
    def create_id() -> UUID:
        return Leverandoerkopiindeks.ID

    class Oprettet(Aggregate.Created):
        pass

    class LeverandoerTilfoejet(Aggregate.Event):
        leverandoer_id: str

    @event(Oprettet)
    def __init__(self) -> None:
        self.leverandoer_ids: list[str] = []

    def tilfoej(self, leverandoer_id: str) -> bool:
        if leverandoer_id in self.leverandoer_ids:
            return False
        self._tilfoejet(leverandoer_id)
        return True

    @event(LeverandoerTilfoejet)
    def _tilfoejet(self, leverandoer_id: str) -> None:
        self.leverandoer_ids.append(leverandoer_id)
