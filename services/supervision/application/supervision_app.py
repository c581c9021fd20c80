"""Supervision's application: case histories as published, and delivery figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from services.supervision.domain.sagsforloeb import Sagsforloeb
from shared.contracts import PublicEvent
from shared.infra.eventstore import EventStoreApplication
from shared.kernel import NotFound


class SupervisionApplication(EventStoreApplication):
    name = "supervision"

    def hent_forloeb(self, sag_id: UUID) -> Sagsforloeb:
        try:
            forloeb: Sagsforloeb = self.repository.get(sag_id)
        except AggregateNotFoundError:
            raise NotFound("sag", sag_id) from None
        return forloeb

    def historik(self, sag_id: UUID) -> list[dict[str, Any]]:
        return self.hent_forloeb(sag_id).historik()


class RecordEverything:
    """Process policy: every public event of every service goes into the case's history."""

    def __init__(self, app: SupervisionApplication) -> None:
        self.app = app

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        try:
            forloeb = self.app.hent_forloeb(event.case_id)
        except NotFound:
            forloeb = Sagsforloeb(sag_id=str(event.case_id))
        forloeb.registrer(event.model_dump(mode="json"))
        return [forloeb]
