"""A citizen's fuldmagter: who may act for them, in what, for how long; and revocations.

One register per citizen (id `fuldmagtsregister_id(borger_id)`, the case id of its public
events). A visitator records a fuldmagt the citizen gave (on paper, by phone), or the
citizen records it in self-service; either may revoke it. The fuldmagtshaver is named by
their identity-broker subject id, never by CPR number (see shared.kernel.fuldmagt).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from shared.kernel.fuldmagt import OMFANG, Fuldmagt, Fuldmagter, fuldmagtsregister_id


class Fuldmagtsregister(Aggregate):
    @staticmethod
    def create_id(borger_id: UUID) -> UUID:
        return fuldmagtsregister_id(borger_id)

    class Oprettet(Aggregate.Created):
        borger_id: UUID

    class FuldmagtGivet(Aggregate.Event):
        fuldmagt_id: UUID
        borger_id: UUID
        fuldmagtshaver: str
        omfang: tuple[str, ...]
        gyldig_fra: date
        gyldig_til: date | None
        aktoer: Aktoer
        occurred_at: datetime

    class FuldmagtTilbagekaldt(Aggregate.Event):
        fuldmagt_id: UUID
        borger_id: UUID
        fuldmagtshaver: str
        tilbagekaldt_fra: date
        aktoer: Aktoer
        occurred_at: datetime

    @event(Oprettet)
    def __init__(self, borger_id: UUID) -> None:
        self.borger_id = borger_id
        self.fuldmagter = Fuldmagter()

    # -- commands ------------------------------------------------------------------------
    def giv(
        self,
        fuldmagt_id: UUID,
        fuldmagtshaver: str,
        omfang: tuple[str, ...],
        gyldig_fra: date,
        gyldig_til: date | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        if not fuldmagtshaver.strip():
            raise DomainRuleViolation(
                "fuldmagt-kraever-fuldmagtshaver",
                "En fuldmagt skal navngive fuldmagtshaveren (id hos identitetsudbyderen).",
                "A fuldmagt must name its holder (identity-broker subject id).",
            )
        if fuldmagtshaver == str(self.borger_id):
            raise DomainRuleViolation(
                "fuldmagt-til-anden-person",
                "Borgeren kan ikke give sig selv fuldmagt.",
                "A citizen cannot give a fuldmagt to themself.",
            )
        ukendt = set(omfang) - set(OMFANG)
        if not omfang or ukendt:
            raise DomainRuleViolation(
                "fuldmagt-omfang",
                f"Fuldmagtens omfang skal være et eller flere af {sorted(OMFANG)}.",
                f"A fuldmagt's scope must be one or more of {sorted(OMFANG)}.",
            )
        if gyldig_til is not None and gyldig_til < gyldig_fra:
            raise DomainRuleViolation(
                "fuldmagt-periode",
                "Fuldmagten kan ikke udløbe, før den gælder fra.",
                "A fuldmagt cannot end before it starts.",
            )
        self._givet(
            fuldmagt_id,
            self.borger_id,
            fuldmagtshaver,
            tuple(sorted(set(omfang))),
            gyldig_fra,
            gyldig_til,
            aktoer,
            occurred_at,
        )

    def tilbagekald(
        self, fuldmagt_id: UUID, fra: date, idag: date, aktoer: Aktoer, occurred_at: datetime
    ) -> Fuldmagt:
        fuldmagt = self.hent(fuldmagt_id)
        if fra < idag:
            # What the holder did under the fuldmagt until now stays done under it.
            raise DomainRuleViolation(
                "fuldmagt-tilbagekaldes-ikke-bagud",
                "En fuldmagt kan tidligst tilbagekaldes fra i dag.",
                "A fuldmagt can be revoked from today at the earliest.",
            )
        if fuldmagt.tilbagekaldt_fra is not None:
            raise DomainRuleViolation(
                "fuldmagt-allerede-tilbagekaldt",
                f"Fuldmagten er allerede tilbagekaldt fra {fuldmagt.tilbagekaldt_fra}.",
                f"The fuldmagt was already revoked from {fuldmagt.tilbagekaldt_fra}.",
            )
        self._tilbagekaldt(
            fuldmagt_id, self.borger_id, fuldmagt.fuldmagtshaver, fra, aktoer, occurred_at
        )
        return self.hent(fuldmagt_id)

    def hent(self, fuldmagt_id: UUID) -> Fuldmagt:
        for f in self.fuldmagter.for_borger(self.borger_id):
            if f.fuldmagt_id == fuldmagt_id:
                return f
        raise NotFound("fuldmagt", fuldmagt_id)

    # -- events --------------------------------------------------------------------------
    @event(FuldmagtGivet)
    def _givet(
        self,
        fuldmagt_id: UUID,
        borger_id: UUID,
        fuldmagtshaver: str,
        omfang: tuple[str, ...],
        gyldig_fra: date,
        gyldig_til: date | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.fuldmagter.givet(
            Fuldmagt(
                fuldmagt_id,
                str(borger_id),
                fuldmagtshaver,
                frozenset(omfang),
                gyldig_fra,
                gyldig_til,
            )
        )

    @event(FuldmagtTilbagekaldt)
    def _tilbagekaldt(
        self,
        fuldmagt_id: UUID,
        borger_id: UUID,
        fuldmagtshaver: str,
        tilbagekaldt_fra: date,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.fuldmagter.tilbagekaldt(fuldmagt_id, tilbagekaldt_fra)
