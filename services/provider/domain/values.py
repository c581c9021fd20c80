"""Value objects of the provider domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True)
class PlanlagtBesoeg:
    besoeg_id: UUID
    dato: date
    tidsvindue: str
    planlagte_minutter: int


@dataclass(frozen=True)
class Levering:
    besoeg_id: UUID
    leveret_tidspunkt: datetime
    faktiske_minutter: int
    medarbejder_id: str


@dataclass(frozen=True)
class Aflysning:
    besoeg_id: UUID
    aflyst_af: str  # borger | leverandoer
    aarsag: str
    aflyst_tidspunkt: datetime
    varsel_timer: float
    rettidig: bool


VALUE_TYPES = (PlanlagtBesoeg, Levering, Aflysning)
