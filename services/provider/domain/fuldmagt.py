"""The provider's copy of a citizen's fuldmagter, as visitation published them.

Self-service (coming visits, cancelling one) lets a relative act for the citizen only
under a recorded, valid fuldmagt; the provider keeps what it received in its own store so
its read model can answer that without asking visitation. Not published again.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.fuldmagt import fuldmagtsregister_id


class Fuldmagtskopi(Aggregate):
    @staticmethod
    def create_id(borger_id: UUID) -> UUID:
        return fuldmagtsregister_id(borger_id)

    class Oprettet(Aggregate.Created):
        borger_id: UUID

    class FuldmagtNoteret(Aggregate.Event):
        fuldmagt_id: UUID
        borger_id: UUID
        fuldmagtshaver: str
        omfang: tuple[str, ...]
        gyldig_fra: date
        gyldig_til: date | None
        occurred_at: datetime

    class TilbagekaldelseNoteret(Aggregate.Event):
        fuldmagt_id: UUID
        tilbagekaldt_fra: date
        occurred_at: datetime

    @event(Oprettet)
    def __init__(self, borger_id: UUID) -> None:
        self.borger_id = borger_id
        self.kendte: set[UUID] = set()
        self.tilbagekaldte: set[UUID] = set()

    def noter(
        self,
        fuldmagt_id: UUID,
        fuldmagtshaver: str,
        omfang: tuple[str, ...],
        gyldig_fra: date,
        gyldig_til: date | None,
        occurred_at: datetime,
    ) -> bool:
        if fuldmagt_id in self.kendte:
            return False  # a redelivery
        self._noteret(
            fuldmagt_id,
            self.borger_id,
            fuldmagtshaver,
            omfang,
            gyldig_fra,
            gyldig_til,
            occurred_at,
        )
        return True

    def noter_tilbagekaldelse(self, fuldmagt_id: UUID, fra: date, occurred_at: datetime) -> bool:
        if fuldmagt_id in self.tilbagekaldte:
            return False
        self._tilbagekaldelse_noteret(fuldmagt_id, fra, occurred_at)
        return True

    @event(FuldmagtNoteret)
    def _noteret(
        self,
        fuldmagt_id: UUID,
        borger_id: UUID,
        fuldmagtshaver: str,
        omfang: tuple[str, ...],
        gyldig_fra: date,
        gyldig_til: date | None,
        occurred_at: datetime,
    ) -> None:
        self.kendte.add(fuldmagt_id)

    @event(TilbagekaldelseNoteret)
    def _tilbagekaldelse_noteret(
        self, fuldmagt_id: UUID, tilbagekaldt_fra: date, occurred_at: datetime
    ) -> None:
        self.tilbagekaldte.add(fuldmagt_id)
