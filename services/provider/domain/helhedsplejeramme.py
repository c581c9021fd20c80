"""The frame of a helhedspleje forløb as the provider received it with the decision.

The order a forløb becomes (helhedspleje.som_bevilling) carries the even spread the provider
starts from, with its minutes per visit rounded to whole minutes; the grant is the frame
itself (hours per week). Settlement counts granted minutes from the frame by the shared
definition (`shared.contracts.bevilget_tid`), so the provider keeps the frame beside the
order, in its own store, once per forløb. Only numbers, dates and ids: nothing about the
citizen's function or goals (those stay with visitation). Not published again.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer


class Helhedsplejeramme(Aggregate):
    @staticmethod
    def create_id(forloeb_id: UUID) -> UUID:
        # One frame per forløb: a redelivered decision records nothing twice.
        return uuid.uuid5(forloeb_id, "helhedsplejeramme")

    class RammeModtaget(Aggregate.Created):
        forloeb_id: UUID
        sag_id: UUID
        borger_id: UUID
        leverandoer_id: str
        #: the frame in minutes per week (a package by its level's hours, bevilget_tid)
        minutter_pr_uge: float
        startdato: date
        slutdato: date | None
        aktoer: Aktoer
        occurred_at: datetime

    @event(RammeModtaget)
    def __init__(
        self,
        forloeb_id: UUID,
        sag_id: UUID,
        borger_id: UUID,
        leverandoer_id: str,
        minutter_pr_uge: float,
        startdato: date,
        slutdato: date | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.forloeb_id = forloeb_id
        self.minutter_pr_uge = minutter_pr_uge


def som_helhedspleje(e: Helhedsplejeramme.RammeModtaget) -> dict[str, Any]:
    """The frame in the decision's JSON shape (HelhedsplejeV1's fields bevilget_tid reads),
    so `helhedspleje_tid` turns it into granted time exactly as tilsyn does."""
    return {
        "forloeb_id": str(e.forloeb_id),
        "leverandoer_id": e.leverandoer_id,
        "ramme": "timer_pr_uge",
        "timer_pr_uge": e.minutter_pr_uge / 60,
        "startdato": e.startdato.isoformat(),
        "slutdato": e.slutdato.isoformat() if e.slutdato else None,
    }
