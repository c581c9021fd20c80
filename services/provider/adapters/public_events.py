"""Which of the provider service's domain events are published, and in which shape."""

from __future__ import annotations

from typing import Any

from services.provider.domain.afvisning import Bestillingsafvisning
from services.provider.domain.besoeg import Besoegsforloeb as Besoeg
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.erstatning import Erstatningsforloeb as Erst
from services.provider.domain.forloeb import Bestillingsforloeb as Forl
from services.provider.domain.values import Enhedsregistrering
from shared.contracts import provider as v1
from shared.infra.public_events import PublicDraft

LOVGRUNDLAG_LEVERING = "Serviceloven §§ 83 og 91; kvalitetsstandard"
LOVGRUNDLAG_SVIGT = "Serviceloven § 90; kvalitetsstandard (erstatningsbesøg)"
LOVGRUNDLAG_AFVISNING = "Serviceloven § 91 (godkendte leverandører pr. kategori og periode)"
LOVGRUNDLAG_FORSINKELSE = "Serviceloven §§ 83 og 90; kvalitetsstandard (forsinkede besøg)"
LOVGRUNDLAG_INDBERETNING = "Serviceloven § 83; leverandørens pligt til at melde ændringer"


def _bestilling_id(event: Any) -> Any:
    """The order of a visit event: named by a period's events (periode.py); the originator
    of an order's own."""
    return getattr(event, "bestilling_id", None) or event.originator_id


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
    elif isinstance(event, Besoeg.BesoegPlanlagt):
        event_type, payload = (
            "BesoegPlanlagt",
            v1.BesoegPlanlagtV1(
                bestilling_id=_bestilling_id(event),
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
    elif isinstance(event, Besoeg.IndsatsLeveret):
        lev = event.levering
        event_type, payload = (
            "IndsatsLeveret",
            v1.IndsatsLeveretV1(
                besoeg_id=lev.besoeg_id,
                bestilling_id=_bestilling_id(event),
                leverandoer_id=event.leverandoer_id,
                leveret_tidspunkt=lev.leveret_tidspunkt,
                faktiske_minutter=lev.faktiske_minutter,
                medarbejder_id=lev.medarbejder_id,
                **_enhed(lev.enhed),
            ),
        )
    elif isinstance(event, Besoeg.BesoegAflyst):
        af = event.aflysning
        event_type, payload = (
            "BesoegAflyst",
            v1.BesoegAflystV1(
                besoeg_id=af.besoeg_id,
                bestilling_id=_bestilling_id(event),
                leverandoer_id=event.leverandoer_id,
                aflyst_af=af.aflyst_af,
                aarsag=af.aarsag.vis(),
                varsel_timer=af.varsel_timer,
                rettidig=af.rettidig,
                **_enhed(af.enhed),
            ),
        )
    else:
        return _to_public_later(event)
    return _draft(event, event_type, payload)


def _to_public_later(event: Any) -> PublicDraft | None:
    """The events added with replacement duty, ophør and change reports."""
    payload: Any
    legal = LOVGRUNDLAG_LEVERING
    if isinstance(event, Besoeg.BesoegForgaeves):
        fg = event.forgaeves
        event_type, payload = (
            "BesoegForgaeves",
            v1.BesoegForgaevesV1(
                besoeg_id=fg.besoeg_id,
                bestilling_id=_bestilling_id(event),
                leverandoer_id=event.leverandoer_id,
                tidspunkt=fg.tidspunkt,
                medarbejder_id=fg.medarbejder_id,
                aarsag=fg.aarsag,
                **_enhed(fg.enhed),
            ),
        )
    elif isinstance(event, Besoeg.ErstatningsbesoegPlanlagt):
        b = event.besoeg
        event_type, payload = (
            "ErstatningsbesoegPlanlagt",
            v1.ErstatningsbesoegPlanlagtV1(
                besoeg_id=b.besoeg_id,
                bestilling_id=_bestilling_id(event),
                leverandoer_id=event.leverandoer_id,
                erstatter_besoeg_id=b.erstatter_besoeg_id,
                dato=b.dato,
                tidsvindue=b.tidsvindue,
                planlagte_minutter=b.planlagte_minutter,
                erstatning_frist=event.erstatningsfrist,
                erstatning_frist_tidspunkt=event.frist_tidspunkt,
            ),
        )
    elif isinstance(event, Erst.LeveringSvigtet):
        legal = LOVGRUNDLAG_SVIGT
        event_type, payload = (
            "LeveringSvigtet",
            v1.LeveringSvigtetV1(
                besoeg_id=event.besoeg_id,
                bestilling_id=event.originator_id,
                leverandoer_id=event.leverandoer_id,
                oprindelig_dato=event.oprindelig_dato,
                erstatning_frist=event.erstatningsfrist,
                aarsag=event.aarsag,
                erstatning_frist_tidspunkt=event.frist_tidspunkt,
            ),
        )
    elif isinstance(event, Besoeg.BesoegPaabegyndt | Besoeg.BesoegForladt):
        # Check-out is BesoegForladt inside (BesoegAfsluttet there ends a visit with its
        # order); published under the apps' own word, besøg afsluttet.
        paabegyndt = isinstance(event, Besoeg.BesoegPaabegyndt)
        tjek = v1.BesoegPaabegyndtV1 if paabegyndt else v1.BesoegAfsluttetV1
        event_type, payload = (
            "BesoegPaabegyndt" if paabegyndt else "BesoegAfsluttet",
            tjek(
                besoeg_id=event.besoeg_id,
                bestilling_id=_bestilling_id(event),
                leverandoer_id=event.leverandoer_id,
                tidspunkt=event.tidspunkt,
                medarbejder_id=event.medarbejder_id,
                enhed_id=event.enhed_id,
            ),
        )
    elif isinstance(event, Besoeg.BesoegForsinket):
        legal = LOVGRUNDLAG_FORSINKELSE
        event_type, payload = (
            "BesoegForsinket",
            v1.BesoegForsinketV1(
                besoeg_id=event.besoeg_id,
                bestilling_id=_bestilling_id(event),
                leverandoer_id=event.leverandoer_id,
                seneste_start=event.seneste_start,
                paabegyndt=event.paabegyndt,
                erstatning_skyldig=event.erstatning_skyldig,
                erstatning_frist=event.erstatningsfrist,
                erstatning_frist_tidspunkt=event.frist_tidspunkt,
            ),
        )
    elif isinstance(event, Forl.BestillingAfsluttet):
        event_type, payload = (
            "BestillingAfsluttet",
            v1.BestillingAfsluttetV1(
                bestilling_id=event.originator_id,
                bevilling_id=event.bevilling_id,
                leverandoer_id=event.leverandoer_id,
                sidste_dag=event.sidste_dag,
                aarsag=event.aarsag,
                afsluttede_besoeg=list(event.afsluttede_besoeg),
            ),
        )
    elif isinstance(event, Forl.BesoegPauset | Forl.BesoegGenoptaget):
        model = v1.BesoegPausetV1 if isinstance(event, Forl.BesoegPauset) else v1.BesoegGenoptagetV1
        event_type, payload = (
            type(event).__name__,
            model(
                bestilling_id=event.originator_id,
                leverandoer_id=event.leverandoer_id,
                fra=event.fra,
                besoeg_ids=list(event.besoeg_ids),
            ),
        )
    elif isinstance(event, Forl.AendringIFunktionsevneIndberettet):
        legal = LOVGRUNDLAG_INDBERETNING
        ind = event.indberetning
        event_type, payload = (
            "AendringIFunktionsevneIndberettet",
            v1.AendringIFunktionsevneIndberettetV1(
                indberetning_id=ind.indberetning_id,
                leverandoer_id=event.leverandoer_id,
                observeret_dato=ind.observeret_dato,
                beskrivelse=ind.beskrivelse.vis(),
                omraader=list(ind.omraader),
            ),
        )
    elif isinstance(event, Bestillingsafvisning.BestillingAfvist):
        legal = LOVGRUNDLAG_AFVISNING
        event_type, payload = (
            "BestillingAfvist",
            v1.BestillingAfvistV1(
                bevilling_id=event.bevilling_id,
                leverandoer_id=event.leverandoer_id,
                kategori=event.kategori,  # type: ignore[arg-type]  # from a BevillingV1
                startdato=event.startdato,
                aarsag=event.aarsag,  # type: ignore[arg-type]
                begrundelse=event.begrundelse,
            ),
        )
    else:
        return None
    return _draft(event, event_type, payload, legal)


def _enhed(enhed: Enhedsregistrering | None) -> dict[str, Any]:
    """An offline item's device and device time, for the auditors downstream; nothing
    (the contract's defaults) for one recorded online."""
    if enhed is None:
        return {}
    return {"enhed_id": enhed.enhed_id, "registreret_paa_enhed": enhed.registreret_paa_enhed}


def _draft(
    event: Any, event_type: str, payload: Any, legal: str = LOVGRUNDLAG_LEVERING
) -> PublicDraft:
    return PublicDraft(
        event_type=event_type,
        schema_version=1,
        case_id=event.sag_id,
        occurred_at=event.occurred_at,
        actor=event.aktoer,
        legal_basis=legal,
        payload=payload,
    )
