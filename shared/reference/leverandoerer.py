"""The approved providers (godkendte leverandører) of the demo municipality.

Frit valg (Serviceloven § 91): the municipality approves providers per category for a
period (godkendelsesvindue). Kinds: kommunal (the municipality's own home care), privat
(a company, identified by CVR) and selvejende (a self-governing institution, also with a
CVR). Visitation lets a citizen choose only a provider approved for the category on the
date the choice takes effect; the provider service accepts orders for the listed ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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


#: The demo municipality's approvals since its frit-valg tender of 2020.
_FRA = date(2020, 1, 1)

GODKENDTE_LEVERANDOERER: dict[str, GodkendtLeverandoer] = {
    lev.leverandoer_id: lev
    for lev in (
        GodkendtLeverandoer(
            "hjemmeplejen-nord",
            "Hjemmeplejen Nord",
            "kommunal",
            None,
            tuple(
                Godkendelse(k, _FRA)
                for k in ("personlig", "praktisk", "madservice", "rehabilitering")
            ),
        ),
        GodkendtLeverandoer(
            "omsorg-plus-aps",
            "Omsorg Plus ApS",
            "privat",
            "12345678",
            (Godkendelse("personlig", _FRA), Godkendelse("praktisk", _FRA)),
        ),
        GodkendtLeverandoer(
            "rent-hjem-as",
            "Rent Hjem A/S",
            "privat",
            "87654321",
            (Godkendelse("praktisk", _FRA),),
        ),
        GodkendtLeverandoer(
            # A self-governing institution whose contract for personal care ended with the
            # 2025 tender: choosing it for personlig after that date is refused.
            "diakonien-selvejende",
            "Diakoniens Hjemmepleje (selvejende)",
            "selvejende",
            "11223344",
            (
                Godkendelse("praktisk", _FRA),
                Godkendelse("personlig", _FRA, date(2025, 12, 31)),
            ),
        ),
    )
}


def er_godkendt(leverandoer_id: str, kategori: str, dato: date) -> bool:
    lev = GODKENDTE_LEVERANDOERER.get(leverandoer_id)
    return lev is not None and lev.godkendt(kategori, dato)


def godkendte(kategori: str, dato: date) -> list[GodkendtLeverandoer]:
    """The providers a citizen may choose between for this category on this date."""
    return [lev for lev in GODKENDTE_LEVERANDOERER.values() if lev.godkendt(kategori, dato)]
