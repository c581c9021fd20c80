"""Two clocks on granted help: the citizen's choice of provider, and the end of a
time-limited grant. Sag inherits this part.

- Frit valg (§ 91): a decision may grant help before the citizen has chosen a provider
  (`AFVENTER_VALG`). "Borgeren vælger leverandør senest 2 dage efter visitationsbesøget"
  (002); if no choice is made by then, the municipality's own provider is assigned (the
  usual default; 002 does not name one). The order reaches the provider only then.
- Udløb: a time-limited grant ends by itself after its end date ("stoppes automatisk
  medmindre borger eller leverandør retter fornyet henvendelse", 004); the check emits the
  ophør with reason "udloeb".

Event classes live here and are stored under this module's topic.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.domain import upcasting
from services.visitation.domain.kriterier import kraev_frit_valg
from services.visitation.domain.rules import AFVENTER_VALG
from services.visitation.domain.values import Bevilling
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.tidsramme import plus_dage
from shared.reference.leverandoerer import Leverandoerregister

if TYPE_CHECKING:
    from services.visitation.domain.values import Afgoerelse

__all__ = ["AFVENTER_VALG", "Valgfristdel", "kommunal_leverandoer"]
VALGAARSAGER = frozenset({"borgerens_valg", "valgfrist_overskredet"})


def kommunal_leverandoer(
    kategori: str, dato: date, leverandoerer: Leverandoerregister
) -> str | None:
    kommunale = [lev for lev in leverandoerer.godkendte(kategori, dato) if lev.type == "kommunal"]
    return kommunale[0].leverandoer_id if kommunale else None


class Valgfristdel(Aggregate):
    """Sag calls nothing at creation: the chosen grants live in `skiftede_bevillinger`,
    the map of each grant's current version that Opfoelgningsdel keeps."""

    if TYPE_CHECKING:
        borger_id: UUID
        afgoerelser: list[Afgoerelse]
        skiftede_bevillinger: dict[UUID, Bevilling]

        @property
        def aktive_bevillinger(self) -> dict[UUID, Bevilling]: ...

        def ophoer_bevillinger(
            self,
            bevilling_ids: tuple[UUID, ...],
            ophoersdato: date,
            aarsag: str,
            aktoer: Aktoer,
            occurred_at: datetime,
        ) -> tuple[UUID, ...]: ...

    class LeverandoerValgt(Aggregate.Event):
        # v2: the grants' individual reasons are Personoplysning (upcasting.py).
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.bevillinger_v1_v2)

        kategori: str
        leverandoer_id: str
        dato: date
        aarsag: str  # borgerens_valg | valgfrist_overskredet
        bevillinger: tuple[Bevilling, ...]
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    def afventer_valg(self, kategori: str | None = None) -> list[Bevilling]:
        return [
            b
            for b in self.aktive_bevillinger.values()
            if b.leverandoer_id == AFVENTER_VALG and kategori in (None, b.kategori)
        ]

    def valgfrist(self, bevilling_id: UUID, dage: int) -> date:
        truffet = next(
            a.truffet_dato
            for a in self.afgoerelser
            if any(b.bevilling_id == bevilling_id for b in a.bevillinger)
        )
        return plus_dage(truffet, dage)

    # -- commands ------------------------------------------------------------------
    def vaelg_leverandoer(
        self,
        kategori: str,
        leverandoer_id: str,
        dato: date,
        aarsag: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        *,
        leverandoerer: Leverandoerregister,
    ) -> tuple[Bevilling, ...]:
        beroert = self.afventer_valg(kategori)
        if not beroert:
            raise DomainRuleViolation(
                "intet-leverandoervalg-afventer",
                f"Ingen bevilling af {kategori} hjælp venter på valg af leverandør.",
                f"No {kategori} grant is waiting for a choice of provider.",
            )
        if aarsag not in VALGAARSAGER:
            raise DomainRuleViolation(
                "ukendt-valgaarsag", f"Ukendt årsag {aarsag!r}.", f"Unknown reason {aarsag!r}."
            )
        # Help starts on the grant's start date, or on the day of the choice if later.
        nye = tuple(
            dataclasses.replace(b, leverandoer_id=leverandoer_id, startdato=max(b.startdato, dato))
            for b in beroert
        )
        for b in nye:
            kraev_frit_valg(b, leverandoerer)
            if not leverandoerer.er_godkendt(leverandoer_id, kategori, b.startdato):
                raise DomainRuleViolation(
                    "leverandoer-ikke-godkendt",
                    f"{leverandoer_id} er ikke godkendt til {kategori} hjælp den {b.startdato}.",
                    f"{leverandoer_id} is not approved for {kategori} help on {b.startdato}.",
                )
        self._leverandoer_valgt(
            kategori, leverandoer_id, dato, aarsag, nye, self.borger_id, aktoer, occurred_at
        )
        return nye

    def tildel_ved_valgfrist(
        self,
        idag: date,
        frist_dage: int,
        aktoer: Aktoer,
        occurred_at: datetime,
        *,
        leverandoerer: Leverandoerregister,
    ) -> list[str]:
        """The municipal provider for every category whose choice deadline has passed.
        Returns the categories assigned (idempotent: nothing left waiting, nothing done)."""
        tildelt: list[str] = []
        for kategori in sorted({b.kategori for b in self.afventer_valg()}):
            ventende = self.afventer_valg(kategori)
            if all(self.valgfrist(b.bevilling_id, frist_dage) >= idag for b in ventende):
                continue
            kommunal = kommunal_leverandoer(kategori, idag, leverandoerer)
            if kommunal is None:
                continue  # nobody to assign: stays on the visitator's list
            self.vaelg_leverandoer(
                kategori,
                kommunal,
                idag,
                "valgfrist_overskredet",
                aktoer,
                occurred_at,
                leverandoerer=leverandoerer,
            )
            tildelt.append(kategori)
        return tildelt

    def ophoer_udloebne(self, idag: date, aktoer: Aktoer, occurred_at: datetime) -> list[UUID]:
        """End every active grant whose end date has passed (one ophør per end date)."""
        udloebne: dict[date, list[UUID]] = {}
        for b in self.aktive_bevillinger.values():
            if b.slutdato is not None and b.slutdato < idag:
                udloebne.setdefault(b.slutdato, []).append(b.bevilling_id)
        ophoert: list[UUID] = []
        for slutdato, ids in sorted(udloebne.items()):
            ophoert += self.ophoer_bevillinger(tuple(ids), slutdato, "udloeb", aktoer, occurred_at)
        return ophoert

    # -- events ----------------------------------------------------------------------
    @event(LeverandoerValgt)
    def _leverandoer_valgt(
        self,
        kategori: str,
        leverandoer_id: str,
        dato: date,
        aarsag: str,
        bevillinger: tuple[Bevilling, ...],
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        for b in bevillinger:
            self.skiftede_bevillinger[b.bevilling_id] = b
