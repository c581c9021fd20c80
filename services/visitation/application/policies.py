"""How visitation reacts to other services' public events (process policy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from eventsourcing.domain import Aggregate

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.noter import Bestillingskvittering, ny_kvittering
from services.visitation.domain.sag import KILDE_AENDRINGSINDBERETNING, Sag
from shared.contracts import PublicEvent, parse_payload
from shared.contracts.provider import (
    AendringIFunktionsevneIndberettetV1,
    BestillingAfvistV1,
    BestillingModtagetV1,
    LeveringSvigtetV1,
)
from shared.kernel import Aktoer, NotFound

#: A provider's change report opens a re-assessment task due in this many working days
#: (the demo municipality's practice; the law sets no period).
REVURDERINGSOPGAVE_ARBEJDSDAGE = 10


#: The public events this policy checks against the case (`__call__`).
_SAGENS_HAENDELSER = frozenset(
    {
        "BestillingModtaget",
        "AendringIFunktionsevneIndberettet",
        "LeveringSvigtet",
        "BestillingAfvist",
    }
)


class VisitationPolicy:
    def __init__(self, app: VisitationApplication) -> None:
        self.app = app

    def forhaand(self, events: Sequence[PublicEvent]) -> None:
        """A batch's cases in one query, and whether each order receipt is noted already
        in another (the consumer calls this before applying)."""
        ids = [
            Bestillingskvittering.create_id(event.case_id, p.bevilling_id)
            for event in events
            if event.event_type == "BestillingModtaget"
            and isinstance(p := parse_payload(event), BestillingModtagetV1)
        ]
        self.app.hurtig_repository.forhaand(ids)
        self.app.hurtig_repository.forhaand_hele(
            [e.case_id for e in events if e.event_type in _SAGENS_HAENDELSER]
        )

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        payload = parse_payload(event)
        if not isinstance(
            payload,
            BestillingModtagetV1
            | AendringIFunktionsevneIndberettetV1
            | LeveringSvigtetV1
            | BestillingAfvistV1,
        ):
            return []
        try:
            sag = self.app.hent_sag(event.case_id)
        except NotFound:
            return []  # a case we do not know: nothing to record
        aktoer = Aktoer(**event.actor.model_dump())
        if isinstance(payload, AendringIFunktionsevneIndberettetV1):
            self._revurderingsopgave(sag, payload, aktoer, event)
            return [sag]
        # The provider's notes on the orders go to small aggregates beside the case
        # (domain/noter.py), checked against the case but not written to it.
        if isinstance(payload, BestillingModtagetV1):
            kvittering = ny_kvittering(
                sag,
                self.app.kvittering(sag.id, payload.bevilling_id),
                payload.bevilling_id,
                payload.leverandoer_id,
                aktoer,
                event.occurred_at,
            )
            return [] if kvittering is None else [kvittering]
        if isinstance(payload, BestillingAfvistV1):
            # The visitator chooses an approved provider; the case shows the refusal.
            noter = self.app.leveringsnoter(sag.id, payload.startdato)
            ny = noter.noter_bestilling_afvist(
                sag,
                payload.bevilling_id,
                payload.leverandoer_id,
                payload.kategori,
                payload.startdato,
                payload.begrundelse,
                aktoer,
                event.occurred_at,
            )
        else:
            # § 90: the visitator follows up on help that was not delivered.
            noter = self.app.leveringsnoter(sag.id, payload.oprindelig_dato)
            ny = noter.noter_leveringssvigt(
                sag,
                payload.besoeg_id,
                payload.leverandoer_id,
                payload.oprindelig_dato,
                payload.aarsag,
                aktoer,
                event.occurred_at,
            )
        return [noter] if ny else []

    def _revurderingsopgave(
        self,
        sag: Sag,
        payload: AendringIFunktionsevneIndberettetV1,
        aktoer: Aktoer,
        event: PublicEvent,
    ) -> None:
        # The task id derives from the report id, so a redelivered report opens no second task.
        sag.opret_revurderingsopgave(
            uuid.uuid5(payload.indberetning_id, "revurderingsopgave"),
            f"{KILDE_AENDRINGSINDBERETNING}{payload.leverandoer_id}",
            payload.observeret_dato,
            self.app.kalender.plus_arbejdsdage(
                payload.observeret_dato, REVURDERINGSOPGAVE_ARBEJDSDAGE
            ),
            payload.beskrivelse,
            tuple(payload.omraader),
            aktoer,
            event.occurred_at,
        )
