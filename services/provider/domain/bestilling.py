"""An order (Bestilling): one granted indsats as a provider delivers it, with its visits.

A visit is planned, then ends exactly once: leveret, aflyst, forgæves, or afsluttet (the
order ended by ophør or leverandørskift). A hospital stay pauses visits. A cancellation that
owes a replacement opens an erstatningspligt with a deadline; a replacement visit links to
the visit it replaces; a deadline check on a given day turns an unmet duty into
LeveringSvigtet.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain import upcasting
from services.provider.domain.erstatning import Erstatningsforloeb
from services.provider.domain.forloeb import BESOEG_NAMESPACE
from services.provider.domain.planning import planlaeg
from services.provider.domain.tildeling import Tildeling
from services.provider.domain.values import (
    Aendringsindberetning,
    Aflysning,
    Forgaeves,
    Levering,
    Leveringsregler,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer
from shared.kernel.personoplysning import Personoplysning, eje
from shared.kernel.tidsramme import plus_dage

DANMARK = r.DANMARK
PLANLAEGNINGSHORISONT = timedelta(days=28)


class Bestilling(Erstatningsforloeb):
    NAMESPACE = UUID("c3d8e1f2-4a5b-4c6d-8e7f-9a0b1c2d3e4f")

    @staticmethod
    def create_id(
        bevilling_id: UUID, leverandoer_id: str = "", forgaenger_id: UUID | None = None
    ) -> UUID:
        # The first order of a grant keeps the original scheme (one order per grant: a
        # redelivered decision finds it). An order after a provider switch succeeds another
        # order; naming both makes it differ per provider and per switch.
        if forgaenger_id is None:
            return uuid.uuid5(Bestilling.NAMESPACE, str(bevilling_id))
        return uuid.uuid5(Bestilling.NAMESPACE, f"{bevilling_id}:{leverandoer_id}:{forgaenger_id}")

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
        # Added later, with defaults, so orders stored before them still load.
        leveringsregler: Leveringsregler | None = None
        forgaenger_id: UUID | None = None

    class BesoegPlanlagt(Aggregate.Event):
        besoeg: tuple[PlanlagtBesoeg, ...]
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    # v2: the citizen's free text in these is Personoplysning (upcasting.py).
    class IndsatsLeveret(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.levering_v1_v2)
        levering: Levering
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class BesoegAflyst(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.aflysning_v1_v2)
        aflysning: Aflysning
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class MedarbejderTildelt(Aggregate.Event):
        """Helpers planned onto visits (the fixed helper where possible), with start times."""

        tildelinger: tuple[Tildeling, ...]
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
        leveringsregler: Leveringsregler | None = None,
        forgaenger_id: UUID | None = None,
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
        self.regler = leveringsregler or Leveringsregler()
        self.forgaenger_id = forgaenger_id
        self.besoeg: dict[UUID, PlanlagtBesoeg] = {}
        self.leveringer: dict[UUID, Levering] = {}
        self.aflysninger: dict[UUID, Aflysning] = {}
        self.forgaeves: dict[UUID, Forgaeves] = {}
        self.afsluttede: dict[UUID, str] = {}  # besoeg_id -> aarsag
        self.pausede: set[UUID] = set()
        self.pauset_fra: date | None = None
        self.sidste_dag: date | None = None
        self.efterfoelger_id: UUID | None = None
        self.svigtede: set[UUID] = set()
        self.bortfaldne: set[UUID] = set()
        self.indberetninger: list[Aendringsindberetning] = []
        self.tildelinger: dict[UUID, Tildeling] = {}

    # -- commands --
    def planlaeg_besoeg(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        """Plan the visits of the next four weeks from the granted frequency."""
        planned = {(b.dato, b.tidsvindue) for b in self.besoeg.values()}
        slut = self.slutdato
        if self.sidste_dag is not None:
            slut = self.sidste_dag if slut is None else min(slut, self.sidste_dag)
        til = plus_dage(fra, PLANLAEGNINGSHORISONT.days)  # saturates near year 9999
        if self.pauset_fra is not None:
            til = min(til, self.pauset_fra)  # nothing new during a hospital stay
        new = tuple(
            PlanlagtBesoeg(
                uuid.uuid5(BESOEG_NAMESPACE, f"{self.id}:{d.isoformat()}:{w}"),
                d,
                w,
                self.minutter_pr_besoeg,
            )
            for d, w in planlaeg(
                self.antal, self.periode, self.startdato, slut, fra, til, self.kategori
            )
            if (d, w) not in planned
        )
        if new:
            self._besoeg_planlagt(new, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def registrer_levering(self, levering: Levering, aktoer: Aktoer, occurred_at: datetime) -> None:
        besoeg = self._aabent_besoeg(levering.besoeg_id)
        r.kontroller_levering(levering, besoeg.dato, occurred_at)
        levering = eje(levering, self.borger_id)  # a partial delivery's reason is theirs
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
        r.kontroller_ikke_i_fremtiden(aflyst_tidspunkt, occurred_at, "aflysning", "cancellation")
        r.kraev_aarsag(
            aarsag,
            "aflysning-uden-aarsag",
            "En aflysning skal have en årsag.",
            "A cancellation needs a reason.",
        )
        rettidig = r.er_rettidig(besoeg.dato, aflyst_tidspunkt, self.regler)
        # A replacement visit that is cancelled again owes nothing new: the original duty
        # stays open with its own deadline until a replacement is delivered.
        skyldig = besoeg.erstatter_besoeg_id is None and r.erstatning_skyldig(
            aflyst_af, rettidig, self.regler
        )
        frist = r.erstatningsfrist(besoeg.dato, aflyst_tidspunkt, self.regler)
        if self.sidste_dag is not None and skyldig and frist > self.sidste_dag:
            frist = self.sidste_dag
        aflysning = Aflysning(
            besoeg_id,
            aflyst_af,
            Personoplysning.af(self.borger_id, aarsag),
            aflyst_tidspunkt,
            r.varsel_timer(besoeg.dato, besoeg.tidsvindue, aflyst_tidspunkt),
            rettidig,
            skyldig,
            frist if skyldig else None,
        )
        self._besoeg_aflyst(aflysning, self.sag_id, self.leverandoer_id, aktoer, occurred_at)
        return aflysning

    def tildel_medarbejdere(
        self, tildelinger: tuple[Tildeling, ...], aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        """Record helpers on planned visits; only a visit still planned can be staffed."""
        for t in tildelinger:
            self._aabent_besoeg(t.besoeg_id)
        if tildelinger:
            self._medarbejder_tildelt(
                tildelinger, self.sag_id, self.leverandoer_id, aktoer, occurred_at
            )

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
        # eje: a v1 event did not name the owner of its (plain) text; the order's citizen is.
        self.leveringer[levering.besoeg_id] = eje(levering, self.borger_id)

    @event(BesoegAflyst)
    def _besoeg_aflyst(
        self,
        aflysning: Aflysning,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.aflysninger[aflysning.besoeg_id] = eje(aflysning, self.borger_id)

    @event(MedarbejderTildelt)
    def _medarbejder_tildelt(
        self,
        tildelinger: tuple[Tildeling, ...],
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        for t in tildelinger:
            self.tildelinger[t.besoeg_id] = t
