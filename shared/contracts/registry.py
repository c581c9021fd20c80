"""Which payload model belongs to which (event_type, schema_version)."""

from __future__ import annotations

from pydantic import BaseModel

from shared.contracts import adgangslog, provider, visitation
from shared.contracts.envelope import PublicEvent

CONTRACTS: dict[tuple[str, int], type[BaseModel]] = {
    ("AnsoegningModtaget", 1): visitation.AnsoegningModtagetV1,
    ("FunktionsvurderingRegistreret", 1): visitation.FunktionsvurderingRegistreretV1,
    ("AfgoerelseTruffet", 1): visitation.AfgoerelseTruffetV1,
    ("KlageOprettet", 1): visitation.KlageOprettetV1,
    ("BestillingKvitteret", 1): visitation.BestillingKvitteretV1,
    ("LeverandoerSkiftet", 1): visitation.LeverandoerSkiftetV1,
    ("BevillingOphoert", 1): visitation.BevillingOphoertV1,
    ("FristOverskredet", 1): visitation.FristOverskredetV1,
    ("KvitteringSendt", 1): visitation.KvitteringSendtV1,
    ("KlageGenvurderet", 1): visitation.KlageGenvurderetV1,
    ("FuldmagtGivet", 1): visitation.FuldmagtGivetV1,
    ("FuldmagtTilbagekaldt", 1): visitation.FuldmagtTilbagekaldtV1,
    ("SamtykkeRegistreret", 1): visitation.SamtykkeRegistreretV1,
    ("PartshoeringSendt", 1): visitation.PartshoeringSendtV1,
    ("PartshoeringBesvaret", 1): visitation.PartshoeringBesvaretV1,
    ("ManglendeMedvirkenNoteret", 1): visitation.ManglendeMedvirkenNoteretV1,
    ("AnsoegningTilbagetrukket", 1): visitation.AnsoegningTilbagetrukketV1,
    ("AnkestyrelsensAfgoerelse", 1): visitation.AnkestyrelsensAfgoerelseV1,
    ("LeverandoerValgt", 1): visitation.LeverandoerValgtV1,
    ("AfgoerelseMeddelt", 1): visitation.AfgoerelseMeddeltV1,
    ("LeverandoerregisterAendret", 1): visitation.LeverandoerregisterAendretV1,
    ("BestillingModtaget", 1): provider.BestillingModtagetV1,
    ("BesoegPlanlagt", 1): provider.BesoegPlanlagtV1,
    ("IndsatsLeveret", 1): provider.IndsatsLeveretV1,
    ("BesoegAflyst", 1): provider.BesoegAflystV1,
    ("AendringIFunktionsevneIndberettet", 1): provider.AendringIFunktionsevneIndberettetV1,
    ("LeveringSvigtet", 1): provider.LeveringSvigtetV1,
    ("BesoegForgaeves", 1): provider.BesoegForgaevesV1,
    ("ErstatningsbesoegPlanlagt", 1): provider.ErstatningsbesoegPlanlagtV1,
    ("BestillingAfsluttet", 1): provider.BestillingAfsluttetV1,
    ("BesoegPauset", 1): provider.BesoegPausetV1,
    ("BesoegGenoptaget", 1): provider.BesoegGenoptagetV1,
    ("BestillingAfvist", 1): provider.BestillingAfvistV1,
    ("PersonoplysningerLaest", 1): adgangslog.PersonoplysningerLaestV1,
}


class UnknownContract(ValueError):
    pass


def payload_model(event_type: str, schema_version: int) -> type[BaseModel]:
    try:
        return CONTRACTS[(event_type, schema_version)]
    except KeyError:
        raise UnknownContract(f"no contract for {event_type} v{schema_version}") from None


def parse_payload(event: PublicEvent) -> BaseModel:
    """Validate the envelope's data against its contract (raises on a mismatch)."""
    return payload_model(event.event_type, event.schema_version).model_validate(event.data)
