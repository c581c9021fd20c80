"""Inspections: plan with a reproducible sample, record findings, follow up."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg
from shared.infra.aggregatopslag import hent_eller_ikke_fundet
from shared.kernel import Aktoer, NotFound
from shared.kernel.personoplysning import som_visning


class Tilsyn:
    def __init__(self, app: SupervisionApplication, projektioner: Tilsynsprojektioner) -> None:
        self.app = app
        self.projektioner = projektioner

    def planlaeg(
        self,
        leverandoer_id: str,
        varslet: bool,
        sted: str,
        planlagt_dato: date,
        antal: int,
        seed: int | None,
        aktoer: Aktoer,
    ) -> Tilsynsbesoeg:
        kandidater, set_i_haendelser, registret = self.projektioner.laes(
            lambda p: (
                p.tilsynstal.sager_for(leverandoer_id),
                p.tilsynstal.kendte_leverandoerer(),
                set(p.leverandoerregister),
            )
        )
        besoeg = Tilsynsbesoeg.planlaeg(
            leverandoer_id,
            varslet,
            sted,
            planlagt_dato,
            kandidater,
            antal,
            # A drawn seed is recorded like a given one: the sample can always be redrawn.
            seed if seed is not None else secrets.randbelow(2**31),
            aktoer.as_dict(),
            kendte_leverandoerer=self.kendte_leverandoerer(registret, set_i_haendelser),
        )
        self.app.save(besoeg)
        return besoeg

    @staticmethod
    def kendte_leverandoerer(registret: set[str], set_i_haendelser: set[str]) -> set[str]:
        """A provider supervision may inspect: one in the municipality's register (as
        visitation published it, LeverandoerregisterAendret), or one its own folded events
        named (a provider since dropped from the register still has cases to inspect). No
        other service is asked: supervision answers from what it holds."""
        return registret | set_i_haendelser

    def vis(self, data: dict[str, Any]) -> dict[str, Any]:
        """A report or a part of it as served: the findings' and follow-ups' free text as
        text, or the placeholder once its key is erased (tilsynsbesoeg.py)."""
        vist: dict[str, Any] = som_visning(data, self.app.er_slettet)
        return vist

    def hent(self, tilsyn_id: UUID) -> Tilsynsbesoeg:
        return hent_eller_ikke_fundet(self.app.repository, tilsyn_id, Tilsynsbesoeg, "tilsyn")

    def _aendr(self, tilsyn_id: UUID, command: Callable[[Tilsynsbesoeg], object]) -> Tilsynsbesoeg:
        """A command on a stored inspection: load it, change it, save it."""
        besoeg = self.hent(tilsyn_id)
        command(besoeg)
        self.app.save(besoeg)
        return besoeg

    def registrer_fund(
        self, tilsyn_id: UUID, sag_id: UUID | None, vurdering: str, beskrivelse: str, aktoer: Aktoer
    ) -> Tilsynsbesoeg:
        def registrer(besoeg: Tilsynsbesoeg) -> None:
            # A finding about a case is the citizen's data, sealed under their key; about a
            # case supervision has not heard of, under the case's own subject (the domain).
            borger_id = None
            if sag_id is not None:
                with contextlib.suppress(NotFound):
                    borger_id = self.app.borger_id(sag_id)
            besoeg.registrer_fund(
                str(sag_id) if sag_id else None, vurdering, beskrivelse, aktoer.as_dict(), borger_id
            )

        return self._aendr(tilsyn_id, registrer)

    def opret_opfoelgning(
        self, tilsyn_id: UUID, beskrivelse: str, frist: date, ansvarlig: str, aktoer: Aktoer
    ) -> Tilsynsbesoeg:
        return self._aendr(
            tilsyn_id,
            lambda b: b.opret_opfoelgning(beskrivelse, frist, ansvarlig, aktoer.as_dict()),
        )

    def luk_opfoelgning(
        self, tilsyn_id: UUID, punkt_id: str, lukket_dato: date, bemaerkning: str, aktoer: Aktoer
    ) -> Tilsynsbesoeg:
        return self._aendr(
            tilsyn_id,
            lambda b: b.luk_opfoelgning(
                punkt_id, lukket_dato, bemaerkning, aktoer.as_dict(), idag=self.app.ur.idag()
            ),
        )
