"""How an order ends or pauses: ophør, leverandørskift, hospital stays, and the provider's
change reports.

`Bestilling` (bestilling.py) builds on this; split only to keep modules small. The visits
these end or pause live in the order's periods (periode.py), which the caller names
(`oevrige`); an order stored before the periods also ends or pauses its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain import upcasting
from services.provider.domain.besoeg import BESOEG_NAMESPACE, Besoegsforloeb
from services.provider.domain.values import (
    Aendringsindberetning,
    Erstatningspligt,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import eje

__all__ = ["BESOEG_NAMESPACE", "Bestillingsforloeb", "dobbeltbooking"]


def dobbeltbooking() -> DomainRuleViolation:
    return DomainRuleViolation(
        "dobbeltbooking",
        "Der ligger allerede et besøg i samme tidsvindue.",
        "A visit is already planned in that time window.",
    )


class Bestillingsforloeb(Besoegsforloeb):
    if TYPE_CHECKING:  # set by Bestilling.__init__; not dataclass fields
        bevilling_id: UUID
        pauset_fra: date | None
        sidste_dag: date | None
        efterfoelger_id: UUID | None
        svigtede: set[UUID]
        bortfaldne: set[UUID]
        indberetninger: list[Aendringsindberetning]
        pligter: dict[UUID, Erstatningspligt]
        opfyldte: set[UUID]

    class BestillingAfsluttet(Aggregate.Event):
        """Ophør or leverandørskift: no visit after `sidste_dag`, no replacement owed."""

        bevilling_id: UUID
        sidste_dag: date
        aarsag: str
        afsluttede_besoeg: tuple[UUID, ...]
        bortfaldne_erstatninger: tuple[UUID, ...]
        efterfoelger_id: UUID | None
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class BesoegPauset(Aggregate.Event):
        """Indlæggelse: visits from `fra` on wait, without a replacement duty."""

        fra: date
        aarsag: str
        besoeg_ids: tuple[UUID, ...]
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class BesoegGenoptaget(Aggregate.Event):
        fra: date
        besoeg_ids: tuple[UUID, ...]
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class AendringIFunktionsevneIndberettet(Aggregate.Event):
        # v2: the description is Personoplysning under the citizen's key (upcasting.py).
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.indberetning_v1_v2)
        indberetning: Aendringsindberetning
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    # -- queries -------------------------------------------------------------------
    @property
    def aktiv(self) -> bool:
        return self.sidste_dag is None

    def erstatningspligter(self) -> dict[UUID, date]:
        raise NotImplementedError  # Erstatningsforloeb keeps the duties

    def planlaeg_besoeg(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        raise NotImplementedError  # Bestilling plans from the grant

    def afslut(
        self,
        sidste_dag: date,
        aarsag: str,
        efterfoelger_id: UUID | None,
        aktoer: Aktoer,
        occurred_at: datetime,
        oevrige: Sequence[PlanlagtBesoeg] = (),
    ) -> None:
        """End the order: planned visits after `sidste_dag` end without replacement, and
        replacement duties that could only be met after it lapse. `oevrige`: the planned or
        paused visits after `sidste_dag` that live in the order's periods."""
        if self.sidste_dag is not None:
            return  # already ended: a redelivered ophør changes nothing
        egne = [
            b
            for b in self.besoeg.values()
            if b.dato > sidste_dag and self.status(b.besoeg_id) in ("planlagt", "pauset")
        ]
        afsluttede = tuple(
            b.besoeg_id for b in sorted([*egne, *oevrige], key=lambda b: (b.dato, b.tidsvindue))
        )
        bortfaldne = tuple(
            sorted(k for k, f in self.erstatningspligter().items() if f > sidste_dag)
        )
        self._bestilling_afsluttet(
            self.bevilling_id,
            sidste_dag,
            aarsag,
            afsluttede,
            bortfaldne,
            efterfoelger_id,
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
        )

    def pause(
        self,
        fra: date,
        aarsag: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        oevrige: Sequence[UUID] = (),
    ) -> None:
        """`oevrige`: the planned visits from `fra` that live in the order's periods."""
        if self.pauset_fra is not None:
            raise DomainRuleViolation(
                "allerede-pauset",
                "Besøgene er allerede sat i bero (indlæggelse).",
                "The visits are already paused.",
            )
        ids = tuple(
            b.besoeg_id
            for b in self.besoeg.values()
            if b.dato >= fra and self.status(b.besoeg_id) == "planlagt"
        ) + tuple(oevrige)
        self._besoeg_pauset(fra, aarsag, ids, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def genoptag(
        self,
        fra: date,
        aktoer: Aktoer,
        occurred_at: datetime,
        oevrige: Sequence[PlanlagtBesoeg] = (),
        planlaeg: bool = True,
    ) -> None:
        """Udskrivning: paused visits from `fra` on are planned again; earlier ones stay
        undelivered without a duty. The rolling plan then fills the rest of the horizon
        (here when `planlaeg`; for an order with periods the caller plans into them).
        `oevrige`: the paused visits in the order's periods."""
        if self.pauset_fra is None:
            raise DomainRuleViolation(
                "ikke-pauset",
                "Besøgene er ikke sat i bero.",
                "The visits are not paused.",
            )
        if fra < self.pauset_fra:
            raise DomainRuleViolation(
                "genoptagelse-foer-pause",
                "Genoptagelsen kan ikke ligge før indlæggelsen.",
                "Resumption cannot be before the admission.",
            )
        pausede = [self.besoeg[b] for b in self.pausede] + list(oevrige)
        ids = tuple(
            b.besoeg_id for b in sorted(pausede, key=lambda b: str(b.besoeg_id)) if b.dato >= fra
        )
        self._besoeg_genoptaget(fra, ids, self.sag_id, self.leverandoer_id, aktoer, occurred_at)
        if planlaeg:
            self.planlaeg_besoeg(fra, aktoer, occurred_at)

    def indberet_aendring(
        self, indberetning: Aendringsindberetning, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        r.kraev_aarsag(
            indberetning.beskrivelse,
            "indberetning-uden-beskrivelse",
            "En ændringsindberetning skal beskrive ændringen.",
            "A change report must describe the change.",
        )
        if indberetning.observeret_dato > r.dansk_dato(occurred_at):
            raise DomainRuleViolation(
                "observation-i-fremtiden",
                "En ændring kan ikke være observeret i fremtiden.",
                "A change cannot be observed in the future.",
            )
        self._aendring_indberettet(
            eje(indberetning, self.borger_id), self.sag_id, self.leverandoer_id, aktoer, occurred_at
        )

    def _kontroller_ledig(self, dato: date, tidsvindue: str) -> None:
        if self.optaget(dato, tidsvindue):
            raise dobbeltbooking()
        self.kontroller_aktiv_paa(dato)

    def kontroller_aktiv_paa(self, dato: date) -> None:
        raise NotImplementedError  # Erstatningsforloeb

    @event(BestillingAfsluttet)
    def _bestilling_afsluttet(
        self,
        bevilling_id: UUID,
        sidste_dag: date,
        aarsag: str,
        afsluttede_besoeg: tuple[UUID, ...],
        bortfaldne_erstatninger: tuple[UUID, ...],
        efterfoelger_id: UUID | None,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.sidste_dag = sidste_dag
        self.efterfoelger_id = efterfoelger_id
        for b in afsluttede_besoeg:
            if b in self.besoeg:  # the others live in the order's periods
                self.afsluttede[b] = aarsag
                self.pausede.discard(b)
        self.bortfaldne.update(bortfaldne_erstatninger)

    @event(BesoegPauset)
    def _besoeg_pauset(
        self,
        fra: date,
        aarsag: str,
        besoeg_ids: tuple[UUID, ...],
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.pauset_fra = fra
        self.pausede.update(b for b in besoeg_ids if b in self.besoeg)

    @event(BesoegGenoptaget)
    def _besoeg_genoptaget(
        self,
        fra: date,
        besoeg_ids: tuple[UUID, ...],
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.pauset_fra = None
        self.pausede.difference_update(besoeg_ids)

    @event(AendringIFunktionsevneIndberettet)
    def _aendring_indberettet(
        self,
        indberetning: Aendringsindberetning,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.indberetninger.append(eje(indberetning, self.borger_id))
