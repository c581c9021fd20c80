"""The access log as tilsyn reads it: every read of a citizen's personal data through any
service's API, folded from supervision's own log.

Supervision's own reads and those the other services publish (PersonoplysningerLaest on
bum.adgangslog.v1, stored here as the same `Adgang` events with the time of the read) are
one list, ordered by when the read happened. Indexed by case and by citizen: a citizen's
aktindsigt shows reads of their case and reads of their data outside it (a kørelist).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

# `Adgang` lived here until every service kept an access log; stored events still name
# this module (services.supervision.domain.adgangslog:Adgang...), so it stays importable.
from shared.kernel.adgang import Adgang, som_post

__all__ = ["Adgang", "Adgangslog", "Soegning"]


@dataclass(frozen=True)
class Soegning:
    """Tilsyn's question to the log; every criterion optional. `fra`/`til` are ISO 8601
    moments (UTC offset included), compared with the time of the read."""

    borger_id: str | None = None
    sag_id: str | None = None
    aktoer: str | None = None
    tjeneste: str | None = None
    fra: str | None = None
    til: str | None = None


class Adgangslog:
    """Fold of the `AdgangRegistreret` events (own and relayed), in log order."""

    def __init__(self) -> None:
        self.poster: list[dict[str, Any]] = []
        self.pr_sag: dict[str, list[dict[str, Any]]] = {}
        self.pr_borger: dict[str, list[dict[str, Any]]] = {}

    def egen(self, e: Any) -> None:
        if not isinstance(e, Adgang.AdgangRegistreret):
            return
        post = som_post(e)
        self.poster.append(post)
        if e.sag_id:
            self.pr_sag.setdefault(e.sag_id, []).append(post)
        if e.borger_id:
            self.pr_borger.setdefault(e.borger_id, []).append(post)

    def for_sag(
        self, sag_id: UUID | str, borger_id: UUID | str | None = None
    ) -> list[dict[str, Any]]:
        """Reads of the case, and (given the citizen) of the citizen's data elsewhere."""
        fundet = {p["adgang_id"]: p for p in self.pr_sag.get(str(sag_id), [])}
        if borger_id:
            for p in self.pr_borger.get(str(borger_id), []):
                if p["sag_id"] in (None, str(sag_id)):
                    fundet.setdefault(p["adgang_id"], p)
        return [dict(p) for p in _ordnet(fundet.values())]

    def soeg(self, s: Soegning, graense: int) -> tuple[int, list[dict[str, Any]]]:
        """How many reads match, and the first `graense` of them in time order."""
        if s.sag_id is not None:
            kandidater = self.pr_sag.get(s.sag_id, [])
        elif s.borger_id is not None:
            kandidater = self.pr_borger.get(s.borger_id, [])
        else:
            kandidater = self.poster
        fundet = [
            p
            for p in kandidater
            if (s.borger_id is None or p["borger_id"] == s.borger_id)
            and (s.sag_id is None or p["sag_id"] == s.sag_id)
            and (s.aktoer is None or p["hvem"].get("id") == s.aktoer)
            and (s.tjeneste is None or p["tjeneste"] == s.tjeneste)
            and (s.fra is None or p["tidspunkt"] >= s.fra)
            and (s.til is None or p["tidspunkt"] <= s.til)
        ]
        return len(fundet), [dict(p) for p in _ordnet(fundet)[:graense]]

    def resultat(self) -> dict[str, Any]:
        return {k: self.pr_sag[k] for k in sorted(self.pr_sag)}


def _ordnet(poster: Any) -> list[dict[str, Any]]:
    return sorted(poster, key=lambda p: (p["tidspunkt"], p["adgang_id"]))
