"""Which of the provider service's domain events are published, and in which shape."""

from __future__ import annotations

from typing import Any

from services.provider.domain.bestilling import Bestilling
from shared.contracts import provider as v1
from shared.infra.public_events import PublicDraft

LOVGRUNDLAG_LEVERING = "Serviceloven §§ 83 og 91; kvalitetsstandard"


def to_public(event: Any) -> PublicDraft | None:
    payload: Any
    if isinstance(event, Bestilling.BestillingModtaget):
        event_type, payload = (
            "BestillingModtaget",
            v1.BestillingModtagetV1(
                bestilling_id=event.originator_id,
                bevilling_id=event.bevilling_id,
                leverandoer_id=event.leverandoer_id,
                indsats_kode=event.indsats_kode,
                kategori=event.kategori,
                minutter_pr_besoeg=event.minutter_pr_besoeg,
            ),
        )
    elif isinstance(event, Bestilling.BesoegPlanlagt):
        event_type, payload = (
            "BesoegPlanlagt",
            v1.BesoegPlanlagtV1(
                bestilling_id=event.originator_id,
                leverandoer_id=event.leverandoer_id,
                besoeg=[
                    v1.PlanlagtBesoegV1(
                        besoeg_id=b.besoeg_id,
                        dato=b.dato,
                        tidsvindue=b.tidsvindue,
                        planlagte_minutter=b.planlagte_minutter,
                    )
                    for b in event.besoeg
                ],
            ),
        )
    elif isinstance(event, Bestilling.IndsatsLeveret):
        lev = event.levering
        event_type, payload = (
            "IndsatsLeveret",
            v1.IndsatsLeveretV1(
                besoeg_id=lev.besoeg_id,
                bestilling_id=event.originator_id,
                leverandoer_id=event.leverandoer_id,
                leveret_tidspunkt=lev.leveret_tidspunkt,
                faktiske_minutter=lev.faktiske_minutter,
                medarbejder_id=lev.medarbejder_id,
            ),
        )
    elif isinstance(event, Bestilling.BesoegAflyst):
        af = event.aflysning
        event_type, payload = (
            "BesoegAflyst",
            v1.BesoegAflystV1(
                besoeg_id=af.besoeg_id,
                bestilling_id=event.originator_id,
                leverandoer_id=event.leverandoer_id,
                aflyst_af=af.aflyst_af,
                aarsag=af.aarsag,
                varsel_timer=af.varsel_timer,
                rettidig=af.rettidig,
            ),
        )
    else:
        return None
    return PublicDraft(
        event_type=event_type,
        schema_version=1,
        case_id=event.sag_id,
        occurred_at=event.occurred_at,
        actor=event.aktoer,
        legal_basis=LOVGRUNDLAG_LEVERING,
        payload=payload,
    )
