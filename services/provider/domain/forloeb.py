"""The state of an order's visits and how an order ends or pauses: ophør,
leverandørskift, hospital stays, and the provider's change reports.

`Bestilling` (bestilling.py) builds on this; split only to keep modules small. Event
classes defined here are stored under this module's name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain import upcasting
from services.provider.domain.values import (
    Aendringsindberetning,
    Aflysning,
    Forgaeves,
    Levering,
    Leveringsregler,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from shared.kernel.personoplysning import eje

BESOEG_NAMESPACE = UUID("7a1c9d3e-5b2f-4e8a-b6c4-2d9e0f1a3b57")


class Bestillingsforloeb(Aggregate):
    if TYPE_CHECKING:  # set by Bestilling.__init__; not dataclass fields
        sag_id: UUID
        bevilling_id: UUID
        borger_id: UUID
        leverandoer_id: str
        regler: Leveringsregler
        besoeg: dict[UUID, PlanlagtBesoeg]
        leveringer: dict[UUID, Levering]
        aflysninger: dict[UUID, Aflysning]
        forgaeves: dict[UUID, Forgaeves]
        afsluttede: dict[UUID, str]
        pausede: set[UUID]
        pauset_fra: date | None
        sidste_dag: date | None
        efterfoelger_id: UUID | None
        svigtede: set[UUID]
        bortfaldne: set[UUID]
        indberetninger: list[Aendringsindberetning]

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
    def status(self, besoeg_id: UUID) -> str:
        if besoeg_id in self.leveringer:
            return "delvist_leveret" if self.leveringer[besoeg_id].delvis else "leveret"
        if besoeg_id in self.aflysninger:
            return "aflyst"
        if besoeg_id in self.forgaeves:
            return "forgaeves"
        if besoeg_id in self.afsluttede:
            return "afsluttet"
        if besoeg_id in self.pausede:
            return "pauset"
        return "planlagt"

    @property
    def aktiv(self) -> bool:
        return self.sidste_dag is None

    def erstatningspligter(self) -> dict[UUID, date]:
        """Open replacement duties: cancelled visit -> last day for the replacement."""
        return {
            a.besoeg_id: a.erstatningsfrist
            for a in self.aflysninger.values()
            if a.erstatning_skyldig
            and a.erstatningsfrist is not None
            and a.besoeg_id not in self.svigtede
            and a.besoeg_id not in self.bortfaldne
            and not self._erstattet(a.besoeg_id, a.erstatningsfrist)
        }

    def erstatninger_for(self, besoeg_id: UUID) -> list[PlanlagtBesoeg]:
        return [b for b in self.besoeg.values() if b.erstatter_besoeg_id == besoeg_id]

    def _erstattet(self, besoeg_id: UUID, frist: date) -> bool:
        # Met when a replacement was delivered, or the helper came in vain, by the deadline.
        for b in self.erstatninger_for(besoeg_id):
            lev = self.leveringer.get(b.besoeg_id)
            if lev is not None and r.dansk_dato(lev.leveret_tidspunkt) <= frist:
                return True
            fg = self.forgaeves.get(b.besoeg_id)
            if fg is not None and r.dansk_dato(fg.tidspunkt) <= frist:
                return True
        return False

    def planlaeg_besoeg(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        raise NotImplementedError  # Bestilling plans from the grant

    def afslut(
        self,
        sidste_dag: date,
        aarsag: str,
        efterfoelger_id: UUID | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """End the order: planned visits after `sidste_dag` end without replacement, and
        replacement duties that could only be met after it lapse."""
        if self.sidste_dag is not None:
            return  # already ended: a redelivered ophør changes nothing
        afsluttede = tuple(
            b.besoeg_id
            for b in sorted(self.besoeg.values(), key=lambda b: (b.dato, b.tidsvindue))
            if b.dato > sidste_dag and self.status(b.besoeg_id) in ("planlagt", "pauset")
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

    def pause(self, fra: date, aarsag: str, aktoer: Aktoer, occurred_at: datetime) -> None:
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
        )
        self._besoeg_pauset(fra, aarsag, ids, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def genoptag(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        """Udskrivning: paused visits from `fra` on are planned again; earlier ones stay
        undelivered without a duty. The rolling plan then fills the rest of the horizon."""
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
        ids = tuple(b for b in sorted(self.pausede, key=str) if self.besoeg[b].dato >= fra)
        self._besoeg_genoptaget(fra, ids, self.sag_id, self.leverandoer_id, aktoer, occurred_at)
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

    def _aabent_besoeg(self, besoeg_id: UUID) -> PlanlagtBesoeg:
        besoeg = self.besoeg.get(besoeg_id)
        if besoeg is None:
            raise NotFound("besøg", besoeg_id)
        status = self.status(besoeg_id)
        if status == "pauset":
            raise DomainRuleViolation(
                "besoeg-pauset",
                "Besøget er sat i bero under indlæggelse.",
                "The visit is paused during a hospital stay.",
            )
        if status != "planlagt":
            raise DomainRuleViolation(
                "besoeg-afsluttet",
                "Besøget er allerede leveret eller aflyst; en rettelse er en ny hændelse.",
                "The visit is already delivered or cancelled.",
            )
        return besoeg

    def _kontroller_ledig(self, dato: date, tidsvindue: str) -> None:
        optaget = any(
            b.dato == dato and b.tidsvindue == tidsvindue and self.status(b.besoeg_id) == "planlagt"
            for b in self.besoeg.values()
        )
        if optaget:
            raise DomainRuleViolation(
                "dobbeltbooking",
                "Der ligger allerede et besøg i samme tidsvindue.",
                "A visit is already planned in that time window.",
            )
        if self.sidste_dag is not None and dato > self.sidste_dag:
            raise DomainRuleViolation(
                "bestilling-ophoert",
                "Bestillingen er ophørt før denne dato.",
                "The order has ended before this date.",
            )

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
        self.pausede.update(besoeg_ids)

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
