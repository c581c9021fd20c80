"""How visitation reacts to other services' public events (process policy)."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.domain import Aggregate

from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent, parse_payload
from shared.contracts.provider import BestillingModtagetV1
from shared.kernel import Aktoer, NotFound


class VisitationPolicy:
    def __init__(self, app: VisitationApplication) -> None:
        self.app = app

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        payload = parse_payload(event)
        if isinstance(payload, BestillingModtagetV1):
            try:
                sag = self.app.hent_sag(event.case_id)
            except NotFound:
                return []  # an order for a case we do not know: nothing to acknowledge
            sag.noter_bestilling_kvitteret(
                payload.bevilling_id,
                payload.leverandoer_id,
                Aktoer(**event.actor.model_dump()),
                event.occurred_at,
            )
            return [sag]
        return []
