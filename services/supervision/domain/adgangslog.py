"""Access log: every read of a citizen's personal data through supervision's API.

One aggregate per read, so concurrent reads of the same case never conflict on a version
and a read never waits for another. The per-case view is a fold over these events
(`Adgangslog`), rebuilt with the other read models.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Adgang(Aggregate):
    class AdgangRegistreret(Aggregate.Created):
        sag_id: str
        aktoer: dict[str, str]
        endpoint: str
        formaal: str | None

    @event(AdgangRegistreret)
    def __init__(
        self, sag_id: str, aktoer: dict[str, str], endpoint: str, formaal: str | None
    ) -> None:
        self.sag_id = sag_id
        self.aktoer = aktoer
        self.endpoint = endpoint
        self.formaal = formaal


class Adgangslog:
    """Fold of supervision's own AdgangRegistreret events, per case, in log order."""

    def __init__(self) -> None:
        self.pr_sag: dict[str, list[dict[str, Any]]] = {}

    def egen(self, e: Any) -> None:
        if isinstance(e, Adgang.AdgangRegistreret):
            self.pr_sag.setdefault(e.sag_id, []).append(
                {
                    "tidspunkt": e.timestamp.isoformat(),
                    "hvem": e.aktoer,
                    "endpoint": e.endpoint,
                    "formaal": e.formaal,
                    "adgang_id": str(e.originator_id),
                }
            )

    def for_sag(self, sag_id: UUID | str) -> list[dict[str, Any]]:
        return list(self.pr_sag.get(str(sag_id), []))

    def resultat(self) -> dict[str, Any]:
        return {k: self.pr_sag[k] for k in sorted(self.pr_sag)}
