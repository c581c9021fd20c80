"""The access log's one fact: someone read one citizen's personal data through an API.

Every service records its own reads as `Adgang` aggregates: one per citizen and read, so
concurrent reads never conflict on a version and a read never waits for another. A read
that shows several citizens (a kørelist) is one `Adgang` per citizen. Only pseudonymous
ids are kept (sag_id, borger_id): the log must not itself become a copy of the data.

Supervision keeps the same events for the reads the other services publish to it, with
`laest` saying when the read happened there (its own event time is when it learned of it).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event


class Adgang(Aggregate):
    class AdgangRegistreret(Aggregate.Created):
        """v2 adds which service was read (`tjeneste`), the citizen (`borger_id`) and, for a
        read recorded elsewhere, when it happened (`laest`). v1 was written by supervision
        alone, about a case, at the event's own time."""

        class_version = 2
        tjeneste: str
        endpoint: str
        sag_id: str | None
        borger_id: str | None
        aktoer: dict[str, str]
        formaal: str | None
        laest: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(tjeneste="supervision", borger_id=None, laest=None)

    @event(AdgangRegistreret)
    def __init__(
        self,
        tjeneste: str,
        endpoint: str,
        sag_id: str | None,
        borger_id: str | None,
        aktoer: dict[str, str],
        formaal: str | None,
        laest: str | None = None,
    ) -> None:
        self.tjeneste = tjeneste
        self.endpoint = endpoint
        self.sag_id = sag_id
        self.borger_id = borger_id
        self.aktoer = aktoer
        self.formaal = formaal
        self.laest = laest


def tidspunkt(e: Adgang.AdgangRegistreret) -> str:
    """When the read happened (ISO 8601): where it was recorded, or this event's own time."""
    return e.laest or e.timestamp.isoformat()


def som_post(e: Adgang.AdgangRegistreret) -> dict[str, Any]:
    """One read as the access log shows it (to tilsyn, and in a citizen's aktindsigt)."""
    return {
        "tidspunkt": tidspunkt(e),
        "tjeneste": e.tjeneste,
        "endpoint": e.endpoint,
        "sag_id": e.sag_id,
        "borger_id": e.borger_id,
        "hvem": e.aktoer,
        "formaal": e.formaal,
        "adgang_id": str(e.originator_id),
    }
