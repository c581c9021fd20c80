"""Tilsyn's copy of a case's history: every public event any service published about it.

Supervision never changes what happened; it records that it learned of it. The public
envelope is kept whole (as received) so an auditor sees exactly what was published, except
that the contract's free-text fields are stored as Personoplysning of the citizen
(encrypted under their key; RecordEverything). The aggregate's state holds them as text,
or as the placeholder once the key is erased, so every reader of the history sees strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.personoplysning import som_visning


class Sagsforloeb(Aggregate):
    """Aggregate id = the case id (sag_id) it follows."""

    @staticmethod
    def create_id(sag_id: str) -> UUID:
        return UUID(sag_id)

    class SagsforloebAabnet(Aggregate.Created):
        sag_id: str

    class HaendelseRegistreret(Aggregate.Event):
        """v2: the envelope always has `case_sequence`. Envelopes recorded before the relays
        numbered each case's events (v1, e.g. tests/fixtures/supervision-v1.sqlite) are
        upcast with `case_sequence: None`, meaning "not numbered at the source".

        v3: `borger_id`, the citizen the case names as of this event, so a writer's head
        (`hoved`) reads it off the newest event alone. None: no event had named one yet,
        or recorded before v3 (the head then looks for the first event naming one)."""

        class_version = 3
        haendelse: dict[str, Any]
        borger_id: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["haendelse"] = {"case_sequence": None, **state["haendelse"]}

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["borger_id"] = None

    @event(SagsforloebAabnet)
    def __init__(self, sag_id: str) -> None:
        self.haendelser: list[dict[str, Any]] = []
        self._event_ids: set[str] = set()
        self._borger_id: str | None = None
        #: False for a head (`hoved`): the history before it was not loaded.
        self.hele_historikken = True

    @staticmethod
    def hoved(borger_id: str | None) -> dict[str, Any]:
        """The state of a case history that is only appended to (supervision's consumer):
        the citizen the case names, and none of the events before. Recording an event costs
        the same on a case of ten events as on one of a year's 1,500 (issue 15), where a
        replay decoded (and decrypted) every one. Made at the stream's version by the
        application (shared/infra/es/hoved.py), so the store still refuses an append that
        lost a race. Redeliveries are the consumer's tracking's to drop (per source and
        case, before the handler runs); the event-id check here sees only what is loaded."""
        return {
            "haendelser": [],
            "_event_ids": set(),
            "_borger_id": borger_id,
            "hele_historikken": False,
        }

    def registrer(self, public_event: dict[str, Any]) -> None:
        """Record a published event once; the same event id again is a no-op."""
        if public_event["event_id"] in self._event_ids:
            return
        self._haendelse_registreret(public_event, self._borger_id or _navngiven(public_event))

    @event(HaendelseRegistreret)
    def _haendelse_registreret(self, haendelse: dict[str, Any], borger_id: str | None) -> None:
        if self.hele_historikken:
            # A head holds no history to read (`historik` refuses it): building the
            # readable copy there cost a tenth of the consumer's CPU, and a head kept in
            # the cache would grow with every event.
            self.haendelser.append(som_visning(haendelse))
        self._event_ids.add(haendelse["event_id"])
        if self._borger_id is None:
            # Before v3 the event did not say; the envelope does.
            self._borger_id = borger_id or _navngiven(haendelse)

    def borger_id(self) -> str | None:
        """The citizen the case is about, as the first event naming one published it (None
        if never named)."""
        return self._borger_id

    def historik(self, som_kendt_pr: datetime | None = None) -> list[dict[str, Any]]:
        """Ordered across services by when the source recorded it, then by source position.

        Recorded-at order follows causality here: a provider can only record an order after
        visitation recorded the decision that caused it.
        """
        if not self.hele_historikken:
            raise RuntimeError("a case history's head holds no history to read")
        haendelser = self.haendelser
        if som_kendt_pr is not None:
            # "What was known then": what the source services had recorded by that moment.
            haendelser = [
                h for h in haendelser if datetime.fromisoformat(h["recorded_at"]) <= som_kendt_pr
            ]
        return sorted(
            haendelser,
            key=lambda h: (datetime.fromisoformat(h["recorded_at"]), h["source"], h["sequence"]),
        )


def _navngiven(haendelse: dict[str, Any]) -> str | None:
    """The citizen a public envelope names in its payload, if any."""
    data = haendelse.get("data")
    borger_id = data.get("borger_id") if isinstance(data, dict) else None
    return borger_id if isinstance(borger_id, str) else None
