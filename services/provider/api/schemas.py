"""Request bodies of the provider API (strict: unknown fields are refused)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.vocabulary import AflystAf


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LeveringInd(_Strict):
    leveret_tidspunkt: AwareDatetime = Field(examples=["2026-11-23T09:40:00+01:00"])
    faktiske_minutter: int = Field(ge=0, le=600)
    medarbejder_id: str = Field(min_length=1, max_length=100)


class AflysningInd(_Strict):
    aflyst_af: AflystAf
    aarsag: str = Field(min_length=1, max_length=2000)
    aflyst_tidspunkt: AwareDatetime


class AflysningUd(BaseModel):
    besoeg_id: str
    rettidig: bool
    varsel_timer: float


class Kvittering(BaseModel):
    status: str
    registreret: datetime
