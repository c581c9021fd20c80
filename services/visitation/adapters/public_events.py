"""Which of visitation's domain events are published, and in which contract shape.

Internal events (the citizen register and its CPR index) are never published: public
topics carry the pseudonymous borger_id only.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any
from uuid import UUID

from services.visitation.domain.aeldrelov import Helhedspleje
from services.visitation.domain.ankestyrelsen import Ankedel
from services.visitation.domain.ansoegning import Ansoegningsdel as Ans
from services.visitation.domain.frister import LOVGRUNDLAG as LOVGRUNDLAG_FRIST
from services.visitation.domain.frister import UPUBLICEREDE_FRISTTYPER
from services.visitation.domain.fuldmagt import Fuldmagtsregister as Fm
from services.visitation.domain.klagesag import Klagesag
from services.visitation.domain.leverandoerregister import Leverandoer
from services.visitation.domain.meddelelse import Meddelelsesdel
from services.visitation.domain.noter import Bestillingskvittering, Fristoverskridelse
from services.visitation.domain.opfoelgning import Opfoelgningsdel as Opf
from services.visitation.domain.sag import Sag
from services.visitation.domain.valgfrist import Valgfristdel
from services.visitation.domain.values import Leveringsregler
from shared.contracts import visitation as v1
from shared.infra.public_events import PublicDraft
from shared.kernel.loefte import Loefte
from shared.kernel.personoplysning import vis_eller_none
from shared.kernel.planlaegningsregler import Planlaegningsregler

LOVGRUNDLAG_ANSOEGNING = "Serviceloven § 83; Retssikkerhedsloven § 5"
LOVGRUNDLAG_VURDERING = "Retssikkerhedsloven § 10; Serviceloven § 83, stk. 4"
LOVGRUNDLAG_AFGOERELSE = "Serviceloven §§ 83 og 89; Forvaltningsloven §§ 22-25"
LOVGRUNDLAG_AELDRELOV = "Ældreloven § 10; Serviceloven § 89; Forvaltningsloven §§ 22-25"
LOVGRUNDLAG_KLAGE_AFGOERELSE = "Retssikkerhedsloven §§ 60 og 66-67"
LOVGRUNDLAG_KLAGE_LEVERING = "Serviceloven § 90"
LOVGRUNDLAG_BESTILLING = "Serviceloven § 91"
LOVGRUNDLAG_SKIFT = "Serviceloven § 91, stk. 2-3 (frit valg af leverandør)"
LOVGRUNDLAG_OPHOER = "Serviceloven §§ 83 og 148; Forvaltningsloven § 22"
LOVGRUNDLAG_FULDMAGT = "Forvaltningsloven § 8 (partsrepræsentant); Aftaleloven §§ 10-20"
LOVGRUNDLAG_SAMTYKKE = "Retssikkerhedsloven § 5; Forvaltningsloven § 7 (vejledning)"
LOVGRUNDLAG_PARTSHOERING = "Forvaltningsloven § 19"
LOVGRUNDLAG_MEDVIRKEN = "Retssikkerhedsloven §§ 11 og 11 b"
LOVGRUNDLAG_TILBAGETRAEKNING = "Retssikkerhedsloven § 5"
LOVGRUNDLAG_ANKE = "Retssikkerhedsloven §§ 60, 66 og 68"
LOVGRUNDLAG_MEDDELELSE = "Retssikkerhedsloven § 67, stk. 1; Forvaltningsloven § 22"
LOVGRUNDLAG_LEVERANDOERREGISTER = "Serviceloven § 91 (godkendelse af leverandører)"


def _draft(
    event: Any, event_type: str, legal: str, payload: Any, case_id: UUID | None = None
) -> PublicDraft:
    return PublicDraft(
        event_type=event_type,
        schema_version=1,
        case_id=event.originator_id if case_id is None else case_id,
        occurred_at=event.occurred_at,
        actor=event.aktoer,
        legal_basis=legal,
        payload=payload,
    )


def _sag_id(event: Any) -> UUID:
    """The case an event belongs to: its aggregate, or for the complaints and receipts
    beside the case (klagesag.py, noter.py) the case they name."""
    sag_id: UUID = getattr(event, "sag_id", event.originator_id)
    return sag_id


def _bevilling(b: Any) -> v1.BevillingV1:
    return v1.BevillingV1(
        bevilling_id=b.bevilling_id,
        anmodning_id=b.anmodning_id,
        indsats_kode=b.indsats_kode,
        indsats_navn=b.indsats_navn,
        kategori=b.kategori,
        hyppighed=v1.HyppighedV1(antal=b.hyppighed.antal, periode=b.hyppighed.periode),
        minutter_pr_besoeg=b.minutter_pr_besoeg,
        leverandoer_id=b.leverandoer_id,
        startdato=b.startdato,
        slutdato=b.slutdato,
        leveringsregler=_leveringsregler(b.leveringsregler),
    )


def _helhedspleje(h: Helhedspleje | None) -> v1.HelhedsplejeV1 | None:
    if h is None:
        return None
    return v1.HelhedsplejeV1(
        forloeb_id=h.forloeb_id,
        anmodning_ids=list(h.anmodning_ids),
        ramme=h.ramme,  # type: ignore[arg-type]  # checked by the domain
        timer_pr_uge=h.timer_pr_uge,
        pakke=h.pakke,
        retningsgivende_maal=h.retningsgivende_maal,
        individuelle_maal=[m.vis() for m in h.individuelle_maal],
        leverandoer_id=h.leverandoer_id,
        startdato=h.startdato,
        slutdato=h.slutdato,
    )


def _leveringsregler(r: Leveringsregler | None) -> v1.LeveringsreglerV1 | None:
    if r is None:
        return None
    return v1.LeveringsreglerV1(
        katalog_version=r.katalog_version,
        aflysningsfrist_dage_foer=r.aflysningsfrist_dage_foer,
        erstatning_ved_rettidig_borgeraflysning=r.erstatning_ved_rettidig_borgeraflysning,
        erstatning_ved_leverandoeraflysning=r.erstatning_ved_leverandoeraflysning,
        erstatningsfrist_dage=r.erstatningsfrist_dage,
        iverksaettelsesfrist_dage=r.iverksaettelsesfrist_dage,
        erstatningsfrist=_loefte(r.erstatningsfrist),
        aflysningsvarsel=_loefte(r.aflysningsvarsel),
        forsinkelsestolerance=_loefte(r.forsinkelsestolerance),
        planlaegning=_planlaegning(r.planlaegning),
        lukkedage=(
            None
            if r.lukkedage is None
            else v1.LukkedageV1(aarlige=list(r.lukkedage.aarlige), datoer=list(r.lukkedage.datoer))
        ),
    )


def _planlaegning(p: Planlaegningsregler | None) -> v1.PlanlaegningV1 | None:
    if p is None:
        return None
    return v1.PlanlaegningV1(
        ugedage=p.ugedag_navne,  # type: ignore[arg-type]  # names from UGEDAG_NAVNE
        uden_for_ugedage=p.uden_for_ugedage,  # type: ignore[arg-type]  # checked on creation
        helligdage=p.helligdage,
        rytme_anker=p.rytme_anker,
    )


def _loefte(v: Loefte | None) -> v1.LoefteV1 | None:
    return None if v is None else v1.LoefteV1(vaerdi=v.vaerdi, enhed=v.enhed)


@singledispatch
def to_public(event: Any) -> PublicDraft | None:
    """An event's public draft, from the function registered for its class below; None
    for the events that stay inside (the citizen register, indexes, internal notes)."""
    return None


@to_public.register(Sag.AnsoegningModtaget)
def _ansoegning_modtaget(event: Sag.AnsoegningModtaget) -> PublicDraft:
    payload = v1.AnsoegningModtagetV1(
        borger_id=event.borger_id,
        modtaget_dato=event.modtaget_dato,
        kanal=event.kanal,
        henvendelse_fra=event.henvendelse_fra,
        anmodninger=[
            v1.AnmodningV1(
                anmodning_id=a.anmodning_id,
                beskrivelse=a.beskrivelse.vis(),
                kategori=a.kategori,
            )
            for a in event.anmodninger
        ],
    )
    return _draft(event, "AnsoegningModtaget", LOVGRUNDLAG_ANSOEGNING, payload)


@to_public.register(Sag.FunktionsvurderingRegistreret)
def _funktionsvurdering(event: Sag.FunktionsvurderingRegistreret) -> PublicDraft:
    vurdering = event.vurdering
    payload = v1.FunktionsvurderingRegistreretV1(
        vurdering_id=vurdering.vurdering_id,
        vurderet_dato=vurdering.vurderet_dato,
        funktionsniveauer=[
            v1.FunktionsniveauV1(omraade=f.omraade, niveau=f.niveau)
            for f in vurdering.funktionsniveauer
        ],
    )
    return _draft(event, "FunktionsvurderingRegistreret", LOVGRUNDLAG_VURDERING, payload)


@to_public.register(Sag.AfgoerelseTruffet)
def _afgoerelse_truffet(event: Sag.AfgoerelseTruffet) -> PublicDraft:
    a = event.afgoerelse
    payload = v1.AfgoerelseTruffetV1(
        afgoerelse_id=a.afgoerelse_id,
        borger_id=event.borger_id,
        truffet_dato=a.truffet_dato,
        udfald=[
            v1.UdfaldV1(
                anmodning_id=u.anmodning_id,
                resultat=u.resultat,
                begrundelse=vis_eller_none(u.begrundelse),
            )
            for u in a.udfald
        ],
        bevillinger=[_bevilling(b) for b in a.bevillinger],
        begrundelse=vis_eller_none(a.begrundelse),
        klagevejledning=a.klagevejledning,
        helhedspleje=_helhedspleje(a.helhedspleje),
        katalog_version=a.katalog_version,
    )
    legal = LOVGRUNDLAG_AELDRELOV if a.helhedspleje else LOVGRUNDLAG_AFGOERELSE
    return _draft(event, "AfgoerelseTruffet", legal, payload)


@to_public.register(Sag.KlageOprettet)
@to_public.register(Klagesag.KlageOprettet)
def _klage_oprettet(event: Sag.KlageOprettet | Klagesag.KlageOprettet) -> PublicDraft:
    k = event.klage
    payload = v1.KlageOprettetV1(
        klage_id=k.klage_id,
        klagetype=k.klagetype,
        afgoerelse_id=k.afgoerelse_id,
        modtaget_dato=k.modtaget_dato,
        beskrivelse=k.beskrivelse.vis(),
    )
    legal = (
        LOVGRUNDLAG_KLAGE_AFGOERELSE if k.klagetype == "afgoerelse" else LOVGRUNDLAG_KLAGE_LEVERING
    )
    return _draft(event, "KlageOprettet", legal, payload, _sag_id(event))


@to_public.register(Sag.FristOverskredet)
@to_public.register(Fristoverskridelse.FristOverskredet)
def _frist_overskredet(
    event: Sag.FristOverskredet | Fristoverskridelse.FristOverskredet,
) -> PublicDraft | None:
    if event.fristtype in UPUBLICEREDE_FRISTTYPER:
        # v1's fristtype is a closed list partners validate against: a new type is
        # recorded internally until FristOverskredet v2 can name it.
        return None
    payload = v1.FristOverskredetV1(
        borger_id=event.borger_id,
        frist_id=event.frist_id,
        fristtype=event.fristtype,
        frist=event.frist,
        konstateret_dato=event.konstateret_dato,
    )
    legal = LOVGRUNDLAG_FRIST.get(event.fristtype, LOVGRUNDLAG_ANSOEGNING)
    return _draft(event, "FristOverskredet", legal, payload, _sag_id(event))


@to_public.register(Sag.KvitteringSendt)
def _kvittering_sendt(event: Sag.KvitteringSendt) -> PublicDraft:
    payload = v1.KvitteringSendtV1(dato=event.dato, forventet_afgoerelse=event.forventet_afgoerelse)
    return _draft(event, "KvitteringSendt", LOVGRUNDLAG_FRIST["kvittering"], payload)


@to_public.register(Sag.KlageGenvurderet)
@to_public.register(Klagesag.KlageGenvurderet)
def _klage_genvurderet(event: Sag.KlageGenvurderet | Klagesag.KlageGenvurderet) -> PublicDraft:
    payload = v1.KlageGenvurderetV1(
        klage_id=event.klage_id,
        dato=event.dato,
        udfald=event.udfald,
        begrundelse=event.begrundelse.vis(),
    )
    legal = LOVGRUNDLAG_FRIST["genvurdering"]
    return _draft(event, "KlageGenvurderet", legal, payload, _sag_id(event))


@to_public.register(Opf.LeverandoerSkiftet)
def _leverandoer_skiftet(event: Opf.LeverandoerSkiftet) -> PublicDraft:
    payload = v1.LeverandoerSkiftetV1(
        borger_id=event.borger_id,
        kategori=event.kategori,
        fra_leverandoer_id=event.fra_leverandoer_id,
        til_leverandoer_id=event.til_leverandoer_id,
        gyldig_fra=event.gyldig_fra,
        bevillinger=[_bevilling(b) for b in event.bevillinger],
    )
    return _draft(event, "LeverandoerSkiftet", LOVGRUNDLAG_SKIFT, payload)


@to_public.register(Opf.BevillingOphoert)
def _bevilling_ophoert(event: Opf.BevillingOphoert) -> PublicDraft:
    payload = v1.BevillingOphoertV1(
        borger_id=event.borger_id,
        bevilling_ids=list(event.bevilling_ids),
        ophoersdato=event.ophoersdato,
        aarsag=event.aarsag,
    )
    return _draft(event, "BevillingOphoert", LOVGRUNDLAG_OPHOER, payload)


@to_public.register(Fm.FuldmagtGivet)
def _fuldmagt_givet(event: Fm.FuldmagtGivet) -> PublicDraft:
    payload = v1.FuldmagtGivetV1(
        fuldmagt_id=event.fuldmagt_id,
        borger_id=event.borger_id,
        fuldmagtshaver=event.fuldmagtshaver,
        omfang=list(event.omfang),  # type: ignore[arg-type]  # checked by the domain
        gyldig_fra=event.gyldig_fra,
        gyldig_til=event.gyldig_til,
    )
    return _draft(event, "FuldmagtGivet", LOVGRUNDLAG_FULDMAGT, payload)


@to_public.register(Fm.FuldmagtTilbagekaldt)
def _fuldmagt_tilbagekaldt(event: Fm.FuldmagtTilbagekaldt) -> PublicDraft:
    payload = v1.FuldmagtTilbagekaldtV1(
        fuldmagt_id=event.fuldmagt_id,
        borger_id=event.borger_id,
        fuldmagtshaver=event.fuldmagtshaver,
        tilbagekaldt_fra=event.tilbagekaldt_fra,
    )
    return _draft(event, "FuldmagtTilbagekaldt", LOVGRUNDLAG_FULDMAGT, payload)


@to_public.register(Sag.BestillingKvitteret)
@to_public.register(Bestillingskvittering.BestillingKvitteret)
def _bestilling_kvitteret(
    event: Sag.BestillingKvitteret | Bestillingskvittering.BestillingKvitteret,
) -> PublicDraft:
    # Since the cut a receipt is its own aggregate; it is published on its case.
    payload = v1.BestillingKvitteretV1(
        bevilling_id=event.bevilling_id, leverandoer_id=event.leverandoer_id
    )
    return _draft(event, "BestillingKvitteret", LOVGRUNDLAG_BESTILLING, payload, _sag_id(event))


# The application case before the decision, and Ankestyrelsen's outcome.


@to_public.register(Ans.SamtykkeRegistreret)
def _samtykke(event: Ans.SamtykkeRegistreret) -> PublicDraft:
    payload = v1.SamtykkeRegistreretV1(dato=event.dato, indforstaaet=event.indforstaaet)
    return _draft(event, "SamtykkeRegistreret", LOVGRUNDLAG_SAMTYKKE, payload)


@to_public.register(Ans.PartshoeringSendt)
def _partshoering_sendt(event: Ans.PartshoeringSendt) -> PublicDraft:
    payload = v1.PartshoeringSendtV1(
        partshoering_id=event.partshoering_id,
        sendt_dato=event.sendt_dato,
        svarfrist=event.svarfrist,
        oplysninger=event.oplysninger.vis(),
    )
    return _draft(event, "PartshoeringSendt", LOVGRUNDLAG_PARTSHOERING, payload)


@to_public.register(Ans.PartshoeringBesvaret)
def _partshoering_besvaret(event: Ans.PartshoeringBesvaret) -> PublicDraft:
    payload = v1.PartshoeringBesvaretV1(
        partshoering_id=event.partshoering_id, dato=event.dato, svar=event.svar.vis()
    )
    return _draft(event, "PartshoeringBesvaret", LOVGRUNDLAG_PARTSHOERING, payload)


@to_public.register(Ans.ManglendeMedvirkenNoteret)
def _manglende_medvirken(event: Ans.ManglendeMedvirkenNoteret) -> PublicDraft:
    payload = v1.ManglendeMedvirkenNoteretV1(
        dato=event.dato,
        beskrivelse=event.beskrivelse.vis(),
        konsekvenser_oplyst_dato=event.konsekvenser_oplyst_dato,
    )
    return _draft(event, "ManglendeMedvirkenNoteret", LOVGRUNDLAG_MEDVIRKEN, payload)


@to_public.register(Ans.AnsoegningTilbagetrukket)
def _ansoegning_tilbagetrukket(event: Ans.AnsoegningTilbagetrukket) -> PublicDraft:
    payload = v1.AnsoegningTilbagetrukketV1(dato=event.dato, begrundelse=event.begrundelse.vis())
    return _draft(event, "AnsoegningTilbagetrukket", LOVGRUNDLAG_TILBAGETRAEKNING, payload)


@to_public.register(Valgfristdel.LeverandoerValgt)
def _leverandoer_valgt(event: Valgfristdel.LeverandoerValgt) -> PublicDraft:
    payload = v1.LeverandoerValgtV1(
        borger_id=event.borger_id,
        kategori=event.kategori,
        leverandoer_id=event.leverandoer_id,
        dato=event.dato,
        aarsag=event.aarsag,
        bevillinger=[_bevilling(b) for b in event.bevillinger],
    )
    return _draft(event, "LeverandoerValgt", LOVGRUNDLAG_SKIFT, payload)


@to_public.register(Meddelelsesdel.AfgoerelseMeddelt)
def _afgoerelse_meddelt(event: Meddelelsesdel.AfgoerelseMeddelt) -> PublicDraft:
    payload = v1.AfgoerelseMeddeltV1(
        borger_id=event.borger_id,
        afgoerelse_id=event.afgoerelse_id,
        meddelt_dato=event.meddelt_dato,
        kanal=event.kanal,  # type: ignore[arg-type]  # checked by the domain
        klagefrist=event.klagefrist,
    )
    return _draft(event, "AfgoerelseMeddelt", LOVGRUNDLAG_MEDDELELSE, payload)


@to_public.register(Ankedel.AnkestyrelsensAfgoerelseRegistreret)
@to_public.register(Klagesag.AnkestyrelsensAfgoerelseRegistreret)
def _ankestyrelsens_afgoerelse(
    event: Ankedel.AnkestyrelsensAfgoerelseRegistreret
    | Klagesag.AnkestyrelsensAfgoerelseRegistreret,
) -> PublicDraft:
    payload = v1.AnkestyrelsensAfgoerelseV1(
        klage_id=event.klage_id,
        dato=event.dato,
        udfald=event.udfald,
        begrundelse=event.begrundelse.vis(),
    )
    return _draft(event, "AnkestyrelsensAfgoerelse", LOVGRUNDLAG_ANKE, payload, _sag_id(event))


_AENDRING: dict[type[Any], str] = {
    Leverandoer.LeverandoerOprettet: "oprettet",
    Leverandoer.LeverandoerGodkendt: "godkendt",
    Leverandoer.GodkendelseBegraenset: "begraenset",
    Leverandoer.GodkendelseTilbagekaldt: "tilbagekaldt",
}


@to_public.register(Leverandoer.LeverandoerOprettet)
@to_public.register(Leverandoer.LeverandoerGodkendt)
@to_public.register(Leverandoer.GodkendelseBegraenset)
@to_public.register(Leverandoer.GodkendelseTilbagekaldt)
def _leverandoerregister(event: Any) -> PublicDraft:
    """Every register event as the provider's full state after it (`efter`, a snapshot
    the consumers replace theirs with), keyed by the provider's register id."""
    lev = event.efter
    payload = v1.LeverandoerregisterAendretV1(
        leverandoer_id=lev.leverandoer_id,
        navn=lev.navn,
        type=lev.type,
        cvr=lev.cvr,
        aendring=_AENDRING[type(event)],  # type: ignore[arg-type]
        godkendelser=[
            v1.LeverandoergodkendelseV1(
                kategori=g.kategori,  # type: ignore[arg-type]  # checked by the domain
                fra=g.fra,
                til=g.til,
            )
            for g in lev.godkendelser
        ],
        begrundelse=getattr(event, "begrundelse", None),
    )
    return _draft(event, "LeverandoerregisterAendret", LOVGRUNDLAG_LEVERANDOERREGISTER, payload)
