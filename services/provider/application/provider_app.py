"""The provider service's application: orders and their visits for every leverandør.

Every command loads the order, lets the access rule check the actor against the order's
provider, runs the domain command and saves; a rule broken stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.provider.application.adgang import er_fremmed_leverandoer, kraev_leverandoer
from services.provider.application.bemanding import bemand
from services.provider.domain.bestilling import PLANLAEGNINGSHORISONT, Bestilling
from services.provider.domain.fuldmagt import Fuldmagtskopi
from services.provider.domain.stab import Medarbejderstab
from services.provider.domain.tildeling import Medarbejder
from services.provider.domain.values import (
    VALUE_TYPES,
    Aendringsindberetning,
    Aflysning,
    Forgaeves,
    Levering,
    PlanlagtBesoeg,
)
from shared.infra.crypto_shredding import KeyStore, KeyStoreSettings
from shared.infra.eventstore import EventStoreApplication
from shared.infra.sagsfejl import Sagsfejl, isoleret
from shared.infra.tid import now
from shared.kernel import Aktoer, NotFound
from shared.kernel.tidsramme import plus_dage

T = TypeVar("T")


class ProviderApplication(EventStoreApplication):
    name = "provider"
    value_types = VALUE_TYPES

    def __init__(self, env: Mapping[str, str] | None = None, keys: KeyStore | None = None):
        # The same key store as visitation (one BUM_KEYSTORE_URL / BUM_KEYSTORE_DIR): a
        # citizen's erasure there makes their data unreadable here too.
        super().__init__(env=env, keys=keys or KeyStore.from_settings(KeyStoreSettings()))

    def hent_bestilling(self, bestilling_id: UUID) -> Bestilling:
        try:
            bestilling: Bestilling = self.repository.get(bestilling_id)
        except AggregateNotFoundError:
            raise NotFound("bestilling", bestilling_id) from None
        if not isinstance(bestilling, Bestilling):
            raise NotFound("bestilling", bestilling_id)  # another aggregate's id
        return bestilling

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
        try:
            found: Bestilling = self.repository.get(Bestilling.create_id(bevilling_id))
        except AggregateNotFoundError:
            return None
        return found

    def findes(self, aggregate_id: UUID) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def fuldmagtskopi(self, borger_id: UUID) -> Fuldmagtskopi | None:
        try:
            kopi: Any = self.repository.get(Fuldmagtskopi.create_id(borger_id))
        except AggregateNotFoundError:
            return None
        return kopi if isinstance(kopi, Fuldmagtskopi) else None

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

    def registrer_levering(self, bestilling_id: UUID, levering: Levering, aktoer: Aktoer) -> None:
        self._udfoer(bestilling_id, aktoer, lambda b: b.registrer_levering(levering, aktoer, now()))

    def registrer_forgaeves(
        self, bestilling_id: UUID, forgaeves: Forgaeves, aktoer: Aktoer
    ) -> None:
        self._udfoer(
            bestilling_id, aktoer, lambda b: b.registrer_forgaeves(forgaeves, aktoer, now())
        )

    def aflys_besoeg(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
    ) -> Aflysning:
        return self._udfoer(
            bestilling_id,
            aktoer,
            lambda b: b.aflys_besoeg(besoeg_id, aflyst_af, aarsag, aflyst_tidspunkt, aktoer, now()),
        )

    def borger_aflyser(
        self, bestilling_id: UUID, besoeg_id: UUID, aarsag: str, aktoer: Aktoer
    ) -> Aflysning:
        """Self-service: the citizen's access was checked by the caller against the order's
        citizen; the same cancellation rules apply, timed by the clock."""
        bestilling = self.hent_bestilling(bestilling_id)
        aflysning = bestilling.aflys_besoeg(besoeg_id, "borger", aarsag, now(), aktoer, now())
        self.save(bestilling)
        return aflysning

    def planlaeg_erstatning(
        self,
        bestilling_id: UUID,
        erstatter_besoeg_id: UUID,
        dato: date,
        tidsvindue: str,
        aktoer: Aktoer,
    ) -> PlanlagtBesoeg:
        return self._udfoer(
            bestilling_id,
            aktoer,
            lambda b: b.planlaeg_erstatning(erstatter_besoeg_id, dato, tidsvindue, aktoer, now()),
        )

    def indberet_aendring(
        self, bestilling_id: UUID, indberetning: Aendringsindberetning, aktoer: Aktoer
    ) -> None:
        self._udfoer(
            bestilling_id, aktoer, lambda b: b.indberet_aendring(indberetning, aktoer, now())
        )

    def _for_alle(
        self, ids: Iterable[UUID], aktoer: Aktoer, command: Callable[[Bestilling], object]
    ) -> list[Bestilling]:
        """One command over several orders, saved in one transaction."""
        ids = list(ids)

        def for_alle() -> list[Bestilling]:
            orders = [self.hent_bestilling_som(i, aktoer, skriv=True) for i in ids]
            for o in orders:
                command(o)
            self.save(*orders)
            return orders

        return self.run_command(ids, for_alle)

    def kontroller_frister(
        self,
        ids: Iterable[UUID],
        idag: date,
        aktoer: Aktoer,
        fejl: list[Sagsfejl] | None = None,
    ) -> list[tuple[UUID, UUID]]:
        """The deadline check for `idag`: (order, cancelled visit) of every new failure.

        An order the rules cannot handle is left unchanged and out of the transaction, and
        becomes an error row in `fejl` (sagsfejl.py): the other orders are still checked."""
        found: list[tuple[UUID, UUID]] = []
        checked: list[Bestilling] = []

        def check(bestilling_id: UUID) -> list[tuple[UUID, UUID]]:
            b = self.hent_bestilling_som(bestilling_id, aktoer, skriv=True)
            svigt = [(b.id, v) for v in b.kontroller_frister(idag, aktoer, now())]
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

    def hent_stab(self, leverandoer_id: str) -> Medarbejderstab | None:
        try:
            stab: Medarbejderstab = self.repository.get(Medarbejderstab.create_id(leverandoer_id))
        except AggregateNotFoundError:
            return None
        return stab

    def fastlaeg_stab(
        self, leverandoer_id: str, medarbejdere: tuple[Medarbejder, ...], aktoer: Aktoer
    ) -> Medarbejderstab:
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        stab = self.hent_stab(leverandoer_id)
        if stab is None:
            stab = Medarbejderstab.opret(leverandoer_id, medarbejdere, aktoer, now())
        else:
            stab.fastlaeg(medarbejdere, aktoer, now())
        self.save(stab)
        return stab

    def planlaeg_frem(
        self, leverandoer_id: str, ids: Iterable[UUID], fra: date, aktoer: Aktoer
    ) -> tuple[int, int]:
        """Rolling horizon: plan each active order's next four weeks from `fra`, then staff
        the unstaffed visits of that horizon from the provider's roster (if it has one);
        returns (visits added, visits staffed). One transaction."""
        kraev_leverandoer(aktoer, leverandoer_id, skriv=True)
        orders = [self.hent_bestilling_som(i, aktoer, skriv=True) for i in ids]
        added = 0
        for b in orders:
            before = len(b.besoeg)
            if b.aktiv:
                b.planlaeg_besoeg(fra, aktoer, now())
            added += len(b.besoeg) - before
        stab = self.hent_stab(leverandoer_id)
        staffed = 0
        if stab is not None:
            til = plus_dage(fra, PLANLAEGNINGSHORISONT.days)
            staffed = bemand(orders, stab, fra, til, aktoer, now())
        self.save(*orders)
        return added, staffed

    def indlaeggelse(self, ids: Iterable[UUID], fra: date, aktoer: Aktoer) -> None:
        self._for_alle(ids, aktoer, lambda b: b.pause(fra, "indlaeggelse", aktoer, now()))

    def udskrivning(self, ids: Iterable[UUID], fra: date, aktoer: Aktoer) -> None:
        self._for_alle(ids, aktoer, lambda b: b.genoptag(fra, aktoer, now()))
