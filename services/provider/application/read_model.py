"""The provider's work lists: orders and visits per leverandør, folded from its own log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.provider.domain.bestilling import Bestilling
from shared.infra.projection import LogFollowingProjection


@dataclass
class BesoegLinje:
    besoeg_id: UUID
    bestilling_id: UUID
    sag_id: UUID
    borger_id: UUID
    leverandoer_id: str
    indsats_kode: str
    indsats_navn: str
    dato: date
    tidsvindue: str
    planlagte_minutter: int
    status: str = "planlagt"
    detaljer: dict[str, Any] = field(default_factory=dict)


class ProviderWorkLists(LogFollowingProjection):
    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.bestillinger: dict[UUID, dict[str, Any]] = {}
        self.besoeg: dict[UUID, BesoegLinje] = {}

    def apply(self, e: Any) -> None:
        if isinstance(e, Bestilling.BestillingModtaget):
            self.bestillinger[e.originator_id] = {
                "bestilling_id": e.originator_id,
                "bevilling_id": e.bevilling_id,
                "sag_id": e.sag_id,
                "borger_id": e.borger_id,
                "leverandoer_id": e.leverandoer_id,
                "indsats_kode": e.indsats_kode,
                "indsats_navn": e.indsats_navn,
                "kategori": e.kategori,
                "hyppighed": {"antal": e.antal, "periode": e.periode},
                "minutter_pr_besoeg": e.minutter_pr_besoeg,
                "startdato": e.startdato,
                "slutdato": e.slutdato,
            }
        elif isinstance(e, Bestilling.BesoegPlanlagt):
            order = self.bestillinger[e.originator_id]
            for b in e.besoeg:
                self.besoeg[b.besoeg_id] = BesoegLinje(
                    b.besoeg_id,
                    e.originator_id,
                    order["sag_id"],
                    order["borger_id"],
                    order["leverandoer_id"],
                    order["indsats_kode"],
                    order["indsats_navn"],
                    b.dato,
                    b.tidsvindue,
                    b.planlagte_minutter,
                )
        elif isinstance(e, Bestilling.IndsatsLeveret):
            linje = self.besoeg[e.levering.besoeg_id]
            linje.status = "leveret"
            linje.detaljer = {
                "faktiske_minutter": e.levering.faktiske_minutter,
                "medarbejder_id": e.levering.medarbejder_id,
                "leveret_tidspunkt": e.levering.leveret_tidspunkt,
            }
        elif isinstance(e, Bestilling.BesoegAflyst):
            linje = self.besoeg[e.aflysning.besoeg_id]
            linje.status = "aflyst"
            linje.detaljer = {
                "aflyst_af": e.aflysning.aflyst_af,
                "aarsag": e.aflysning.aarsag,
                "rettidig": e.aflysning.rettidig,
                "varsel_timer": e.aflysning.varsel_timer,
            }

    def bestillinger_for(self, leverandoer_id: str) -> list[dict[str, Any]]:
        self.catch_up()
        return [o for o in self.bestillinger.values() if o["leverandoer_id"] == leverandoer_id]

    def besoeg_for(
        self, leverandoer_id: str, fra: date | None, til: date | None
    ) -> list[BesoegLinje]:
        self.catch_up()
        rows = [
            b
            for b in self.besoeg.values()
            if b.leverandoer_id == leverandoer_id
            and (fra is None or b.dato >= fra)
            and (til is None or b.dato <= til)
        ]
        return sorted(rows, key=lambda b: (b.dato, b.tidsvindue, str(b.besoeg_id)))
