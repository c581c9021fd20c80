"""The providers' notes on a case's orders (domain/noter.py): where each is kept, and the
case's whole list of them for the reader, old history and new aggregates merged.

VisitationApplication inherits this; kept apart so the application module stays small."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from services.visitation.domain.noter import (
    Bestillingskvittering,
    Fristoverskridelse,
    Leveringsnoter,
    maaned,
    maaneder,
)
from services.visitation.domain.values import Bevilling
from shared.infra.aggregatopslag import hent_eller_none
from shared.infra.tid import Ur

if TYPE_CHECKING:
    from eventsourcing.application import Repository

    from services.visitation.domain.sag import Sag


class Sagsnoter:
    if TYPE_CHECKING:
        #: The application clock (EventStoreApplication.ur).
        ur: Ur
        repository: Repository[UUID]

    def kvittering(self, sag_id: UUID, bevilling_id: UUID) -> Bestillingskvittering | None:
        return hent_eller_none(
            self.repository,
            Bestillingskvittering.create_id(sag_id, bevilling_id),
            Bestillingskvittering,
        )

    def fristoverskridelse_noteret(self, sag_id: UUID, frist_id: str) -> bool:
        aggregate_id = Fristoverskridelse.create_id(sag_id, frist_id)
        return hent_eller_none(self.repository, aggregate_id, Fristoverskridelse) is not None

    def leveringsnoter(self, sag_id: UUID, dato: date) -> Leveringsnoter:
        """The month's notes of `dato`, new (unsaved) if there are none yet."""
        m = maaned(dato)
        noter = hent_eller_none(
            self.repository, Leveringsnoter.create_id(sag_id, m), Leveringsnoter
        )
        return noter if noter is not None else Leveringsnoter(sag_id, m)

    # -- the case's whole list, for the reader ------------------------------------------
    def kvitterede_bestillinger(self, sag: Sag) -> dict[UUID, str]:
        """bevilling_id -> provider: the receipts in the case's old history, and one
        lookup per grant of the case (a receipt's id derives from its grant)."""
        ud = dict(sag.kvitterede_bestillinger)
        for bevilling_id in dict.fromkeys(b.bevilling_id for b in _bevillinger(sag)):
            if bevilling_id not in ud:
                k = self.kvittering(sag.id, bevilling_id)
                if k is not None:
                    ud[bevilling_id] = k.leverandoer_id
        return ud

    def alle_leveringsnoter(self, sag: Sag) -> list[Leveringsnoter]:
        """Every month's notes: from the case's first grant (or receipt) to today or the
        latest grant's start, whichever is later. A query, so its cost may grow with the
        case's age; no command reads this."""
        starter = [b.startdato for b in _bevillinger(sag)]
        if not starter:
            return []
        fra = min([sag.modtaget_dato, *starter])
        til = max([self.ur.now().date(), *starter])
        fundne = (
            hent_eller_none(self.repository, Leveringsnoter.create_id(sag.id, m), Leveringsnoter)
            for m in maaneder(fra, til)
        )
        return [n for n in fundne if n is not None]

    def leveringssvigt(
        self, sag: Sag, noter: list[Leveringsnoter] | None = None
    ) -> dict[UUID, tuple[str, date]]:
        ud = dict(sag.leveringssvigt)
        for n in self.alle_leveringsnoter(sag) if noter is None else noter:
            ud.update(n.leveringssvigt)
        return ud

    def afviste_bestillinger(
        self, sag: Sag, noter: list[Leveringsnoter] | None = None
    ) -> dict[tuple[UUID, str, date], str]:
        ud = dict(sag.afviste_bestillinger)
        for n in self.alle_leveringsnoter(sag) if noter is None else noter:
            ud.update(n.afviste_bestillinger)
        return ud


def _bevillinger(sag: Sag) -> list[Bevilling]:
    return [
        *(b for a in sag.afgoerelser for b in a.bevillinger),
        *sag.skiftede_bevillinger.values(),
    ]
