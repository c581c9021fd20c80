"""First tilsyn figure: granted (planned from the grant) vs delivered minutes per provider."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from services.supervision.domain.sagsforloeb import Sagsforloeb
from shared.infra.projection import LogFollowingProjection


@dataclass
class Leveringstal:
    leverandoer_id: str
    bevilgede_minutter_pr_uge: float = 0.0
    planlagte_besoeg: int = 0
    planlagte_minutter: int = 0
    leverede_besoeg: int = 0
    leverede_minutter: int = 0
    aflyste_besoeg: dict[str, int] = field(default_factory=lambda: defaultdict(int))
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


#: Visits per week for each granted frequency unit.
BESOEG_PR_UGE = {"dag": 7.0, "uge": 1.0, "anden_uge": 0.5, "maaned": 12 / 52}


class Leveringsgrad(LogFollowingProjection):
    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.tal: dict[str, Leveringstal] = {}
        self.planlagt: dict[str, int] = {}  # besoeg_id -> planned minutes

    def _for(self, leverandoer_id: str) -> Leveringstal:
        return self.tal.setdefault(leverandoer_id, Leveringstal(leverandoer_id))

    def apply(self, e: Any) -> None:
        if not isinstance(e, Sagsforloeb.HaendelseRegistreret):
            return
        h = e.haendelse
        data, kind = h["data"], h["event_type"]
        if kind == "AfgoerelseTruffet":
            for b in data["bevillinger"]:
                per_week = BESOEG_PR_UGE[b["hyppighed"]["periode"]] * b["hyppighed"]["antal"]
                self._for(b["leverandoer_id"]).bevilgede_minutter_pr_uge += (
                    per_week * b["minutter_pr_besoeg"]
                )
        elif kind == "BesoegPlanlagt":
            t = self._for(data["leverandoer_id"])
            for b in data["besoeg"]:
                self.planlagt[b["besoeg_id"]] = b["planlagte_minutter"]
                t.planlagte_besoeg += 1
                t.planlagte_minutter += b["planlagte_minutter"]
        elif kind == "IndsatsLeveret":
            t = self._for(data["leverandoer_id"])
            t.leverede_besoeg += 1
            t.leverede_minutter += data["faktiske_minutter"]
            t.afviklede_planlagte_minutter += self.planlagt.get(data["besoeg_id"], 0)
        elif kind == "BesoegAflyst":
            t = self._for(data["leverandoer_id"])
            t.aflyste_besoeg[data["aflyst_af"]] += 1
            t.afviklede_planlagte_minutter += self.planlagt.get(data["besoeg_id"], 0)

    def figures(self) -> list[dict[str, Any]]:
        self.catch_up()
        return [t.as_dict() for _, t in sorted(self.tal.items())]
