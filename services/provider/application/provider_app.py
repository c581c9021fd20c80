"""The provider service's application: orders and their visits for every leverandør.

Every command loads the order, lets the access rule check the actor against the order's
provider, loads the few periods of visits it touches (periode.py: a visit's period from
its day, planning's from the horizon), runs the domain command and saves every aggregate
it changed in one transaction; a rule broken stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.provider.application.adgang import er_fremmed_leverandoer, kraev_leverandoer
from services.provider.application.bemanding import bemand
from services.provider.application.leverandoerkopi import Leverandoerregisterkopi
from services.provider.domain.bestilling import PLANLAEGNINGSHORISONT, Bestilling
from services.provider.domain.fuldmagt import Fuldmagtskopi
from services.provider.domain.notat import Besoegsnotat, nyt_notat
from services.provider.domain.periode import (
    Besoegsperiode,
    Besoegsplan,
    maaned,
    maaneder,
    perioder_for_dato,
)
from services.provider.domain.stab import Medarbejderstab
from services.provider.domain.tildeling import Medarbejder
from services.provider.domain.values import (
    VALUE_TYPES,
    Aendringsindberetning,
    Aflysning,
    Enhedsregistrering,
    Forgaeves,
    Levering,
    PlanlagtBesoeg,
)
from shared.infra.aggregatopslag import hent_eller_ikke_fundet, hent_eller_none
from shared.infra.sagsfejl import Sagsfejl, isoleret
from shared.infra.service_app import ServiceApplication
from shared.kernel import Aktoer, NotFound
from shared.kernel.personoplysning import Personoplysning
from shared.kernel.tidsramme import plus_dage

T = TypeVar("T")
#: How far past today (or the grant's start) periods are looked for when no read model
#: names them: planning reaches four weeks past the day it plans from.
RAEKKEVIDDE = timedelta(days=62)


class ProviderApplication(Leverandoerregisterkopi, ServiceApplication):
    name = "provider"
    value_types = VALUE_TYPES

    #: A visit's day and an order's periods, from the provider's read model (set by the
    #: wiring). Without them the app looks periods up month by month (exact, slower).
    besoegsdato: Callable[[UUID], date | None] | None = None
    perioder_for: Callable[[UUID], list[str]] | None = None

    def efter_start(self) -> None:
        self._start_leverandoerregister()

    def recorded(self, recordings: list[Any]) -> None:
        super().recorded(recordings)
        self._folg_leverandoerregister([r.domain_event for r in recordings])

    # -- periods -----------------------------------------------------------------------
    def _periode(self, bestilling_id: UUID, m: str) -> Besoegsperiode | None:
        try:
            periode: Besoegsperiode = self.repository.get(
                Besoegsperiode.create_id(bestilling_id, m)
            )
        except AggregateNotFoundError:
            return None
        return periode

    def besoegsplan(self, bestilling: Bestilling, maaneder_: Iterable[str]) -> Besoegsplan:
        """The order with its periods of these months (None where it has none yet)."""
        return Besoegsplan(
            bestilling, {m: self._periode(bestilling.id, m) for m in sorted(set(maaneder_))}
        )

    def _maaneder_fra(self, bestilling: Bestilling, fra: date) -> list[str]:
        """The months from fra's (less one) on in which the order may have a period."""
        foerste = maaneder(fra, fra)[0]
        if self.perioder_for is not None:
            return [m for m in self.perioder_for(bestilling.id) if m >= foerste]
        return maaneder(fra, max(fra, self._sidste_dato(bestilling)))

    def _sidste_dato(self, bestilling: Bestilling) -> date:
        """Without a read model: a day in the newest month the order may have a period in.
        Two months past today (or the grant's start), then on while periods follow, over a
        gap of up to two months (a plan never skips more but for a long hospital stay)."""
        sidste = plus_dage(max(self.ur.idag(), bestilling.startdato), RAEKKEVIDDE.days)
        probe, huller = sidste, 0
        while huller < 3:
            probe = plus_dage(probe.replace(day=1), 31)
            if probe == sidste:  # year 9999: nothing further
                break
            pid = Besoegsperiode.create_id(bestilling.id, maaned(probe))
            if next(iter(self.events.get(pid, limit=1)), None) is not None:
                sidste, huller = probe, 0
            else:
                huller += 1
        return sidste

    def besoegsplan_fra(self, bestilling: Bestilling, fra: date) -> Besoegsplan:
        """The order with every period that may hold a visit from `fra` on."""
        return self.besoegsplan(bestilling, self._maaneder_fra(bestilling, fra))

    def hel_besoegsplan(self, bestilling: Bestilling) -> Besoegsplan:
        """The order with all its periods: for showing an order, not for commands."""
        return self.besoegsplan_fra(bestilling, bestilling.startdato)

    def plan_for_besoeg(self, bestilling: Bestilling, besoeg_id: UUID) -> Besoegsplan:
        """The order with the period holding this visit (NotFound if none does)."""
        if besoeg_id in bestilling.besoeg:  # stored before the periods, in the order
            return Besoegsplan(bestilling)
        dato = self.besoegsdato(besoeg_id) if self.besoegsdato is not None else None
        if dato is not None:
            for m in perioder_for_dato(dato):  # one period loaded, rarely two
                periode = self._periode(bestilling.id, m)
                if periode is not None and besoeg_id in periode.besoeg:
                    return Besoegsplan(bestilling, {m: periode})
        # Without its day: the order's periods newest first, from the farthest a plan
        # reaches back to the grant's start.
        for m in reversed(maaneder(bestilling.startdato, self._sidste_dato(bestilling))):
            periode = self._periode(bestilling.id, m)
            if periode is not None and besoeg_id in periode.besoeg:
                return Besoegsplan(bestilling, {m: periode})
        raise NotFound("besøg", besoeg_id)

    def hent_bestilling(self, bestilling_id: UUID) -> Bestilling:
        return hent_eller_ikke_fundet(self.repository, bestilling_id, Bestilling, "bestilling")

    def hent_bestilling_som(
        self, bestilling_id: UUID, aktoer: Aktoer, *, skriv: bool
    ) -> Bestilling:
        bestilling = self.hent_bestilling(bestilling_id)
        if er_fremmed_leverandoer(aktoer, bestilling.leverandoer_id):
            # Another provider's order answers exactly like an unknown id: a 403 here
            # would tell a provider which order ids exist elsewhere.
            raise NotFound("bestilling", bestilling_id)
        kraev_leverandoer(aktoer, bestilling.leverandoer_id, skriv=skriv)
        return bestilling

    def find_bestilling(self, bevilling_id: UUID) -> Bestilling | None:
        """The grant's first order (the id scheme every grant starts with)."""
        return hent_eller_none(self.repository, Bestilling.create_id(bevilling_id), Bestilling)

    def findes(self, aggregate_id: UUID) -> bool:
        """Whether the aggregate is stored (or new in the writer's turn), without a replay."""
        return aggregate_id in self.repository

    def har_bestilling(self, bevilling_id: UUID) -> bool:
        """Whether the grant has its first order, without replaying it."""
        return self.findes(Bestilling.create_id(bevilling_id))

    def fuldmagtskopi(self, borger_id: UUID) -> Fuldmagtskopi | None:
        return hent_eller_none(self.repository, Fuldmagtskopi.create_id(borger_id), Fuldmagtskopi)

    def aktiv_bestilling(self, bevilling_id: UUID) -> Bestilling | None:
        """The grant's latest order: the first one, followed along provider switches."""
        current = self.find_bestilling(bevilling_id)
        while current is not None and current.efterfoelger_id is not None:
            try:
                current = self.repository.get(current.efterfoelger_id)
            except AggregateNotFoundError:
                break
        return current

    def _udfoer(self, bestilling_id: UUID, aktoer: Aktoer, command: Callable[[Bestilling], T]) -> T:
        # The order's one writer runs the command, on the order kept in memory.
        def udfoer() -> T:
            bestilling = self.hent_bestilling_som(bestilling_id, aktoer, skriv=True)
            result = command(bestilling)
            self.save(bestilling)
            return result

        return self.run_command(bestilling_id, udfoer)

    def _paa_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        hent: Callable[[], Bestilling],
        command: Callable[[Besoegsplan], T],
    ) -> T:
        """A command on one visit: the order and the period holding the visit, run by
        their one writer (the order and the visit's likely periods are claimed, so they
        come from memory; a period found elsewhere is read from the store)."""
        dato = self.besoegsdato(besoeg_id) if self.besoegsdato is not None else None
        perioder = perioder_for_dato(dato) if dato is not None else []
        ids = [bestilling_id, *(Besoegsperiode.create_id(bestilling_id, m) for m in perioder)]

        def udfoer() -> T:
            plan = self.plan_for_besoeg(hent(), besoeg_id)
            result = command(plan)
            self.save(*plan.aendrede())
            return result

        return self.run_command(ids, udfoer)

    def _paa_eget_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        aktoer: Aktoer,
        command: Callable[[Besoegsplan], T],
    ) -> T:
        """A command on one visit of an order the actor's provider may change."""
        return self._paa_besoeg(
            bestilling_id,
            besoeg_id,
            lambda: self.hent_bestilling_som(bestilling_id, aktoer, skriv=True),
            command,
        )

    def registrer_levering(self, bestilling_id: UUID, levering: Levering, aktoer: Aktoer) -> None:
        self._paa_eget_besoeg(
            bestilling_id,
            levering.besoeg_id,
            aktoer,
            lambda p: p.registrer_levering(levering, aktoer, self.ur.now()),
        )

    def registrer_forgaeves(
        self, bestilling_id: UUID, forgaeves: Forgaeves, aktoer: Aktoer
    ) -> None:
        self._paa_eget_besoeg(
            bestilling_id,
            forgaeves.besoeg_id,
            aktoer,
            lambda p: p.registrer_forgaeves(forgaeves, aktoer, self.ur.now()),
        )

    def paabegynd_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        aktoer: Aktoer,
        enhed_id: str | None = None,
    ) -> None:
        """Check-in (BesoegPaabegyndt) on a visit of the caller's own order."""
        self._paa_eget_besoeg(
            bestilling_id,
            besoeg_id,
            aktoer,
            lambda p: p.paabegynd(
                besoeg_id, tidspunkt, medarbejder_id, aktoer, self.ur.now(), enhed_id
            ),
        )

    def afslut_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        aktoer: Aktoer,
        enhed_id: str | None = None,
    ) -> None:
        """Check-out (BesoegForladt) on a started visit of the caller's own order."""
        self._paa_eget_besoeg(
            bestilling_id,
            besoeg_id,
            aktoer,
            lambda p: p.forlad(
                besoeg_id, tidspunkt, medarbejder_id, aktoer, self.ur.now(), enhed_id
            ),
        )

    def aflys_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
        enhed: Enhedsregistrering | None = None,
    ) -> Aflysning:
        return self._paa_eget_besoeg(
            bestilling_id,
            besoeg_id,
            aktoer,
            lambda p: p.aflys_besoeg(
                besoeg_id, aflyst_af, aarsag, aflyst_tidspunkt, aktoer, self.ur.now(), enhed
            ),
        )

    def borger_aflyser(
        self, bestilling_id: UUID, besoeg_id: UUID, aarsag: str, aktoer: Aktoer
    ) -> Aflysning:
        """Self-service: the citizen's access was checked by the caller against the order's
        citizen; the same cancellation rules apply, timed by the clock."""
        return self._paa_besoeg(
            bestilling_id,
            besoeg_id,
            lambda: self.hent_bestilling(bestilling_id),
            lambda p: p.aflys_besoeg(
                besoeg_id, "borger", aarsag, self.ur.now(), aktoer, self.ur.now()
            ),
        )

    def planlaeg_erstatning(
        self,
        bestilling_id: UUID,
        erstatter_besoeg_id: UUID,
        dato: date,
        tidsvindue: str,
        aktoer: Aktoer,
    ) -> PlanlagtBesoeg:
        def udfoer() -> PlanlagtBesoeg:
            b = self.hent_bestilling_som(bestilling_id, aktoer, skriv=True)
            plan = self.besoegsplan(
                b, Besoegsplan.maaneder_til_erstatning(b, erstatter_besoeg_id, dato)
            )
            besoeg = plan.planlaeg_erstatning(
                erstatter_besoeg_id, dato, tidsvindue, aktoer, self.ur.now()
            )
            self.save(*plan.aendrede())
            return besoeg

        return self.run_command(bestilling_id, udfoer)

    def skriv_notat(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        tekst: Personoplysning,
        medarbejder_id: str,
        aktoer: Aktoer,
        enhed: Enhedsregistrering | None = None,
    ) -> Besoegsnotat:
        """A visit note (notat.py): the visit must be this order's, the caller its provider."""
        bestilling = self.hent_bestilling_som(bestilling_id, aktoer, skriv=True)
        self.plan_for_besoeg(bestilling, besoeg_id)  # NotFound for another order's visit
        notat = nyt_notat(
            bestilling_id,
            besoeg_id,
            bestilling.borger_id,
            bestilling.leverandoer_id,
            medarbejder_id,
            tekst,
            enhed,
            aktoer,
            self.ur.now(),
        )
        self.save(notat)
        return notat

    def hent_notat(self, notat_id: UUID) -> Besoegsnotat:
        found: Any = self.repository.get(notat_id)
        if not isinstance(found, Besoegsnotat):
            raise NotFound("notat", notat_id)
        return found

    def indberet_aendring(
        self, bestilling_id: UUID, indberetning: Aendringsindberetning, aktoer: Aktoer
    ) -> None:
        self._udfoer(
            bestilling_id,
            aktoer,
            lambda b: b.indberet_aendring(indberetning, aktoer, self.ur.now()),
        )

    def _for_alle(
        self,
        ids: Iterable[UUID],
        aktoer: Aktoer,
        plan: Callable[[Bestilling], Besoegsplan],
        command: Callable[[Besoegsplan], object],
    ) -> None:
        """One command over several orders and their periods, saved in one transaction,
        by the orders' one writer."""
        ids = list(ids)

        def for_alle() -> None:
            plans = [plan(self.hent_bestilling_som(i, aktoer, skriv=True)) for i in ids]
            for p in plans:
                command(p)
            self.save(*(a for p in plans for a in p.aendrede()))

        self.run_command(ids, for_alle)

    def kontroller_frister(
        self,
        ids: Iterable[UUID],
        idag: date,
        aktoer: Aktoer,
        fejl: list[Sagsfejl] | None = None,
        nu: datetime | None = None,
    ) -> list[tuple[UUID, UUID]]:
        """The deadline check for `idag` (and, given the instant `nu`, hour deadlines to the
        minute): (order, cancelled or late visit) of every new failure.

        An order the rules cannot handle is left unchanged and out of the transaction, and
        becomes an error row in `fejl` (sagsfejl.py): the other orders are still checked."""
        found: list[tuple[UUID, UUID]] = []
        checked: list[Bestilling] = []

        def check(bestilling_id: UUID) -> list[tuple[UUID, UUID]]:
            b = self.hent_bestilling_som(bestilling_id, aktoer, skriv=True)
            svigt = [(b.id, v) for v in b.kontroller_frister(idag, aktoer, self.ur.now(), nu)]
            checked.append(b)
            return svigt

        for bestilling_id in ids:
            svigt = isoleret(bestilling_id, "leverandoer-fristkontrol", check)
            if isinstance(svigt, Sagsfejl):
                if fejl is not None:
                    fejl.append(svigt)
            else:
                found += svigt
        self.save(*checked)
        return found

    def kontroller_forsinkelser(
        self,
        kandidater: Mapping[UUID, Iterable[date]],
        nu: datetime,
        aktoer: Aktoer,
        fejl: list[Sagsfejl] | None = None,
    ) -> list[tuple[UUID, UUID]]:
        """The late-visit check as of `nu` (Besoegsplan.kontroller_forsinkelser): for each
        order, the periods holding the days named; (order, visit) of each visit found late.
        Each order is its own command (its writer holds it and its periods), so one order's
        failure (an error row in `fejl`) or conflict leaves the others checked."""
        found: list[tuple[UUID, UUID]] = []
        for bestilling_id, dage in kandidater.items():
            maaneder_ = sorted({m for d in dage for m in perioder_for_dato(d)})
            ids = [
                bestilling_id,
                *(Besoegsperiode.create_id(bestilling_id, m) for m in maaneder_),
            ]

            def check(
                bestilling_id: UUID, maaneder_: list[str] = maaneder_, ids: list[UUID] = ids
            ) -> list[tuple[UUID, UUID]]:
                def udfoer() -> list[tuple[UUID, UUID]]:
                    b = self.hent_bestilling_som(bestilling_id, aktoer, skriv=True)
                    plan = self.besoegsplan(b, maaneder_)
                    ud = [
                        (b.id, v) for v in plan.kontroller_forsinkelser(nu, aktoer, self.ur.now())
                    ]
                    # The periods' BesoegForsinket before the order's duty or failure.
                    self.save(*reversed(plan.aendrede()))
                    return ud

                return self.run_command(ids, udfoer)

            svigt = isoleret(bestilling_id, "leverandoer-forsinkelseskontrol", check)
            if isinstance(svigt, Sagsfejl):
                if fejl is not None:
                    fejl.append(svigt)
            else:
                found += svigt
        return found

    def hent_stab(self, leverandoer_id: str) -> Medarbejderstab | None:
        return hent_eller_none(
            self.repository, Medarbejderstab.create_id(leverandoer_id), Medarbejderstab
        )

    def fastlaeg_stab(
        self, leverandoer_id: str, medarbejdere: tuple[Medarbejder, ...], aktoer: Aktoer
    ) -> Medarbejderstab:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        stab = self.hent_stab(leverandoer_id)
        if stab is None:
            stab = Medarbejderstab.opret(leverandoer_id, medarbejdere, aktoer, self.ur.now())
        else:
            stab.fastlaeg(medarbejdere, aktoer, self.ur.now())
        self.save(stab)
        return stab

    def planlaeg_frem(
        self, leverandoer_id: str, ids: Iterable[UUID], fra: date, aktoer: Aktoer
    ) -> tuple[int, int]:
        """Rolling horizon: plan each active order's next four weeks from `fra`, then staff
        the unstaffed visits of that horizon from the provider's roster (if it has one);
        returns (visits added, visits staffed). One transaction."""
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        maaneder_ = Besoegsplan.maaneder_til_planlaegning(fra)
        plans = [
            self.besoegsplan(self.hent_bestilling_som(i, aktoer, skriv=True), maaneder_)
            for i in ids
        ]
        added = 0
        for p in plans:
            if p.bestilling.aktiv:
                added += p.planlaeg(fra, aktoer, self.ur.now())
        stab = self.hent_stab(leverandoer_id)
        staffed = 0
        if stab is not None:
            til = plus_dage(fra, PLANLAEGNINGSHORISONT.days)
            staffed = bemand(plans, stab, fra, til, aktoer, self.ur.now())
        self.save(*(a for p in plans for a in p.aendrede()))
        return added, staffed

    def indlaeggelse(self, ids: Iterable[UUID], fra: date, aktoer: Aktoer) -> None:
        self._for_alle(
            ids,
            aktoer,
            lambda b: self.besoegsplan_fra(b, fra),
            lambda p: p.pause(fra, "indlaeggelse", aktoer, self.ur.now()),
        )

    def udskrivning(self, ids: Iterable[UUID], fra: date, aktoer: Aktoer) -> None:
        def plan(b: Bestilling) -> Besoegsplan:
            # The paused visits (from the admission on) and the horizon planned from `fra`.
            pauset = b.pauset_fra or fra
            return self.besoegsplan(
                b,
                [
                    *self._maaneder_fra(b, min(pauset, fra)),
                    *Besoegsplan.maaneder_til_planlaegning(fra),
                ],
            )

        self._for_alle(ids, aktoer, plan, lambda p: p.genoptag(fra, aktoer, self.ur.now()))
