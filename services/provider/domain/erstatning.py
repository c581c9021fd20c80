"""Replacement duty (erstatningspligt): the duties an order owes, replacement visits linked
to the cancelled one, and the deadline check that turns an unmet duty into LeveringSvigtet.

The duties are the order's (grant level, bounded by the cancellations that owe one): a
cancellation in a period notes its duty here (ErstatningspligtNoteret), and a replacement
delivered by the deadline, in whatever period it lives, notes that it was met
(ErstatningLeveret). An order stored before the periods keeps its older duties in its own
visits' history (`aflysninger`), read the same way.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain.forloeb import BESOEG_NAMESPACE, Bestillingsforloeb
from services.provider.domain.values import Aflysning, Erstatningspligt, PlanlagtBesoeg
from shared.kernel import Aktoer, DomainRuleViolation


class Erstatningsforloeb(Bestillingsforloeb):
    class LeveringSvigtet(Aggregate.Event):
        besoeg_id: UUID
        oprindelig_dato: date
        erstatningsfrist: date
        aarsag: str
        kontrolleret_dato: date
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime
        #: The missed deadline as an instant (an hour promise); None for days and before.
        frist_tidspunkt: datetime | None = None

    class ErstatningspligtNoteret(Aggregate.Event):
        """Internal (not published): the period's BesoegAflyst is the public fact."""

        pligt: Erstatningspligt
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class ErstatningLeveret(Aggregate.Event):
        """Internal: the period's IndsatsLeveret or BesoegForgaeves is the public fact."""

        besoeg_id: UUID
        erstatning_id: UUID
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    # -- queries -------------------------------------------------------------------
    def erstatningspligter(self) -> dict[UUID, date]:
        """Open replacement duties: cancelled visit -> last day for the replacement."""
        lukket = self.svigtede | self.bortfaldne | self.opfyldte
        aeldre = {
            a.besoeg_id: a.erstatningsfrist
            for a in self.aflysninger.values()
            if a.erstatning_skyldig
            and a.erstatningsfrist is not None
            and a.besoeg_id not in lukket
            and not self._erstattet(a.besoeg_id, a.erstatningsfrist)
        }
        return aeldre | {k: p.erstatningsfrist for k, p in self.pligter.items() if k not in lukket}

    def frist_tidspunkter(self) -> dict[UUID, datetime]:
        """The open duties whose deadline is an instant (an hour promise): visit -> instant.
        The others end with their day in `erstatningspligter`."""
        aabne = self.erstatningspligter()
        ud = {
            a.besoeg_id: a.frist_tidspunkt
            for a in self.aflysninger.values()
            if a.besoeg_id in aabne and a.frist_tidspunkt is not None
        }
        for k, p in self.pligter.items():
            if k in aabne and p.frist_tidspunkt is not None:
                ud[k] = p.frist_tidspunkt
        return ud

    def _rettidig(self, tidspunkt: datetime, frist: date, frist_tidspunkt: datetime | None) -> bool:
        """Done by the deadline: to the instant for an hour promise, else by its day."""
        if frist_tidspunkt is not None:
            return tidspunkt <= frist_tidspunkt
        return r.dansk_dato(tidspunkt) <= frist

    def pligt(self, besoeg_id: UUID) -> Erstatningspligt:
        """The duty of a cancelled visit, also one the order's own history holds."""
        if besoeg_id in self.pligter:
            return self.pligter[besoeg_id]
        a, b = self.aflysninger[besoeg_id], self.besoeg[besoeg_id]
        assert a.erstatningsfrist is not None
        return Erstatningspligt(
            besoeg_id,
            b.dato,
            a.aflyst_af,
            a.aflyst_tidspunkt,
            a.erstatningsfrist,
            b.planlagte_minutter,
            frist_tidspunkt=a.frist_tidspunkt,
        )

    def _erstattet(self, besoeg_id: UUID, frist: date) -> bool:
        # Met when a replacement was delivered, or the helper came in vain, by the deadline.
        tidspunkt = self.aflysninger[besoeg_id].frist_tidspunkt
        for b in self.erstatninger_for(besoeg_id):
            lev = self.leveringer.get(b.besoeg_id)
            if lev is not None and self._rettidig(lev.leveret_tidspunkt, frist, tidspunkt):
                return True
            fg = self.forgaeves.get(b.besoeg_id)
            if fg is not None and self._rettidig(fg.tidspunkt, frist, tidspunkt):
                return True
        return False

    # -- commands ------------------------------------------------------------------
    def noter_erstatningspligt(
        self, aflysning: Aflysning, besoeg: PlanlagtBesoeg, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        """A cancellation in one of the order's periods owes a replacement."""
        if not aflysning.erstatning_skyldig or aflysning.erstatningsfrist is None:
            return
        pligt = Erstatningspligt(
            besoeg.besoeg_id,
            besoeg.dato,
            aflysning.aflyst_af,
            aflysning.aflyst_tidspunkt,
            aflysning.erstatningsfrist,
            besoeg.planlagte_minutter,
            frist_tidspunkt=aflysning.frist_tidspunkt,
        )
        self._erstatningspligt_noteret(pligt, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def noter_erstatning_leveret(
        self,
        original: UUID,
        erstatning_id: UUID,
        tidspunkt: datetime,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """A replacement (or, for a late visit, the visit itself) was delivered, or the
        helper came in vain, at `tidspunkt`: the duty is met if that was by its deadline
        and it is still open."""
        frist = self.erstatningspligter().get(original)
        if frist is None or not self._rettidig(
            tidspunkt, frist, self.frist_tidspunkter().get(original)
        ):
            return
        self._erstatning_leveret(
            original, erstatning_id, self.sag_id, self.leverandoer_id, aktoer, occurred_at
        )

    def forsinket_pligt(self, besoeg_id: UUID) -> bool:
        """An open duty owed because this very visit was late (it may still be delivered)."""
        p = self.pligter.get(besoeg_id)
        return p is not None and p.aarsag == "forsinket" and besoeg_id in self.erstatningspligter()

    def forsinkelsesfrist(
        self, besoeg: PlanlagtBesoeg, seneste_start: datetime
    ) -> tuple[date, datetime | None] | None:
        """The replacement's last day for a visit not started by `seneste_start`, as for
        the provider's own cancellation at that moment, cut at the order's last day; None
        where no replacement can be owed (the kommune owes none for the provider's failure,
        or the order ends before one could come)."""
        if not self.regler.erstatning_ved_leverandoeraflysning:
            return None
        frist, tidspunkt = r.frist_og_tidspunkt(
            r.erstatningsfrist_forsinket(besoeg.dato, besoeg.tidsvindue, seneste_start, self.regler)
        )
        if self.sidste_dag is not None and frist > self.sidste_dag:
            frist, tidspunkt = r.afkort_frist(tidspunkt, self.sidste_dag)
        if frist < r.dansk_dato(seneste_start) or (
            tidspunkt is not None and tidspunkt <= seneste_start
        ):
            return None
        return frist, tidspunkt

    def noter_forsinkelse(
        self,
        besoeg: PlanlagtBesoeg,
        seneste_start: datetime,
        frist: tuple[date, datetime | None] | None,
        idag: date,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """What a visit found late and not started owes: the replacement duty by `frist`
        (`forsinkelsesfrist`), or, where none can be owed, a delivery failure at once
        (LeveringSvigtet, checked on `idag`)."""
        if frist is not None:
            pligt = Erstatningspligt(
                besoeg.besoeg_id,
                besoeg.dato,
                "leverandoer",
                seneste_start,
                frist[0],
                besoeg.planlagte_minutter,
                "forsinket",
                frist[1],
            )
            self._erstatningspligt_noteret(
                pligt, self.sag_id, self.leverandoer_id, aktoer, occurred_at
            )
            return
        self._levering_svigtet(
            besoeg.besoeg_id,
            besoeg.dato,
            r.dansk_dato(seneste_start),
            "Besøget blev ikke påbegyndt inden for kommunens tolerance; "
            "der kan ikke skyldes et erstatningsbesøg",
            idag,
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
        )

    def aaben_frist(self, erstatter_besoeg_id: UUID) -> date:
        """The deadline of an open duty; a replacement needs one."""
        frist = self.erstatningspligter().get(erstatter_besoeg_id)
        if frist is None:
            raise DomainRuleViolation(
                "ingen-erstatningspligt",
                "Besøget har ingen åben erstatningspligt.",
                "The visit has no open replacement duty.",
            )
        return frist

    def kontroller_erstatningsdato(self, erstatter_besoeg_id: UUID, dato: date) -> None:
        """By the deadline and not before the cancellation."""
        frist = self.aaben_frist(erstatter_besoeg_id)
        r.kontroller_erstatningsdato(dato, self.pligt(erstatter_besoeg_id).aflyst_tidspunkt, frist)

    def kontroller_aktiv_paa(self, dato: date) -> None:
        if self.sidste_dag is not None and dato > self.sidste_dag:
            raise DomainRuleViolation(
                "bestilling-ophoert",
                "Bestillingen er ophørt før denne dato.",
                "The order has ended before this date.",
            )

    def erstatningsbesoeg(
        self, erstatter_besoeg_id: UUID, n: int, dato: date, tidsvindue: str
    ) -> PlanlagtBesoeg:
        """The n-th replacement for a cancelled visit (its id is deterministic)."""
        return PlanlagtBesoeg(
            uuid.uuid5(BESOEG_NAMESPACE, f"{self.ordre_id}:erstatning:{erstatter_besoeg_id}:{n}"),
            dato,
            tidsvindue,
            self.pligt(erstatter_besoeg_id).planlagte_minutter,
            erstatter_besoeg_id,
        )

    def planlaeg_erstatning(
        self,
        erstatter_besoeg_id: UUID,
        dato: date,
        tidsvindue: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> PlanlagtBesoeg:
        """A replacement kept in the order's own history (an order without periods)."""
        frist = self.aaben_frist(erstatter_besoeg_id)
        if any(
            self.status(b.besoeg_id) == "planlagt"
            for b in self.erstatninger_for(erstatter_besoeg_id)
        ):
            raise DomainRuleViolation(
                "erstatning-allerede-planlagt",
                "Der er allerede planlagt et erstatningsbesøg.",
                "A replacement visit is already planned.",
            )
        self.kontroller_erstatningsdato(erstatter_besoeg_id, dato)
        self._kontroller_ledig(dato, tidsvindue)
        n = len(self.erstatninger_for(erstatter_besoeg_id))
        besoeg = self.erstatningsbesoeg(erstatter_besoeg_id, n, dato, tidsvindue)
        self._erstatningsbesoeg_planlagt(
            besoeg,
            frist,
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
            None,
            self.frist_tidspunkter().get(erstatter_besoeg_id),
        )
        return besoeg

    def kontroller_frister(
        self, idag: date, aktoer: Aktoer, occurred_at: datetime, nu: datetime | None = None
    ) -> list[UUID]:
        """LeveringSvigtet for every duty not met whose last day is before `idag`, or, given
        the instant `nu`, whose hour deadline (`frist_tidspunkt`) is before it: an hour
        promise is due to the minute (the frequent late-visit check passes `nu`), and the
        daily check still catches it the day after. Running it twice changes nothing."""
        svigtet = []
        tidspunkter = self.frist_tidspunkter()
        for besoeg_id, frist in sorted(self.erstatningspligter().items(), key=lambda x: x[1]):
            tidspunkt = tidspunkter.get(besoeg_id)
            if frist >= idag and (tidspunkt is None or nu is None or nu <= tidspunkt):
                continue
            p = self.pligt(besoeg_id)
            # Without the cancellation's own free text: that is the citizen's personal data
            # (kept encrypted in the cancellation), and this summary travels in plain.
            aarsag = (
                f"Ikke påbegyndt inden for tolerancen; erstatning ikke leveret senest {frist}"
                if p.aarsag == "forsinket"
                else f"Aflyst af {p.aflyst_af}; erstatning ikke leveret senest {frist.isoformat()}"
            )
            self._levering_svigtet(
                besoeg_id,
                p.oprindelig_dato,
                frist,
                aarsag,
                idag,
                self.sag_id,
                self.leverandoer_id,
                aktoer,
                occurred_at,
                tidspunkt,
            )
            svigtet.append(besoeg_id)
        return svigtet

    # -- events --
    @event(LeveringSvigtet)
    def _levering_svigtet(
        self,
        besoeg_id: UUID,
        oprindelig_dato: date,
        erstatningsfrist: date,
        aarsag: str,
        kontrolleret_dato: date,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        frist_tidspunkt: datetime | None = None,
    ) -> None:
        self.svigtede.add(besoeg_id)

    @event(ErstatningspligtNoteret)
    def _erstatningspligt_noteret(
        self,
        pligt: Erstatningspligt,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.pligter[pligt.besoeg_id] = pligt

    @event(ErstatningLeveret)
    def _erstatning_leveret(
        self,
        besoeg_id: UUID,
        erstatning_id: UUID,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.opfyldte.add(besoeg_id)
