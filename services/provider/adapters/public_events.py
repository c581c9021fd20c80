"""Which of the provider service's domain events are published, and in which shape."""

from __future__ import annotations

from functools import singledispatch
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


@singledispatch
def to_public(event: Any) -> PublicDraft | None:
    """An event's public draft, from the function registered for its class below; None
    for the events that stay inside (planning, staff, notes, copies of others' records)."""
    return None


@to_public.register(Bestilling.BestillingModtaget)
def _bestilling_modtaget(event: Bestilling.BestillingModtaget) -> PublicDraft:
    payload = v1.BestillingModtagetV1(
        bestilling_id=event.originator_id,
        bevilling_id=event.bevilling_id,
        leverandoer_id=event.leverandoer_id,
        indsats_kode=event.indsats_kode,
        kategori=event.kategori,
        minutter_pr_besoeg=event.minutter_pr_besoeg,
    )
    return _draft(event, "BestillingModtaget", payload)


@to_public.register(Besoeg.BesoegPlanlagt)
def _besoeg_planlagt(event: Besoeg.BesoegPlanlagt) -> PublicDraft:
    payload = v1.BesoegPlanlagtV1(
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
    )
    return _draft(event, "BesoegPlanlagt", payload)


@to_public.register(Besoeg.IndsatsLeveret)
def _indsats_leveret(event: Besoeg.IndsatsLeveret) -> PublicDraft:
    lev = event.levering
    payload = v1.IndsatsLeveretV1(
        besoeg_id=lev.besoeg_id,
        bestilling_id=_bestilling_id(event),
        leverandoer_id=event.leverandoer_id,
        leveret_tidspunkt=lev.leveret_tidspunkt,
        faktiske_minutter=lev.faktiske_minutter,
        medarbejder_id=lev.medarbejder_id,
        **_enhed(lev.enhed),
    )
    return _draft(event, "IndsatsLeveret", payload)


@to_public.register(Besoeg.BesoegAflyst)
def _besoeg_aflyst(event: Besoeg.BesoegAflyst) -> PublicDraft:
    af = event.aflysning
    payload = v1.BesoegAflystV1(
        besoeg_id=af.besoeg_id,
        bestilling_id=_bestilling_id(event),
        leverandoer_id=event.leverandoer_id,
        aflyst_af=af.aflyst_af,
        aarsag=af.aarsag.vis(),
        varsel_timer=af.varsel_timer,
        rettidig=af.rettidig,
        **_enhed(af.enhed),
    )
    return _draft(event, "BesoegAflyst", payload)


@to_public.register(Besoeg.BesoegForgaeves)
def _besoeg_forgaeves(event: Besoeg.BesoegForgaeves) -> PublicDraft:
    fg = event.forgaeves
    payload = v1.BesoegForgaevesV1(
        besoeg_id=fg.besoeg_id,
        bestilling_id=_bestilling_id(event),
        leverandoer_id=event.leverandoer_id,
        tidspunkt=fg.tidspunkt,
        medarbejder_id=fg.medarbejder_id,
        aarsag=fg.aarsag,
        **_enhed(fg.enhed),
    )
    return _draft(event, "BesoegForgaeves", payload)


@to_public.register(Besoeg.ErstatningsbesoegPlanlagt)
def _erstatningsbesoeg_planlagt(event: Besoeg.ErstatningsbesoegPlanlagt) -> PublicDraft:
    b = event.besoeg
    payload = v1.ErstatningsbesoegPlanlagtV1(
        besoeg_id=b.besoeg_id,
        bestilling_id=_bestilling_id(event),
        leverandoer_id=event.leverandoer_id,
        erstatter_besoeg_id=b.erstatter_besoeg_id,
        dato=b.dato,
        tidsvindue=b.tidsvindue,
        planlagte_minutter=b.planlagte_minutter,
        erstatning_frist=event.erstatningsfrist,
        erstatning_frist_tidspunkt=event.frist_tidspunkt,
    )
    return _draft(event, "ErstatningsbesoegPlanlagt", payload)


@to_public.register(Erst.LeveringSvigtet)
def _levering_svigtet(event: Erst.LeveringSvigtet) -> PublicDraft:
    payload = v1.LeveringSvigtetV1(
        besoeg_id=event.besoeg_id,
        bestilling_id=event.originator_id,
        leverandoer_id=event.leverandoer_id,
        oprindelig_dato=event.oprindelig_dato,
        erstatning_frist=event.erstatningsfrist,
        aarsag=event.aarsag,
        erstatning_frist_tidspunkt=event.frist_tidspunkt,
    )
    return _draft(event, "LeveringSvigtet", payload, LOVGRUNDLAG_SVIGT)


@to_public.register(Besoeg.BesoegPaabegyndt)
def _besoeg_paabegyndt(event: Besoeg.BesoegPaabegyndt) -> PublicDraft:
    return _draft(event, "BesoegPaabegyndt", _tjek(v1.BesoegPaabegyndtV1, event))


@to_public.register(Besoeg.BesoegForladt)
def _besoeg_forladt(event: Besoeg.BesoegForladt) -> PublicDraft:
    # Check-out is BesoegForladt inside (BesoegAfsluttet there ends a visit with its
    # order); published under the apps' own word, besøg afsluttet.
    return _draft(event, "BesoegAfsluttet", _tjek(v1.BesoegAfsluttetV1, event))


def _tjek(
    model: type[v1.BesoegPaabegyndtV1 | v1.BesoegAfsluttetV1],
    event: Besoeg.BesoegPaabegyndt | Besoeg.BesoegForladt,
) -> v1.BesoegPaabegyndtV1 | v1.BesoegAfsluttetV1:
    """A check-in's or check-out's payload: the same fields under two names."""
    return model(
        besoeg_id=event.besoeg_id,
        bestilling_id=_bestilling_id(event),
        leverandoer_id=event.leverandoer_id,
        tidspunkt=event.tidspunkt,
        medarbejder_id=event.medarbejder_id,
        enhed_id=event.enhed_id,
    )


@to_public.register(Besoeg.BesoegForsinket)
def _besoeg_forsinket(event: Besoeg.BesoegForsinket) -> PublicDraft:
    payload = v1.BesoegForsinketV1(
        besoeg_id=event.besoeg_id,
        bestilling_id=_bestilling_id(event),
        leverandoer_id=event.leverandoer_id,
        seneste_start=event.seneste_start,
        paabegyndt=event.paabegyndt,
        erstatning_skyldig=event.erstatning_skyldig,
        erstatning_frist=event.erstatningsfrist,
        erstatning_frist_tidspunkt=event.frist_tidspunkt,
    )
    return _draft(event, "BesoegForsinket", payload, LOVGRUNDLAG_FORSINKELSE)


@to_public.register(Forl.BestillingAfsluttet)
def _bestilling_afsluttet(event: Forl.BestillingAfsluttet) -> PublicDraft:
    payload = v1.BestillingAfsluttetV1(
        bestilling_id=event.originator_id,
        bevilling_id=event.bevilling_id,
        leverandoer_id=event.leverandoer_id,
        sidste_dag=event.sidste_dag,
        aarsag=event.aarsag,
        afsluttede_besoeg=list(event.afsluttede_besoeg),
    )
    return _draft(event, "BestillingAfsluttet", payload)


@to_public.register(Forl.BesoegPauset)
def _besoeg_pauset(event: Forl.BesoegPauset) -> PublicDraft:
    return _draft(event, "BesoegPauset", _pause(v1.BesoegPausetV1, event))


@to_public.register(Forl.BesoegGenoptaget)
def _besoeg_genoptaget(event: Forl.BesoegGenoptaget) -> PublicDraft:
    return _draft(event, "BesoegGenoptaget", _pause(v1.BesoegGenoptagetV1, event))


def _pause(
    model: type[v1.BesoegPausetV1 | v1.BesoegGenoptagetV1],
    event: Forl.BesoegPauset | Forl.BesoegGenoptaget,
) -> v1.BesoegPausetV1 | v1.BesoegGenoptagetV1:
    """A hospital stay's start or end: the same fields under two names."""
    return model(
        bestilling_id=event.originator_id,
        leverandoer_id=event.leverandoer_id,
        fra=event.fra,
        besoeg_ids=list(event.besoeg_ids),
    )


@to_public.register(Forl.AendringIFunktionsevneIndberettet)
def _aendring_indberettet(event: Forl.AendringIFunktionsevneIndberettet) -> PublicDraft:
    ind = event.indberetning
    payload = v1.AendringIFunktionsevneIndberettetV1(
        indberetning_id=ind.indberetning_id,
        leverandoer_id=event.leverandoer_id,
        observeret_dato=ind.observeret_dato,
        beskrivelse=ind.beskrivelse.vis(),
        omraader=list(ind.omraader),
    )
    return _draft(event, "AendringIFunktionsevneIndberettet", payload, LOVGRUNDLAG_INDBERETNING)


@to_public.register(Bestillingsafvisning.BestillingAfvist)
def _bestilling_afvist(event: Bestillingsafvisning.BestillingAfvist) -> PublicDraft:
    payload = v1.BestillingAfvistV1(
        bevilling_id=event.bevilling_id,
        leverandoer_id=event.leverandoer_id,
        kategori=event.kategori,  # type: ignore[arg-type]  # from a BevillingV1
        startdato=event.startdato,
        aarsag=event.aarsag,  # type: ignore[arg-type]
        begrundelse=event.begrundelse,
    )
    return _draft(event, "BestillingAfvist", payload, LOVGRUNDLAG_AFVISNING)


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
