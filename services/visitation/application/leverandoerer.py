"""The provider register's commands and its read model. VisitationApplication inherits
them (kept apart so the application module stays small).

The read model is the register as one value (`Leverandoerregister`), built from the
provider aggregates when the application starts and replaced entry by entry after each
register command of this process; case commands hand it to the domain rules. Visitation
runs one process per store (the case's one writer), so no other process changes the
register under it; a second process would see a change at its next start.

At start the kommune's `leverandoerer.yaml` is imported: every provider and approval
window the store does not hold yet is recorded by a system actor (so an empty store gets
the demo providers and a store that has them gets nothing twice).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from eventsourcing.persistence import IntegrityError

from services.visitation.catalogue import loader
from services.visitation.domain.leverandoerregister import Leverandoer, Leverandoerindeks
from shared.infra.aggregatopslag import hent_eller_none
from shared.infra.tid import Ur
from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from shared.reference.leverandoerer import GodkendtLeverandoer, Leverandoerregister

log = structlog.get_logger("leverandoerregister")

#: Who records what the kommune's data file lists.
INDLAESNING = Aktoer("leverandoerfil", "system", "visitation")


class Leverandoerregistrering:
    if TYPE_CHECKING:
        repository: Any
        ur: Ur

        @property
        def kommune(self) -> str: ...

        @property
        def katalog_dir(self) -> Path: ...

        def save(self, *objs: Any) -> Any: ...

    _leverandoerregister: Leverandoerregister

    # -- read model ----------------------------------------------------------------------
    @property
    def leverandoerregister(self) -> Leverandoerregister:
        return self._leverandoerregister

    def _start_leverandoerregister(self) -> None:
        """Import the data file, then build the read model (called once at start)."""
        for _ in range(3):
            try:
                self._indlaes_leverandoerfil()
                break
            except IntegrityError:
                continue  # another process imported the same at the same time: look again
        self._genopbyg_leverandoerregister()

    def _indeks(self) -> Leverandoerindeks | None:
        return hent_eller_none(self.repository, Leverandoerindeks.ID, Leverandoerindeks)

    def _leverandoer(self, leverandoer_id: str) -> Leverandoer | None:
        return hent_eller_none(self.repository, Leverandoer.create_id(leverandoer_id), Leverandoer)

    def _genopbyg_leverandoerregister(self) -> None:
        indeks = self._indeks()
        ids = [] if indeks is None else indeks.leverandoer_ids
        self._leverandoerregister = Leverandoerregister.af(
            lev.som_vaerdi() for lev in map(self._leverandoer, ids) if lev is not None
        )

    def _indlaes_leverandoerfil(self) -> None:
        fil = loader.load_leverandoerer(self.kommune, self.katalog_dir)
        if fil is None:
            return
        indeks = self._indeks() or Leverandoerindeks()
        tidspunkt = self.ur.now()
        aendret: list[Any] = []
        for post in fil.leverandoerer:
            lev = self._leverandoer(post.id)
            if lev is None:
                lev = Leverandoer.opret(
                    post.id, post.navn, post.type, post.cvr, INDLAESNING, tidspunkt
                )
                indeks.tilfoej(post.id)
            for v in post.godkendelser:
                if not lev.har_vindue(v.kategori, v.fra):
                    lev.godkend(v.kategori, v.fra, v.til, INDLAESNING, tidspunkt)
            if lev.pending_events:
                aendret.append(lev)
        if aendret:
            if indeks.pending_events:
                aendret.append(indeks)
            self.save(*aendret)
            log.info("leverandoerfil_indlaest", kommune=self.kommune, leverandoerer=len(aendret))

    # -- commands ------------------------------------------------------------------------
    def _gem(self, *objs: Any) -> GodkendtLeverandoer:
        self.save(*objs)
        lev = next(o for o in objs if isinstance(o, Leverandoer))
        vaerdi = lev.som_vaerdi()
        self._leverandoerregister = self._leverandoerregister.med(vaerdi)
        return vaerdi

    def opret_leverandoer(
        self,
        leverandoer_id: str,
        navn: str,
        type: str,
        cvr: str | None,
        godkendelser: list[tuple[str, date, date | None]],
        aktoer: Aktoer,
    ) -> GodkendtLeverandoer:
        """LeverandoerOprettet and its first approvals, in one save."""
        if self._leverandoer(leverandoer_id) is not None:
            raise DomainRuleViolation(
                "leverandoer-findes",
                f"Leverandøren {leverandoer_id} findes allerede i registret.",
                f"The provider {leverandoer_id} is already in the register.",
            )
        tidspunkt = self.ur.now()
        lev = Leverandoer.opret(leverandoer_id, navn, type, cvr, aktoer, tidspunkt)
        for kategori, fra, til in godkendelser:
            lev.godkend(kategori, fra, til, aktoer, tidspunkt)
        indeks = self._indeks() or Leverandoerindeks()
        indeks.tilfoej(leverandoer_id)
        return self._gem(lev, indeks)

    def _aendr(
        self, leverandoer_id: str, command: Callable[[Leverandoer], None]
    ) -> GodkendtLeverandoer:
        lev = self._leverandoer(leverandoer_id)
        if lev is None:
            raise NotFound("leverandoer", leverandoer_id)
        command(lev)
        return self._gem(lev)

    def godkend_leverandoer(
        self, leverandoer_id: str, kategori: str, fra: date, til: date | None, aktoer: Aktoer
    ) -> GodkendtLeverandoer:
        return self._aendr(
            leverandoer_id, lambda lev: lev.godkend(kategori, fra, til, aktoer, self.ur.now())
        )

    def begraens_godkendelse(
        self, leverandoer_id: str, kategori: str, ny_til: date, aktoer: Aktoer
    ) -> GodkendtLeverandoer:
        return self._aendr(
            leverandoer_id, lambda lev: lev.begraens(kategori, ny_til, aktoer, self.ur.now())
        )

    def tilbagekald_godkendelse(
        self, leverandoer_id: str, kategori: str, fra: date, begrundelse: str, aktoer: Aktoer
    ) -> GodkendtLeverandoer:
        return self._aendr(
            leverandoer_id,
            lambda lev: lev.tilbagekald(
                kategori, fra, begrundelse, self.ur.idag(), aktoer, self.ur.now()
            ),
        )

    def hent_leverandoer(self, leverandoer_id: str) -> GodkendtLeverandoer:
        lev = self._leverandoerregister.get(leverandoer_id)
        if lev is None:
            raise NotFound("leverandoer", leverandoer_id)
        return lev
