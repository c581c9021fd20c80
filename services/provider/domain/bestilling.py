"""An order (Bestilling): one granted indsats as a provider delivers it.

The order holds the plan (frequency, minutes, rules, start and end, pause, successor) and
the open replacement duties; the visits live in the order's periods (periode.py), one
aggregate per month, so no command on an order pays for how long its grant has run.

A visit is planned, then ends exactly once: leveret, aflyst, forgæves, or afsluttet (the
order ended by ophør or leverandørskift). A hospital stay pauses visits. A cancellation that
owes a replacement opens an erstatningspligt with a deadline; a replacement visit links to
the visit it replaces; a deadline check on a given day turns an unmet duty into
LeveringSvigtet.

An order stored before the periods holds its older visits in its own history: they load
and take commands here as before (`besoeg` and the other visit maps of besoeg.py), while
new planning goes to periods (the app decides; `planlaeg_besoeg` here plans into the order
itself and is kept for those orders' rules and their tests).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from services.provider.domain import regler as r
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.erstatning import Erstatningsforloeb
from services.provider.domain.forloeb import BESOEG_NAMESPACE
from services.provider.domain.planning import planlaeg
from services.provider.domain.values import (
    Aendringsindberetning,
    Aflysning,
    Enhedsregistrering,
    Erstatningspligt,
    Leveringsregler,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer
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
        self._init_besoeg()  # visits of an order stored before the periods
        self.pauset_fra: date | None = None
        self.sidste_dag: date | None = None
        self.efterfoelger_id: UUID | None = None
        self.svigtede: set[UUID] = set()
        self.bortfaldne: set[UUID] = set()
        self.indberetninger: list[Aendringsindberetning] = []
        self.pligter: dict[UUID, Erstatningspligt] = {}
        self.opfyldte: set[UUID] = set()

    # -- the plan ------------------------------------------------------------------
    def planlagt_slut(self) -> date | None:
        """The last day visits may be planned: the grant's end or the order's last day."""
        slut = self.slutdato
        if self.sidste_dag is not None:
            slut = self.sidste_dag if slut is None else min(slut, self.sidste_dag)
        return slut

    def nye_besoeg(
        self, fra: date, planlagt: Collection[tuple[date, str]]
    ) -> tuple[PlanlagtBesoeg, ...]:
        """The visits of the four weeks from `fra` the granted frequency asks for and
        that are not planned yet (`planlagt`: every (day, window) planned so far in that
        range, whatever became of the visit), in date order."""
        til = plus_dage(fra, PLANLAEGNINGSHORISONT.days)  # saturates near year 9999
        if self.pauset_fra is not None:
            til = min(til, self.pauset_fra)  # nothing new during a hospital stay
        return tuple(
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
                self.planlagt_slut(),
                fra,
                til,
                self.kategori,
                self.regler.planlaegning,
            )
            if (d, w) not in planlagt
        )

    # -- commands on the order's own visits (stored before the periods) ---------------
    def planlaeg_besoeg(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        """Plan the visits of the next four weeks from the granted frequency, into the
        order itself (the app plans into periods: `Besoegsplan.planlaeg`)."""
        new = self.nye_besoeg(fra, {(b.dato, b.tidsvindue) for b in self.besoeg.values()})
        if new:
            self._besoeg_planlagt(new, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def aflys_besoeg(
        self,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
        occurred_at: datetime,
        enhed: Enhedsregistrering | None = None,
    ) -> Aflysning:
        return self._aflys(
            besoeg_id,
            aflyst_af,
            aarsag,
            aflyst_tidspunkt,
            aktoer,
            occurred_at,
            self.sidste_dag,
            enhed,
        )


# Stores written before the visits' events moved to besoeg.py name them by their old
# place: those topics resolve to the classes now defined there (the library would find the
# copies it makes per subclass, which cannot apply themselves).
for _cls, _alter in (
    (Besoegsforloeb.BesoegPlanlagt, "bestilling:Bestilling"),
    (Besoegsforloeb.IndsatsLeveret, "bestilling:Bestilling"),
    (Besoegsforloeb.BesoegAflyst, "bestilling:Bestilling"),
    (Besoegsforloeb.MedarbejderTildelt, "bestilling:Bestilling"),
    (Besoegsforloeb.BesoegForgaeves, "erstatning:Erstatningsforloeb"),
    (Besoegsforloeb.ErstatningsbesoegPlanlagt, "erstatning:Erstatningsforloeb"),
):
    register_topic(f"services.provider.domain.{_alter}.{_cls.__name__}", _cls)
