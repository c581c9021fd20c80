"""Service-level what-if over HTTP: a catalogue change against the active grants."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field, model_validator

from services.supervision.api.deps import Actor, ruter
from services.supervision.api.schemas import HvadHvisUd
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.domain.hvadhvis import Aendring, fra_perioder, hvad_hvis
from shared.infra.ruter import StrictBody


class AendringInd(StrictBody):
    indsats_kode: str | None = Field(default=None, examples=["H2.1"])
    kategori: str | None = Field(default=None, examples=["praktisk"])
    kun_besoeg_pr_uge: float | None = Field(
        default=None, gt=0, description="only grants now given this often (0.5 = every 14 days)"
    )
    besoeg_pr_uge: float | None = Field(default=None, ge=0, le=70)
    interval_dage: int | None = Field(default=None, ge=1, le=366, examples=[21])
    minutter_pr_besoeg: int | None = Field(default=None, ge=1, le=600)

    @model_validator(mode="after")
    def _en_hyppighed(self) -> AendringInd:
        if self.besoeg_pr_uge is not None and self.interval_dage is not None:
            raise ValueError("give besoeg_pr_uge or interval_dage, not both")
        return self


class HvadHvis(StrictBody):
    aendringer: list[AendringInd] = Field(min_length=1, max_length=50)
    timepriser: dict[str, float] = Field(
        default_factory=dict,
        description="kr per hour by indsats code or category",
        examples=[{"personlig": 450.0, "praktisk": 380.0}],
    )
    standard_timepris: float = Field(default=400.0, ge=0)


def build_hvadhvis_router(projektioner: Tilsynsprojektioner) -> APIRouter:
    router = ruter("tilsyn")

    @router.post(
        "/tilsyn/hvadhvis",
        response_model=HvadHvisUd,
        summary="What a catalogue change does to yearly visits, hours and cost of the active "
        "grants, next to the current figures",
    )
    def hvadhvis(body: HvadHvis, aktoer: Actor) -> dict[str, Any]:
        perioder = projektioner.laes(lambda p: p.tilsynstal.aktive_perioder())
        return hvad_hvis(
            fra_perioder(perioder),
            [Aendring(**a.model_dump()) for a in body.aendringer],
            body.timepriser,
            body.standard_timepris,
        )

    return router
