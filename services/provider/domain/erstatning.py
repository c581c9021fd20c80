"""Replacement duty (erstatningspligt): forgæves visits, replacement visits linked to the
cancelled one, and the deadline check that turns an unmet duty into LeveringSvigtet."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain.forloeb import BESOEG_NAMESPACE, Bestillingsforloeb
from services.provider.domain.values import (
    Forgaeves,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer, DomainRuleViolation


class Erstatningsforloeb(Bestillingsforloeb):
    class BesoegForgaeves(Aggregate.Event):
        forgaeves: Forgaeves
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class ErstatningsbesoegPlanlagt(Aggregate.Event):
        besoeg: PlanlagtBesoeg
        erstatningsfrist: date
        sag_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

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
        self._besoeg_forgaeves(forgaeves, self.sag_id, self.leverandoer_id, aktoer, occurred_at)

    def planlaeg_erstatning(
        self,
        erstatter_besoeg_id: UUID,
        dato: date,
        tidsvindue: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> PlanlagtBesoeg:
        frist = self.erstatningspligter().get(erstatter_besoeg_id)
        if frist is None:
            raise DomainRuleViolation(
                "ingen-erstatningspligt",
                "Besøget har ingen åben erstatningspligt.",
                "The visit has no open replacement duty.",
            )
        if any(
            self.status(b.besoeg_id) == "planlagt"
            for b in self.erstatninger_for(erstatter_besoeg_id)
        ):
            raise DomainRuleViolation(
                "erstatning-allerede-planlagt",
                "Der er allerede planlagt et erstatningsbesøg.",
                "A replacement visit is already planned.",
            )
        r.kontroller_erstatningsdato(
            dato, self.aflysninger[erstatter_besoeg_id].aflyst_tidspunkt, frist
        )
        self._kontroller_ledig(dato, tidsvindue)
        n = len(self.erstatninger_for(erstatter_besoeg_id))
        besoeg = PlanlagtBesoeg(
            uuid.uuid5(BESOEG_NAMESPACE, f"{self.id}:erstatning:{erstatter_besoeg_id}:{n}"),
            dato,
            tidsvindue,
            self.besoeg[erstatter_besoeg_id].planlagte_minutter,
            erstatter_besoeg_id,
        )
        self._erstatningsbesoeg_planlagt(
            besoeg, frist, self.sag_id, self.leverandoer_id, aktoer, occurred_at
        )
        return besoeg

    def kontroller_frister(self, idag: date, aktoer: Aktoer, occurred_at: datetime) -> list[UUID]:
        """LeveringSvigtet for every duty whose last day is before `idag` and was not met.
        Running it twice for the same day changes nothing."""
        svigtet = []
        for besoeg_id, frist in sorted(self.erstatningspligter().items(), key=lambda x: x[1]):
            if frist >= idag:
                continue
            a = self.aflysninger[besoeg_id]
            # Without the cancellation's own free text: that is the citizen's personal data
            # (kept encrypted in the cancellation), and this summary travels in plain.
            aarsag = f"Aflyst af {a.aflyst_af}; erstatning ikke leveret senest {frist.isoformat()}"
            self._levering_svigtet(
                besoeg_id,
                self.besoeg[besoeg_id].dato,
                frist,
                aarsag,
                idag,
                self.sag_id,
                self.leverandoer_id,
                aktoer,
                occurred_at,
            )
            svigtet.append(besoeg_id)
        return svigtet

    # -- events --
    @event(BesoegForgaeves)
    def _besoeg_forgaeves(
        self,
        forgaeves: Forgaeves,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.forgaeves[forgaeves.besoeg_id] = forgaeves

    @event(ErstatningsbesoegPlanlagt)
    def _erstatningsbesoeg_planlagt(
        self,
        besoeg: PlanlagtBesoeg,
        erstatningsfrist: date,
        sag_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.besoeg[besoeg.besoeg_id] = besoeg

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
    ) -> None:
        self.svigtede.add(besoeg_id)
