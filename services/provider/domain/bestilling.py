"""An order (Bestilling): one granted indsats as a provider delivers it, with its visits."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from services.provider.domain.planning import VINDUE_START_TIME, planlaeg
from services.provider.domain.values import Aflysning, Levering, PlanlagtBesoeg
from shared.kernel import Aktoer, DomainRuleViolation, NotFound

DANMARK = ZoneInfo("Europe/Copenhagen")
PLANLAEGNINGSHORISONT = timedelta(days=28)
BESOEG_NAMESPACE = UUID("7a1c9d3e-5b2f-4e8a-b6c4-2d9e0f1a3b57")


class Bestilling(Aggregate):
    NAMESPACE = UUID("c3d8e1f2-4a5b-4c6d-8e7f-9a0b1c2d3e4f")

    @staticmethod
    def create_id(bevilling_id: UUID) -> UUID:
        # One order per grant: a redelivered decision finds the same order id.
        return uuid.uuid5(Bestilling.NAMESPACE, str(bevilling_id))

    class BestillingModtaget(Aggregate.Created):
        bevilling_id: UUID
        sag_id: UUID
        borger_id: UUID
        leverandoer_id: str
        indsats_kode: str
        indsats_navn: str
        kategori: str
        antal: int
        periode: str
        minutter_pr_besoeg: int
        startdato: date
        slutdato: date | None
        aktoer: Aktoer
        occurred_at: datetime

    class BesoegPlanlagt(Aggregate.Event):
        besoeg: tuple[PlanlagtBesoeg, ...]
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class IndsatsLeveret(Aggregate.Event):
        levering: Levering
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class BesoegAflyst(Aggregate.Event):
        aflysning: Aflysning
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    @event(BestillingModtaget)
    def __init__(
        self,
        bevilling_id: UUID,
        sag_id: UUID,
        borger_id: UUID,
        leverandoer_id: str,
        indsats_kode: str,
        indsats_navn: str,
        kategori: str,
        antal: int,
        periode: str,
        minutter_pr_besoeg: int,
        startdato: date,
        slutdato: date | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.bevilling_id = bevilling_id
        self.sag_id = sag_id
        self.borger_id = borger_id
        self.leverandoer_id = leverandoer_id
        self.indsats_kode = indsats_kode
        self.indsats_navn = indsats_navn
        self.kategori = kategori
        self.antal = antal
        self.periode = periode
        self.minutter_pr_besoeg = minutter_pr_besoeg
        self.startdato = startdato
        self.slutdato = slutdato
        self.besoeg: dict[UUID, PlanlagtBesoeg] = {}
        self.leveringer: dict[UUID, Levering] = {}
        self.aflysninger: dict[UUID, Aflysning] = {}

    # -- commands ------------------------------------------------------------------
    def planlaeg_besoeg(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        """Plan the visits of the next four weeks from the granted frequency."""
        planned = {(b.dato, b.tidsvindue) for b in self.besoeg.values()}
        new = tuple(
            PlanlagtBesoeg(
                uuid.uuid5(BESOEG_NAMESPACE, f"{self.id}:{d.isoformat()}:{w}"),
                d,
                w,
                self.minutter_pr_besoeg,
            )
            for d, w in planlaeg(
                self.antal,
                self.periode,
                self.startdato,
                self.slutdato,
                fra,
                fra + PLANLAEGNINGSHORISONT,
            )
            if (d, w) not in planned
        )
        if new:
            self._besoeg_planlagt(new, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def registrer_levering(self, levering: Levering, aktoer: Aktoer, occurred_at: datetime) -> None:
        besoeg = self._aabent_besoeg(levering.besoeg_id)
        if levering.leveret_tidspunkt.astimezone(DANMARK).date() < besoeg.dato:
            raise DomainRuleViolation(
                "levering-foer-besoegsdato",
                "Et besøg kan ikke registreres leveret før den planlagte dag.",
                "A visit cannot be delivered before its planned day.",
            )
        if not 0 <= levering.faktiske_minutter <= 600:
            raise DomainRuleViolation(
                "ugyldigt-tidsforbrug",
                "Faktiske minutter skal være mellem 0 og 600.",
                "Actual minutes must be between 0 and 600.",
            )
        self._indsats_leveret(levering, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def aflys_besoeg(
        self,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> Aflysning:
        besoeg = self._aabent_besoeg(besoeg_id)
        if not aarsag.strip():
            raise DomainRuleViolation(
                "aflysning-uden-aarsag",
                "En aflysning skal have en årsag.",
                "A cancellation needs a reason.",
            )
        start = datetime.combine(
            besoeg.dato, time(VINDUE_START_TIME.get(besoeg.tidsvindue, 8)), DANMARK
        )
        # In UTC: subtracting two times that share a tzinfo ignores a DST change between them.
        varsel = (start.astimezone(UTC) - aflyst_tidspunkt.astimezone(UTC)).total_seconds() / 3600
        # Herlev's kvalitetsstandard: the citizen cancels "dagen forud" to be on time.
        rettidig = aflyst_tidspunkt.astimezone(DANMARK).date() < besoeg.dato
        aflysning = Aflysning(
            besoeg_id, aflyst_af, aarsag, aflyst_tidspunkt, round(varsel, 2), rettidig
        )
        self._besoeg_aflyst(aflysning, self.sag_id, self.leverandoer_id, aktoer, occurred_at)
        return aflysning

    def _aabent_besoeg(self, besoeg_id: UUID) -> PlanlagtBesoeg:
        besoeg = self.besoeg.get(besoeg_id)
        if besoeg is None:
            raise NotFound("besøg", besoeg_id)
        if besoeg_id in self.leveringer or besoeg_id in self.aflysninger:
            raise DomainRuleViolation(
                "besoeg-afsluttet",
                "Besøget er allerede leveret eller aflyst; en rettelse er en ny hændelse.",
                "The visit is already delivered or cancelled.",
            )
        return besoeg

    # -- events ----------------------------------------------------------------------
    # Each event repeats the case and the provider so it can be published on its own.
    @event(BesoegPlanlagt)
    def _besoeg_planlagt(
        self,
        besoeg: tuple[PlanlagtBesoeg, ...],
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        for b in besoeg:
            self.besoeg[b.besoeg_id] = b

    @event(IndsatsLeveret)
    def _indsats_leveret(
        self,
        levering: Levering,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.leveringer[levering.besoeg_id] = levering

    @event(BesoegAflyst)
    def _besoeg_aflyst(
        self,
        aflysning: Aflysning,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.aflysninger[aflysning.besoeg_id] = aflysning
