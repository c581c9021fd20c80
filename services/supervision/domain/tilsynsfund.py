"""Index of inspection findings about a citizen's home, per case (for aktindsigt).

A finding's description stays the Personoplysning it was stored as: the aktindsigt renders
it with the key store's word on erasure, so an index folded before the citizen's erasure
never shows the text after it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg


class Tilsynsfund:
    def __init__(self) -> None:
        self.pr_sag: dict[str, list[dict[str, Any]]] = {}

    def egen(self, e: Any) -> None:
        if isinstance(e, Tilsynsbesoeg.FundRegistreret) and e.sag_id:
            self.pr_sag.setdefault(e.sag_id, []).append(
                {
                    "tidspunkt": e.timestamp.isoformat(),
                    "tilsyn_id": str(e.originator_id),
                    "fund_id": e.fund_id,
                    "vurdering": e.vurdering,
                    "beskrivelse": e.beskrivelse,
                    "hvem": e.aktoer,
                }
            )

    def for_sag(self, sag_id: UUID | str) -> list[dict[str, Any]]:
        return list(self.pr_sag.get(str(sag_id), []))

    def resultat(self) -> dict[str, Any]:
        """The index without the descriptions: what the rebuild CLI fingerprints holds no
        free text, so a fold from before an erasure equals one rebuilt after it."""
        return {
            k: [{n: v for n, v in f.items() if n != "beskrivelse"} for f in self.pr_sag[k]]
            for k in sorted(self.pr_sag)
        }
