"""The citizen (Borger) and the CPR index that finds one.

Moved out of sag.py; stored events keep their original topics (registered below), so
stores written before the move replay unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from shared.kernel import Aktoer
from shared.kernel.personoplysning import Personoplysning


class Borger(Aggregate):
    """The citizen. The aggregate id is the pseudonymous borger_id used on every topic; the
    CPR number and name stay inside visitation, and are stored encrypted with the citizen's
    own key (Personoplysning; see docs/personal-data.md)."""

    @staticmethod
    def create_id(borger_id: UUID) -> UUID:
        return borger_id

    class BorgerRegistreret(Aggregate.Created):
        """v2: CPR number and name as Personoplysning. v1 (before crypto-shredding) stored
        them as plain strings; they are upcast as the citizen's data, readable as before
        (old stores keep their plain text: history is not rewritten)."""

        class_version = 2
        borger_id: UUID
        cpr: Personoplysning
        navn: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            ejer = str(state["originator_id"])
            state["borger_id"] = state["originator_id"]
            state["cpr"] = Personoplysning(ejer, state["cpr"])
            state["navn"] = Personoplysning(ejer, state["navn"])

    @event(BorgerRegistreret)
    def __init__(
        self,
        borger_id: UUID,
        cpr: Personoplysning,
        navn: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.cpr = cpr
        self.navn = navn
        self.slettet: date | None = None

    class PersonoplysningerSlettet(Aggregate.Event):
        """The citizen's key was erased (GDPR art. 17). Carries no personal data: the legal
        reason and who decided it."""

        grund: str
        dato: date
        aktoer: Aktoer
        occurred_at: datetime

    @event(PersonoplysningerSlettet)
    def noter_sletning(self, grund: str, dato: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        self.slettet = dato


class BorgerIndeks(Aggregate):
    """Finds a citizen by CPR number. The index id is a keyed hash (HMAC) of the CPR number:
    without the key, the store's ids cannot be turned back into CPR numbers by trying all
    of them. v2 of its event no longer carries the CPR number itself."""

    @staticmethod
    def create_id(indeks_id: UUID) -> UUID:
        return indeks_id

    @staticmethod
    def id_for(cpr: str, noegle: bytes) -> UUID:
        digest = hmac.new(noegle, cpr.encode(), hashlib.sha256).digest()
        return UUID(bytes=digest[:16], version=5)

    class Oprettet(Aggregate.Created):
        class_version = 2
        indeks_id: UUID
        borger_id: UUID

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.pop("cpr", None)
            state["indeks_id"] = state["originator_id"]

    @event(Oprettet)
    def __init__(self, indeks_id: UUID, borger_id: UUID) -> None:
        self.borger_id = borger_id

    class Omregistreret(Aggregate.Event):
        """The CPR number now finds a new citizen record: the old one's personal data was
        erased, and whatever is recorded from now on must be readable under a live key."""

        borger_id: UUID

    @event(Omregistreret)
    def omregistrer(self, borger_id: UUID) -> None:
        self.borger_id = borger_id


# Where these classes lived when the first events were stored.
_OLD_MODULE = "services.visitation.domain.sag"
for _cls in (Borger, Borger.BorgerRegistreret, BorgerIndeks, BorgerIndeks.Oprettet):
    register_topic(f"{_OLD_MODULE}:{_cls.__qualname__}", _cls)
