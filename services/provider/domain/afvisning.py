"""An order the provider refuses: the provider is not approved for the category on the
order's start date (frit valg, Serviceloven § 91: the municipality approves providers per
category for a period). Accepting it silently would plan help nobody may deliver; the
refusal is published so visitation chooses an approved provider."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer


class Bestillingsafvisning(Aggregate):
    @staticmethod
    def create_id(bevilling_id: UUID, leverandoer_id: str, startdato: date) -> UUID:
        # One refusal per grant, provider and start: a redelivered order is refused once.
        return uuid.uuid5(bevilling_id, f"afvist:{leverandoer_id}:{startdato.isoformat()}")

    class BestillingAfvist(Aggregate.Created):
        bevilling_id: UUID
        sag_id: UUID
        borger_id: UUID
        leverandoer_id: str
        kategori: str
        startdato: date
        aarsag: str
        begrundelse: str
        aktoer: Aktoer
        occurred_at: datetime

    @event(BestillingAfvist)
    def __init__(
        self,
        bevilling_id: UUID,
        sag_id: UUID,
        borger_id: UUID,
        leverandoer_id: str,
        kategori: str,
        startdato: date,
        aarsag: str,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.bevilling_id = bevilling_id
        self.leverandoer_id = leverandoer_id


def ikke_godkendt_begrundelse(leverandoer_id: str, kategori: str, startdato: date) -> str:
    return (
        f"{leverandoer_id} er ikke godkendt til {kategori} pr. {startdato.isoformat()}; "
        "vælg en godkendt leverandør."
    )
