"""Visits and their outcomes: what an order's visits hold and the rules on a single visit.

Shared by two aggregates: `Besoegsperiode` (periode.py), where every visit planned since
visits moved out of the order lives, one aggregate per order and month, and `Bestilling`,
whose stores from before that move still hold their visits in the order's own history
(those keep working: a delivery on such a visit is recorded on the order, as before).

Event classes are redefined by the library for each aggregate class (stored as
`...bestilling:Bestilling.IndsatsLeveret` and `...periode:Besoegsperiode.IndsatsLeveret`);
both are subclasses of the ones here, which the read model and the public mapping test
against. `bestilling_id` (added with the periods, default None) names the order an event
of a period belongs to; on the order's own events the order is the originator.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain import upcasting
from services.provider.domain.tildeling import Tildeling
from services.provider.domain.values import (
    Aflysning,
    Enhedsregistrering,
    Forgaeves,
    Levering,
    Leveringsregler,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from shared.kernel.personoplysning import Personoplysning, eje

BESOEG_NAMESPACE = UUID("7a1c9d3e-5b2f-4e8a-b6c4-2d9e0f1a3b57")


class Besoegsforloeb(Aggregate):
    if TYPE_CHECKING:  # set by the aggregate's __init__; not dataclass fields
        sag_id: UUID
        borger_id: UUID
        leverandoer_id: str
        regler: Leveringsregler
        besoeg: dict[UUID, PlanlagtBesoeg]
        leveringer: dict[UUID, Levering]
        aflysninger: dict[UUID, Aflysning]
        forgaeves: dict[UUID, Forgaeves]
        afsluttede: dict[UUID, str]
        pausede: set[UUID]
        tildelinger: dict[UUID, Tildeling]
        paabegyndte: dict[UUID, datetime]
        forladte: dict[UUID, datetime]
        forsinket: set[UUID]

    class BesoegPlanlagt(Aggregate.Event):
        besoeg: tuple[PlanlagtBesoeg, ...]
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None

    # v2: the citizen's free text in these is Personoplysning (upcasting.py).
    class IndsatsLeveret(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.levering_v1_v2)
        levering: Levering
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None

    class BesoegAflyst(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.aflysning_v1_v2)
        aflysning: Aflysning
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None

    class MedarbejderTildelt(Aggregate.Event):
        """Helpers planned onto visits (the fixed helper where possible), with start times."""

        tildelinger: tuple[Tildeling, ...]
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None

    class BesoegForgaeves(Aggregate.Event):
        forgaeves: Forgaeves
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None

    class ErstatningsbesoegPlanlagt(Aggregate.Event):
        besoeg: PlanlagtBesoeg
        erstatningsfrist: date
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None
        #: The duty's deadline as an instant (an hour promise); None before, or for days.
        frist_tidspunkt: datetime | None = None

    class BesoegPaabegyndt(Aggregate.Event):
        """Check-in: the care worker arrived and started the visit (as mobile care apps
        record it). Lets the late-visit check know a visit is under way before delivery."""

        besoeg_id: UUID
        tidspunkt: datetime
        medarbejder_id: str
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None
        #: Recorded offline on this device and synced (`tidspunkt` is the device's time,
        #: `occurred_at` when the service received it); None when recorded online.
        enhed_id: str | None = None

    class BesoegForladt(Aggregate.Event):
        """Check-out ("besøg afsluttet" in the apps; not `Besoegsperiode.BesoegAfsluttet`,
        which closes visits when an order ends): the worker left the home. The delivery
        itself is still registered as IndsatsLeveret, with its own minutes and tasks."""

        besoeg_id: UUID
        tidspunkt: datetime
        medarbejder_id: str
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None
        #: Recorded offline on this device and synced (`tidspunkt` is the device's time,
        #: `occurred_at` when the service received it); None when recorded online.
        enhed_id: str | None = None

    class BesoegForsinket(Aggregate.Event):
        """The visit was not started within the kommune's tolerance (`seneste_start`: the
        end of its window plus the tolerance). Recorded once per visit, by the late-visit
        check (fristvagt.py). `paabegyndt`: the check-in, when the worker did check in, but
        late; then the help came and no replacement is owed. Otherwise a replacement is owed
        by `erstatningsfrist` (as for the provider's own cancellation at `seneste_start`),
        unless the kommune owes none or the visit is itself a replacement."""

        besoeg_id: UUID
        seneste_start: datetime
        paabegyndt: datetime | None
        erstatning_skyldig: bool
        erstatningsfrist: date | None
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        bestilling_id: UUID | None = None
        #: The deadline as an instant where the replacement promise is in hours.
        frist_tidspunkt: datetime | None = None

    def _init_besoeg(self) -> None:
        self.besoeg = {}
        self.leveringer = {}
        self.aflysninger = {}
        self.forgaeves = {}
        self.afsluttede = {}  # besoeg_id -> aarsag
        self.pausede = set()
        self.tildelinger = {}
        self.paabegyndte = {}  # besoeg_id -> check-in time
        self.forladte = {}  # besoeg_id -> check-out time
        self.forsinket = set()  # visits found late (BesoegForsinket), once each

    @property
    def ordre_id(self) -> UUID:
        """The order whose visits these are (the order itself, or a period's order)."""
        return self.id

    def _event_ordre(self) -> UUID | None:
        # The order's own events name no order (it is their originator), as before.
        return None

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

    def erstatninger_for(self, besoeg_id: UUID) -> list[PlanlagtBesoeg]:
        return [b for b in self.besoeg.values() if b.erstatter_besoeg_id == besoeg_id]

    def optaget(self, dato: date, tidsvindue: str) -> bool:
        """A visit still planned in this window (one visit per window and day)."""
        return any(
            b.dato == dato and b.tidsvindue == tidsvindue and self.status(b.besoeg_id) == "planlagt"
            for b in self.besoeg.values()
        )

    # -- commands on one visit -----------------------------------------------------
    def registrer_levering(self, levering: Levering, aktoer: Aktoer, occurred_at: datetime) -> None:
        besoeg = self._aabent_besoeg(levering.besoeg_id)
        r.kontroller_levering(levering, besoeg.dato, occurred_at)
        levering = eje(levering, self.borger_id)  # a partial delivery's reason is theirs
        self._indsats_leveret(
            levering, self.sag_id, self.leverandoer_id, aktoer, occurred_at, self._event_ordre()
        )

    def paabegynd(
        self,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        enhed_id: str | None = None,
    ) -> None:
        """Check-in on a planned visit, on or after its day, once."""
        besoeg = self._aabent_besoeg(besoeg_id)
        r.kontroller_tjek(tidspunkt, medarbejder_id, besoeg.dato, occurred_at)
        if besoeg_id in self.paabegyndte:
            raise DomainRuleViolation(
                "besoeg-allerede-paabegyndt",
                "Besøget er allerede påbegyndt.",
                "The visit has already been started.",
            )
        self._besoeg_paabegyndt(
            besoeg_id,
            tidspunkt,
            medarbejder_id,
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
            self._event_ordre(),
            enhed_id,
        )

    def forlad(
        self,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        enhed_id: str | None = None,
    ) -> None:
        """Check-out of a started visit, once, not before its check-in. A visit delivered
        before the worker checks out may still be checked out: the app sends both."""
        besoeg = self.besoeg.get(besoeg_id)
        if besoeg is None:
            raise NotFound("besøg", besoeg_id)
        r.kontroller_tjek(tidspunkt, medarbejder_id, besoeg.dato, occurred_at)
        start = self.paabegyndte.get(besoeg_id)
        if start is None:
            raise DomainRuleViolation(
                "besoeg-ikke-paabegyndt",
                "Et besøg skal være påbegyndt, før det kan afsluttes.",
                "A visit must be started before it can be ended.",
            )
        if besoeg_id in self.forladte:
            raise DomainRuleViolation(
                "besoeg-allerede-afsluttet",
                "Besøget er allerede afsluttet.",
                "The visit has already been ended.",
            )
        if tidspunkt < start:
            raise DomainRuleViolation(
                "afsluttet-foer-paabegyndt",
                "Et besøg kan ikke afsluttes, før det er påbegyndt.",
                "A visit cannot end before it started.",
            )
        self._besoeg_forladt(
            besoeg_id,
            tidspunkt,
            medarbejder_id,
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
            self._event_ordre(),
            enhed_id,
        )

    def forsinkede(self, nu: datetime) -> list[PlanlagtBesoeg]:
        """Planned visits not started by the end of their window plus the kommune's
        tolerance for a late visit, as of `nu`. Empty where the order's rules name no
        tolerance (catalogues before schema v2): those keep only the cancellation rules."""
        tolerance = self.regler.forsinkelsestolerance
        if tolerance is None:
            return []
        return [
            b
            for b in self.besoeg.values()
            if self.status(b.besoeg_id) == "planlagt"
            and b.besoeg_id not in self.paabegyndte
            and r.er_forsinket(b.dato, b.tidsvindue, tolerance, nu)
        ]

    def nye_forsinkelser(self, nu: datetime) -> list[tuple[PlanlagtBesoeg, datetime | None]]:
        """Visits late as of `nu` and not yet recorded late, each with its check-in (None:
        not started). Lateness is judged by the check-in time, not by when the check runs:
        a visit checked in after its latest start is late whether the check ran before or
        after the check-in; one still open and not started by then is late at `nu`."""
        tolerance = self.regler.forsinkelsestolerance
        if tolerance is None:
            return []
        ud: list[tuple[PlanlagtBesoeg, datetime | None]] = []
        for b in self.besoeg.values():
            if b.besoeg_id in self.forsinket:
                continue
            start = self.paabegyndte.get(b.besoeg_id)
            if start is None and self.status(b.besoeg_id) != "planlagt":
                continue  # delivered, cancelled, in vain, ended or paused: not waiting
            if r.er_forsinket(b.dato, b.tidsvindue, tolerance, nu, start):
                ud.append((b, start))
        return sorted(ud, key=lambda x: (x[0].dato, x[0].tidsvindue, str(x[0].besoeg_id)))

    def noter_forsinket(
        self,
        besoeg: PlanlagtBesoeg,
        seneste_start: datetime,
        paabegyndt: datetime | None,
        frist: tuple[date, datetime | None] | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """BesoegForsinket, once per visit (a second call changes nothing). `frist`: the
        replacement's day and instant, None where no replacement is owed."""
        if besoeg.besoeg_id in self.forsinket:
            return
        self._besoeg_forsinket(
            besoeg.besoeg_id,
            seneste_start,
            paabegyndt,
            frist is not None,
            None if frist is None else frist[0],
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
            self._event_ordre(),
            None if frist is None else frist[1],
        )

    def _aflys(
        self,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
        occurred_at: datetime,
        sidste_dag: date | None,
        enhed: Enhedsregistrering | None = None,
    ) -> Aflysning:
        besoeg = self._aabent_besoeg(besoeg_id)
        r.kontroller_ikke_i_fremtiden(aflyst_tidspunkt, occurred_at, "aflysning", "cancellation")
        r.kraev_aarsag(
            aarsag,
            "aflysning-uden-aarsag",
            "En aflysning skal have en årsag.",
            "A cancellation needs a reason.",
        )
        rettidig = (
            r.er_rettidig(besoeg.dato, aflyst_tidspunkt, self.regler)
            if self.regler.aflysningsvarsel is None
            else r.er_rettidig_loefte(
                besoeg.dato,
                besoeg.tidsvindue,
                aflyst_tidspunkt,
                self.regler.aflysningsvarsel,
                self.regler.lukkedage,
            )
        )
        # A replacement visit that is cancelled again owes nothing new: the original duty
        # stays open with its own deadline until a replacement is delivered.
        skyldig = besoeg.erstatter_besoeg_id is None and r.erstatning_skyldig(
            aflyst_af, rettidig, self.regler
        )
        frist, frist_tidspunkt = self._erstatningsfrist(besoeg, aflyst_tidspunkt)
        if sidste_dag is not None and skyldig and frist > sidste_dag:
            frist, frist_tidspunkt = r.afkort_frist(frist_tidspunkt, sidste_dag)
        aflysning = Aflysning(
            besoeg_id,
            aflyst_af,
            Personoplysning.af(self.borger_id, aarsag),
            aflyst_tidspunkt,
            r.varsel_timer(besoeg.dato, besoeg.tidsvindue, aflyst_tidspunkt),
            rettidig,
            skyldig,
            frist if skyldig else None,
            enhed,
            frist_tidspunkt if skyldig else None,
        )
        self._besoeg_aflyst(
            aflysning, self.sag_id, self.leverandoer_id, aktoer, occurred_at, self._event_ordre()
        )
        return aflysning

    def _erstatningsfrist(
        self, besoeg: PlanlagtBesoeg, aflyst: datetime
    ) -> tuple[date, datetime | None]:
        """The replacement's last day and, for an hour promise, the instant it runs out
        (the day is then the Danish day of that instant). A typed promise counts working
        days past weekends and holidays."""
        loefte = self.regler.erstatningsfrist
        if loefte is None:
            return r.erstatningsfrist(besoeg.dato, aflyst, self.regler), None
        return r.frist_og_tidspunkt(
            r.erstatningsfrist_loefte(
                besoeg.dato, besoeg.tidsvindue, aflyst, loefte, self.regler.lukkedage
            )
        )

    def registrer_forgaeves(
        self, forgaeves: Forgaeves, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        besoeg = self._aabent_besoeg(forgaeves.besoeg_id)
        r.kontroller_ikke_i_fremtiden(
            forgaeves.tidspunkt, occurred_at, "forgaeves", "visit in vain"
        )
        if r.dansk_dato(forgaeves.tidspunkt) < besoeg.dato:
            raise DomainRuleViolation(
                "forgaeves-foer-besoegsdato",
                "Et besøg kan ikke være forgæves før den planlagte dag.",
                "A visit cannot be in vain before its planned day.",
            )
        if forgaeves.aarsag not in r.FORGAEVES_AARSAGER:
            raise DomainRuleViolation(
                "ukendt-forgaeves-aarsag",
                "Årsagen skal være ikke_hjemme, ingen_adgang eller usikre_forhold.",
                "The reason must be ikke_hjemme, ingen_adgang or usikre_forhold.",
            )
        self._besoeg_forgaeves(
            forgaeves, self.sag_id, self.leverandoer_id, aktoer, occurred_at, self._event_ordre()
        )

    def tildel_medarbejdere(
        self, tildelinger: tuple[Tildeling, ...], aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        """Record helpers on planned visits; only a visit still planned can be staffed."""
        for t in tildelinger:
            self._aabent_besoeg(t.besoeg_id)
        if tildelinger:
            self._medarbejder_tildelt(
                tildelinger,
                self.sag_id,
                self.leverandoer_id,
                aktoer,
                occurred_at,
                self._event_ordre(),
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
        bestilling_id: UUID | None = None,
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
        bestilling_id: UUID | None = None,
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
        bestilling_id: UUID | None = None,
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
        bestilling_id: UUID | None = None,
    ) -> None:
        for t in tildelinger:
            self.tildelinger[t.besoeg_id] = t

    @event(BesoegForgaeves)
    def _besoeg_forgaeves(
        self,
        forgaeves: Forgaeves,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        bestilling_id: UUID | None = None,
    ) -> None:
        self.forgaeves[forgaeves.besoeg_id] = forgaeves

    @event(BesoegPaabegyndt)
    def _besoeg_paabegyndt(
        self,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        bestilling_id: UUID | None = None,
        enhed_id: str | None = None,
    ) -> None:
        self.paabegyndte[besoeg_id] = tidspunkt

    @event(BesoegForladt)
    def _besoeg_forladt(
        self,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        bestilling_id: UUID | None = None,
        enhed_id: str | None = None,
    ) -> None:
        self.forladte[besoeg_id] = tidspunkt

    @event(BesoegForsinket)
    def _besoeg_forsinket(
        self,
        besoeg_id: UUID,
        seneste_start: datetime,
        paabegyndt: datetime | None,
        erstatning_skyldig: bool,
        erstatningsfrist: date | None,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        bestilling_id: UUID | None = None,
        frist_tidspunkt: datetime | None = None,
    ) -> None:
        self.forsinket.add(besoeg_id)

    @event(ErstatningsbesoegPlanlagt)
    def _erstatningsbesoeg_planlagt(
        self,
        besoeg: PlanlagtBesoeg,
        erstatningsfrist: date,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        bestilling_id: UUID | None = None,
        frist_tidspunkt: datetime | None = None,
    ) -> None:
        self.besoeg[besoeg.besoeg_id] = besoeg
