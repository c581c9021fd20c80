"""The first tilsyn figure, over all time: granted (per week) vs planned vs delivered minutes
per provider. Kept as published at `/leveringsgrad`; the per-month figures are in tilsynstal.

Granted minutes here are a weekly rate summed over the decisions, not time over a period,
so a pause (indlæggelse) does not enter; the share (`leveringsgrad`) is delivered of the
settled visits' planned minutes. The share of granted time delivered, with paused days
left out, is tilsynstal's `leveret_af_bevilget`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.supervision.domain.fold import Fold, Haendelse, haandterer
from shared.contracts.bevilget_tid import bevilget_tid


@dataclass
class Leveringstal:
    leverandoer_id: str
    bevilgede_minutter_pr_uge: float = 0.0
    planlagte_besoeg: int = 0
    planlagte_minutter: int = 0
    leverede_besoeg: int = 0
    leverede_minutter: int = 0
    aflyste_besoeg: dict[str, int] = field(default_factory=dict)
    afviklede_planlagte_minutter: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "leverandoer_id": self.leverandoer_id,
            "bevilgede_minutter_pr_uge": round(self.bevilgede_minutter_pr_uge, 1),
            "planlagte_besoeg": self.planlagte_besoeg,
            "planlagte_minutter": self.planlagte_minutter,
            "leverede_besoeg": self.leverede_besoeg,
            "leverede_minutter": self.leverede_minutter,
            "aflyste_besoeg": dict(sorted(self.aflyste_besoeg.items())),
            # Of the visits that are settled (delivered or cancelled), the share of their
            # planned minutes that was actually delivered.
            "leveringsgrad": (
                round(self.leverede_minutter / self.afviklede_planlagte_minutter, 3)
                if self.afviklede_planlagte_minutter
                else None
            ),
        }


class Leveringsgrad(Fold):
    def __init__(self) -> None:
        self.tal: dict[str, Leveringstal] = {}
        self.planlagt: dict[str, int] = {}  # besoeg_id -> planned minutes

    def _for(self, leverandoer_id: str) -> Leveringstal:
        t = self.tal.get(leverandoer_id)
        if t is None:
            t = self.tal[leverandoer_id] = Leveringstal(leverandoer_id)
        return t

    @haandterer("AfgoerelseTruffet")
    def _afgoerelse(self, h: Haendelse) -> None:
        # Every kind of grant (single services, a helhedspleje forløb's frame) counts.
        for t in bevilget_tid(h["data"]):
            self._for(t.leverandoer_id).bevilgede_minutter_pr_uge += t.minutter_pr_uge

    @haandterer("BesoegPlanlagt")
    def _planlagt(self, h: Haendelse) -> None:
        data = h["data"]
        t = self._for(data["leverandoer_id"])
        for b in data["besoeg"]:
            self.planlagt[b["besoeg_id"]] = b["planlagte_minutter"]
            t.planlagte_besoeg += 1
            t.planlagte_minutter += b["planlagte_minutter"]

    @haandterer("IndsatsLeveret")
    def _leveret(self, h: Haendelse) -> None:
        data = h["data"]
        t = self._for(data["leverandoer_id"])
        t.leverede_besoeg += 1
        t.leverede_minutter += data["faktiske_minutter"]
        t.afviklede_planlagte_minutter += self.planlagt.get(data["besoeg_id"], 0)

    @haandterer("BesoegAflyst")
    def _aflyst(self, h: Haendelse) -> None:
        data = h["data"]
        t = self._for(data["leverandoer_id"])
        t.aflyste_besoeg[data["aflyst_af"]] = t.aflyste_besoeg.get(data["aflyst_af"], 0) + 1
        t.afviklede_planlagte_minutter += self.planlagt.get(data["besoeg_id"], 0)

    def resultat(self) -> list[dict[str, Any]]:
        return [t.as_dict() for _, t in sorted(self.tal.items())]
