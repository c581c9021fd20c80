"""The value types of the provider register (leverandørregister); no data.

Frit valg (Serviceloven § 91): the municipality approves providers per category for a
period (godkendelsesvindue). Kinds: kommunal (the municipality's own home care), privat
(a company, identified by CVR) and selvejende (a self-governing institution, also with a
CVR). Visitation owns the register (services/visitation/domain/leverandoerregister.py,
its demo data in `catalogue/data/<kommune>/leverandoerer.yaml`) and publishes every change
as `LeverandoerregisterAendret`; the provider and supervision services keep a copy. Domain
rules that need the register receive a `Leverandoerregister` value from their application.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

Leverandoertype = Literal["kommunal", "privat", "selvejende"]


@dataclass(frozen=True)
class Godkendelse:
    """Approved for one category from `fra` to `til` (both inclusive; None = open)."""

    kategori: str
    fra: date
    til: date | None = None

    def gaelder(self, kategori: str, dato: date) -> bool:
        return (
            kategori == self.kategori
            and self.fra <= dato
            and (self.til is None or dato <= self.til)
        )


@dataclass(frozen=True)
class GodkendtLeverandoer:
    leverandoer_id: str
    navn: str
    type: Leverandoertype
    cvr: str | None
    godkendelser: tuple[Godkendelse, ...]

    def __post_init__(self) -> None:
        if (self.type == "kommunal") != (self.cvr is None):
            raise ValueError("private and selvejende providers have a CVR; kommunal ones not")

    @property
    def kategorier(self) -> frozenset[str]:
        """Every category the provider has ever been approved for (the provider service's
        view: it accepts orders; visitation checks the date)."""
        return frozenset(g.kategori for g in self.godkendelser)

    def godkendt(self, kategori: str, dato: date) -> bool:
        return any(g.gaelder(kategori, dato) for g in self.godkendelser)


@dataclass(frozen=True)
class Leverandoerregister:
    """The register as one value: provider id -> provider with its approval windows."""

    leverandoerer: Mapping[str, GodkendtLeverandoer] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @classmethod
    def af(cls, leverandoerer: Iterable[GodkendtLeverandoer]) -> Leverandoerregister:
        return cls(MappingProxyType({lev.leverandoer_id: lev for lev in leverandoerer}))

    def __contains__(self, leverandoer_id: object) -> bool:
        return leverandoer_id in self.leverandoerer

    def __iter__(self) -> Iterator[str]:
        return iter(self.leverandoerer)

    def __len__(self) -> int:
        return len(self.leverandoerer)

    def get(self, leverandoer_id: str) -> GodkendtLeverandoer | None:
        return self.leverandoerer.get(leverandoer_id)

    def er_kommunal(self, leverandoer_id: str) -> bool:
        """The kommune's own provider (where an indsats is outside frit valg)."""
        lev = self.leverandoerer.get(leverandoer_id)
        return lev is not None and lev.type == "kommunal"

    def er_godkendt(self, leverandoer_id: str, kategori: str, dato: date) -> bool:
        lev = self.leverandoerer.get(leverandoer_id)
        return lev is not None and lev.godkendt(kategori, dato)

    def godkendte(self, kategori: str, dato: date) -> list[GodkendtLeverandoer]:
        """The providers a citizen may choose between for this category on this date."""
        return [lev for lev in self.leverandoerer.values() if lev.godkendt(kategori, dato)]

    def med(self, lev: GodkendtLeverandoer) -> Leverandoerregister:
        """This register with one provider added or replaced."""
        return Leverandoerregister(
            MappingProxyType({**self.leverandoerer, lev.leverandoer_id: lev})
        )


_NAVNERUM = uuid.UUID("b7d1c0a4-3e5f-4c1e-9a51-6c2f0d8e4a77")


def leverandoer_register_id(leverandoer_id: str) -> uuid.UUID:
    """The id of a provider's register aggregate in visitation, and the case id (message
    key) of its public events: derived from the provider id, so every service can name it."""
    return uuid.uuid5(_NAVNERUM, f"leverandoer:{leverandoer_id}")
