"""Fuldmagt: a citizen lets another person (usually a relative) act for them, within a
scope and for a period. The one rule every service applies, and the fold every service
builds its copy of the register with.

Visitation records fuldmagter and publishes them (FuldmagtGivet / FuldmagtTilbagekaldt);
provider and supervision fold those payloads into `Fuldmagter` and ask `gyldig`. The
fuldmagtshaver is named by their subject id at the municipality's identity broker (the
`sub` of their token), never by a CPR number: that id is all a service can compare a
token with, and it keeps CPR numbers off the topics.

No I/O here: the domain packages of all three services may import it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

#: What a fuldmagt may cover. A token that acts for someone else is checked against the
#: scope the route needs, so a fuldmagt to see and cancel visits does not open the case.
OMFANG: dict[str, str] = {
    "se_og_aflyse_besoeg": "se og aflyse besøg",
    "se_sagen": "se sagen og dens historik",
    "klage_og_frit_valg": "klage og vælge leverandør",
}

#: The public events a register copy folds (contract names).
FULDMAGT_GIVET = "FuldmagtGivet"
FULDMAGT_TILBAGEKALDT = "FuldmagtTilbagekaldt"

_NAVNERUM = uuid.UUID("6b3f3a0e-6a7c-4c35-9b1e-0d5f2b7d9a11")


def fuldmagtsregister_id(borger_id: UUID | str) -> UUID:
    """The id of a citizen's fuldmagt register: the case id its public events carry, the
    same in every service, so supervision finds a citizen's fuldmagter from the borger_id."""
    return uuid.uuid5(_NAVNERUM, f"fuldmagter:{borger_id}")


@dataclass(frozen=True)
class Fuldmagt:
    fuldmagt_id: UUID
    borger_id: str
    fuldmagtshaver: str
    omfang: frozenset[str]
    gyldig_fra: date
    gyldig_til: date | None = None
    #: First day on which the fuldmagt no longer applies after a revocation.
    tilbagekaldt_fra: date | None = None

    def gaelder(self, dato: date, omfang: str) -> bool:
        """Valid on `dato` for `omfang`: both ends inclusive, a revocation from its day."""
        return (
            omfang in self.omfang
            and self.gyldig_fra <= dato
            and (self.gyldig_til is None or dato <= self.gyldig_til)
            and (self.tilbagekaldt_fra is None or dato < self.tilbagekaldt_fra)
        )

    def som_dict(self) -> dict[str, Any]:
        return {
            "fuldmagt_id": self.fuldmagt_id,
            "borger_id": self.borger_id,
            "fuldmagtshaver": self.fuldmagtshaver,
            "omfang": sorted(self.omfang),
            "gyldig_fra": self.gyldig_fra,
            "gyldig_til": self.gyldig_til,
            "tilbagekaldt_fra": self.tilbagekaldt_fra,
        }


class Fuldmagter:
    """A register of fuldmagter (of one citizen or of many), folded from what was recorded."""

    def __init__(self) -> None:
        self._alle: dict[UUID, Fuldmagt] = {}

    def givet(self, fuldmagt: Fuldmagt) -> None:
        self._alle.setdefault(fuldmagt.fuldmagt_id, fuldmagt)  # a redelivery changes nothing

    def tilbagekaldt(self, fuldmagt_id: UUID, fra: date) -> None:
        found = self._alle.get(fuldmagt_id)
        if found is not None and found.tilbagekaldt_fra is None:
            self._alle[fuldmagt_id] = replace(found, tilbagekaldt_fra=fra)

    def registrer(self, event_type: str, data: Mapping[str, Any]) -> None:
        """Fold one public payload (as JSON or as parsed values); other types are ignored."""
        if event_type == FULDMAGT_GIVET:
            self.givet(
                Fuldmagt(
                    UUID(str(data["fuldmagt_id"])),
                    str(data["borger_id"]),
                    str(data["fuldmagtshaver"]),
                    frozenset(data["omfang"]),
                    _dato(data["gyldig_fra"]),
                    _dato(data["gyldig_til"]) if data.get("gyldig_til") else None,
                )
            )
        elif event_type == FULDMAGT_TILBAGEKALDT:
            self.tilbagekaldt(UUID(str(data["fuldmagt_id"])), _dato(data["tilbagekaldt_fra"]))

    def for_borger(self, borger_id: UUID | str) -> list[Fuldmagt]:
        return sorted(
            (f for f in self._alle.values() if f.borger_id == str(borger_id)),
            key=lambda f: (f.gyldig_fra, str(f.fuldmagt_id)),
        )

    def gyldig(self, borger_id: UUID | str, fuldmagtshaver: str, dato: date, omfang: str) -> bool:
        """Does `fuldmagtshaver` hold a fuldmagt from this citizen, valid on `dato`, that
        covers `omfang`?"""
        return any(
            f.fuldmagtshaver == fuldmagtshaver and f.gaelder(dato, omfang)
            for f in self.for_borger(borger_id)
        )


def _dato(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
