"""The approved providers (godkendte leverandører) of the demo municipality.

Issue "Provider operations" replaces this with provider aggregates and approval windows;
until then it is the one list visitation validates choices against and the provider
service accepts orders for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GodkendtLeverandoer:
    leverandoer_id: str
    navn: str
    type: str  # kommunal | privat
    cvr: str | None
    kategorier: frozenset[str]


GODKENDTE_LEVERANDOERER: dict[str, GodkendtLeverandoer] = {
    lev.leverandoer_id: lev
    for lev in (
        GodkendtLeverandoer(
            "hjemmeplejen-nord",
            "Hjemmeplejen Nord",
            "kommunal",
            None,
            frozenset({"personlig", "praktisk", "madservice", "rehabilitering"}),
        ),
        GodkendtLeverandoer(
            "omsorg-plus-aps",
            "Omsorg Plus ApS",
            "privat",
            "12345678",
            frozenset({"personlig", "praktisk"}),
        ),
        GodkendtLeverandoer(
            "rent-hjem-as",
            "Rent Hjem A/S",
            "privat",
            "87654321",
            frozenset({"praktisk"}),
        ),
    )
}
