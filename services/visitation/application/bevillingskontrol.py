"""The clocks on granted help across cases: the municipal provider after a missed choice
deadline, and the ophør of expired grants. "Today" is an argument (as in the legal-clock
check); both steps are idempotent, so the check may run any number of times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from uuid import UUID

import structlog
from eventsourcing.persistence import IntegrityError

from services.visitation.application.frister import SYSTEM, Frister
from services.visitation.catalogue.model import Frister as FristerCfg
from services.visitation.domain.sag import Sag
from shared.infra.sagsfejl import Sagsfejl, isoleret
from shared.kernel import Aktoer

log = structlog.get_logger("bevillingskontrol")


@dataclass(frozen=True)
class Udfoert:
    sag_id: UUID
    haendelse: str  # LeverandoerValgt | BevillingOphoert
    detaljer: str  # the category assigned, or the grants ended


class Bevillingskontrol:
    def __init__(self, frister: Frister) -> None:
        self.frister = frister
        self.app = frister.app

    def _udloebne(
        self, sag_id: UUID, idag: date, aktoer: Aktoer
    ) -> tuple[Sag, list[str], list[UUID]] | None:
        sag = self.app.hent_sag(sag_id)
        if not sag.afgoerelser:
            return None
        katalog = self.frister.katalog_for(sag)
        dage = (katalog.frister if katalog else FristerCfg()).leverandoervalg_dage
        tildelt = sag.tildel_ved_valgfrist(
            idag, dage, aktoer, self.app.ur.now(), leverandoerer=self.app.leverandoerregister
        )
        ophoert = sag.ophoer_udloebne(idag, aktoer, self.app.ur.now())
        return sag, tildelt, ophoert

    def kontroller(self, idag: date, aktoer: Aktoer = SYSTEM) -> list[Udfoert | Sagsfejl]:
        """Apply the grant clocks; a case the rules cannot handle is an error row and the
        others are still checked (sagsfejl.py)."""
        udfoert: list[Udfoert | Sagsfejl] = []
        for sag_id in self.frister.sag_ids():
            fundet = isoleret(
                sag_id, "bevillingskontrol", partial(self._udloebne, idag=idag, aktoer=aktoer)
            )
            if isinstance(fundet, Sagsfejl):
                udfoert.append(fundet)
                continue
            if fundet is None:
                continue
            sag, tildelt, ophoert = fundet
            if not tildelt and not ophoert:
                continue
            try:
                self.app.save(sag)
            except IntegrityError:
                log.info("bevillingskontrol_conflict", case_id=str(sag_id))  # next run
                continue
            udfoert += [Udfoert(sag_id, "LeverandoerValgt", k) for k in tildelt]
            if ophoert:
                udfoert.append(
                    Udfoert(sag_id, "BevillingOphoert", ",".join(str(i) for i in ophoert))
                )
        return udfoert
