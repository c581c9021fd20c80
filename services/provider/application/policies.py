"""How the provider service reacts to visitation's events: a decision becomes orders."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.domain import Aggregate

from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.bestilling import Bestilling
from shared.contracts import PublicEvent, parse_payload
from shared.contracts.visitation import AfgoerelseTruffetV1
from shared.kernel import Aktoer
from shared.reference.leverandoerer import GODKENDTE_LEVERANDOERER

#: The provider system acts on its own behalf when it receives and plans an order.
SYSTEM = Aktoer(id="leverandoer-system", rolle="system", organisation="leverandoerservice")


class ProviderPolicy:
    def __init__(self, app: ProviderApplication) -> None:
        self.app = app

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        payload = parse_payload(event)
        if not isinstance(payload, AfgoerelseTruffetV1):
            return []
        changed: list[Aggregate] = []
        for b in payload.bevillinger:
            if b.leverandoer_id not in GODKENDTE_LEVERANDOERER:
                continue  # not one of ours; visitation validates choices
            if self.app.find_bestilling(b.bevilling_id) is not None:
                continue
            bestilling = Bestilling(
                bevilling_id=b.bevilling_id,
                sag_id=event.case_id,
                borger_id=payload.borger_id,
                leverandoer_id=b.leverandoer_id,
                indsats_kode=b.indsats_kode,
                indsats_navn=b.indsats_navn,
                kategori=b.kategori,
                antal=b.hyppighed.antal,
                periode=b.hyppighed.periode,
                minutter_pr_besoeg=b.minutter_pr_besoeg,
                startdato=b.startdato,
                slutdato=b.slutdato,
                aktoer=SYSTEM,
                occurred_at=event.recorded_at,
            )
            # Planned from the grant's start, not from "today", so a replay plans the same.
            bestilling.planlaeg_besoeg(b.startdato, SYSTEM, event.recorded_at)
            changed.append(bestilling)
        return changed
