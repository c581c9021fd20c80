"""Value objects of the visitation domain (immutable, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class Anmodning:
    """One request inside an application; each gets its own outcome in the afgørelse."""

    anmodning_id: UUID
    beskrivelse: str
    kategori: str


@dataclass(frozen=True)
class Funktionsniveau:
    omraade: str
    niveau: int


@dataclass(frozen=True)
class Funktionsvurdering:
    vurdering_id: UUID
    vurderet_dato: date
    funktionsniveauer: tuple[Funktionsniveau, ...]
    bemaerkning: str | None


@dataclass(frozen=True)
class Hyppighed:
    antal: int
    periode: str  # dag | uge | anden_uge | maaned


@dataclass(frozen=True)
class Bevilling:
    bevilling_id: UUID
    anmodning_id: UUID
    indsats_kode: str
    indsats_navn: str
    kategori: str
    hyppighed: Hyppighed
    minutter_pr_besoeg: int
    leverandoer_id: str
    startdato: date
    slutdato: date | None


@dataclass(frozen=True)
class Udfald:
    anmodning_id: UUID
    resultat: str  # bevilget | delvist | afslag
    begrundelse: str | None


@dataclass(frozen=True)
class Afgoerelse:
    afgoerelse_id: UUID
    truffet_dato: date
    udfald: tuple[Udfald, ...]
    bevillinger: tuple[Bevilling, ...]
    begrundelse: str | None
    klagevejledning: str | None


@dataclass(frozen=True)
class Klage:
    klage_id: UUID
    klagetype: str  # afgoerelse | levering
    afgoerelse_id: UUID | None
    modtaget_dato: date
    beskrivelse: str
    for_sent: bool


VALUE_TYPES = (
    Anmodning,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
    Bevilling,
    Udfald,
    Afgoerelse,
    Klage,
)
