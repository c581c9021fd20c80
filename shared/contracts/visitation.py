"""Version 1 payloads of the events visitation (myndigheden) publishes."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.personoplysninger import Fritekst
from shared.contracts.vocabulary import (
    Ankeudfald,
    Fristtype,
    Fuldmagtsomfang,
    Genvurderingsudfald,
    HenvendelseFra,
    Kanal,
    Kategori,
    Klagetype,
    Meddelelseskanal,
    OphoersAarsag,
    Periode,
    Resultat,
)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnmodningV1(_Payload):
    anmodning_id: UUID
    beskrivelse: Fritekst
    kategori: Kategori


class AnsoegningModtagetV1(_Payload):
    """Ansøgning modtaget: an application with the anmodninger it contains."""

    borger_id: UUID = Field(description="pseudonymous citizen id; never the CPR number")
    modtaget_dato: date
    kanal: Kanal
    henvendelse_fra: HenvendelseFra
    anmodninger: list[AnmodningV1]


class FunktionsniveauV1(_Payload):
    omraade: str = Field(examples=["B1-3"])
    niveau: int = Field(ge=0, le=9)


class FunktionsvurderingRegistreretV1(_Payload):
    vurdering_id: UUID
    vurderet_dato: date
    funktionsniveauer: list[FunktionsniveauV1]


class HyppighedV1(_Payload):
    antal: int = Field(ge=1)
    periode: Periode


class LoefteV1(_Payload):
    """A promise as a typed duration: hours are counted to the minute, working days skip
    weekends and Danish public holidays."""

    vaerdi: int = Field(ge=0)
    enhed: Literal["timer", "kalenderdage", "arbejdsdage"]


class PlanlaegningV1(_Payload):
    """The kvalitetsstandard's planning rules for one bevilling: the weekdays its visits
    may be planned on, what happens to a visit on another weekday or on a public holiday,
    and where an every-other-week rhythm counts from."""

    ugedage: list[Literal["man", "tir", "ons", "tor", "fre", "loer", "soen"]] = Field(
        min_length=1, examples=[["man", "tir", "ons", "tor", "fre"]]
    )
    uden_for_ugedage: Literal["flyt_til_forrige_hverdag", "flyt_til_naeste_hverdag", "udelad"]
    helligdage: Literal[
        "flyt_til_forrige_hverdag", "flyt_til_naeste_hverdag", "udelad", "planlaeg_alligevel"
    ]
    rytme_anker: Literal["bevillingens_startdato", "foerste_hverdag"] = Field(
        description="first hverdag on or after the order's start, or the start itself"
    )


class LeveringsreglerV1(_Payload):
    """The kvalitetsstandard's delivery rules for one bevilling, sent with the order so the
    provider applies the rules of the catalogue version the decision used."""

    katalog_version: str = Field(examples=["herlev-2013"])
    aflysningsfrist_dage_foer: int = Field(
        default=1, ge=0, description="a citizen's cancellation is timely this many days ahead"
    )
    erstatning_ved_rettidig_borgeraflysning: bool = False
    erstatning_ved_leverandoeraflysning: bool = True
    erstatningsfrist_dage: int = Field(default=8, ge=1)
    iverksaettelsesfrist_dage: int | None = Field(
        default=None, description="days from the decision to the first delivery"
    )
    erstatningsfrist: LoefteV1 | None = Field(
        default=None, description="typed replacement promise; absent: erstatningsfrist_dage"
    )
    aflysningsvarsel: LoefteV1 | None = Field(
        default=None, description="typed citizen's notice; absent: aflysningsfrist_dage_foer"
    )
    forsinkelsestolerance: LoefteV1 | None = Field(
        default=None, description="a visit not started this long after its window is missed"
    )
    planlaegning: PlanlaegningV1 | None = Field(
        default=None, description="absent: every weekday, the category's holiday default"
    )


class BevillingV1(_Payload):
    bevilling_id: UUID
    anmodning_id: UUID
    indsats_kode: str
    indsats_navn: str
    kategori: Kategori
    hyppighed: HyppighedV1
    minutter_pr_besoeg: int = Field(gt=0)
    leverandoer_id: str
    startdato: date
    slutdato: date | None = None
    leveringsregler: LeveringsreglerV1 | None = Field(
        default=None, description="absent: the provider applies the defaults above"
    )


class UdfaldV1(_Payload):
    anmodning_id: UUID
    resultat: Resultat
    begrundelse: Fritekst | None = None


class HelhedsplejeV1(_Payload):
    """Ældreloven § 10: personal and practical help for a citizen of pension age as one
    forløb with a frame (hours per week or a task-package level) and individual goals,
    instead of minute-priced single services. The provider plans within the frame."""

    forloeb_id: UUID
    anmodning_ids: list[UUID]
    ramme: Literal["timer_pr_uge", "pakke"]
    timer_pr_uge: float | None = None
    pakke: str | None = None
    retningsgivende_maal: str
    individuelle_maal: list[Fritekst]
    leverandoer_id: str
    startdato: date
    slutdato: date | None = None


class AfgoerelseTruffetV1(_Payload):
    """Afgørelse truffet: an outcome for every anmodning and the granted indsatser."""

    afgoerelse_id: UUID
    borger_id: UUID
    truffet_dato: date
    udfald: list[UdfaldV1]
    bevillinger: list[BevillingV1]
    begrundelse: Fritekst | None = None
    klagevejledning: str | None = None
    helhedspleje: HelhedsplejeV1 | None = Field(
        default=None, description="ældreloven: the helhedspleje forløb (added; absent before)"
    )
    katalog_version: str | None = Field(
        default=None, description="the kvalitetsstandard version the decision used (added)"
    )


class KlageOprettetV1(_Payload):
    klage_id: UUID
    klagetype: Klagetype
    afgoerelse_id: UUID | None = None
    modtaget_dato: date
    beskrivelse: Fritekst


class AfgoerelseMeddeltV1(_Payload):
    """The decision reached the citizen on `meddelt_dato` through `kanal`; the klagefrist
    (Retssikkerhedsloven § 67, stk. 1) runs from that day. Recorded once per decision."""

    borger_id: UUID = Field(description="pseudonymous citizen id; never the CPR number")
    afgoerelse_id: UUID
    meddelt_dato: date = Field(description="the day the decision reached the citizen")
    kanal: Meddelelseskanal = Field(
        description="digital_post (Digital Post), brev (letter), personligt (in person)"
    )
    klagefrist: date = Field(description="the last day to complain, counted from meddelt_dato")


class BestillingKvitteretV1(_Payload):
    """Visitation has seen the provider's acknowledgement of an order."""

    bevilling_id: UUID
    leverandoer_id: str


class LeverandoerSkiftetV1(_Payload):
    """Frit valg: the citizen switched provider for a category (Serviceloven § 91).

    The old provider's visits from `gyldig_fra` on end with reason "leverandørskift" (no
    replacement owed); the new provider receives `bevillinger` (same bevilling ids, the new
    `leverandoer_id`, `startdato` = `gyldig_fra`) as new orders.
    """

    borger_id: UUID
    kategori: Kategori
    fra_leverandoer_id: str
    til_leverandoer_id: str
    gyldig_fra: date = Field(description="first day of the month after next, as a rule")
    bevillinger: list[BevillingV1]


class BevillingOphoertV1(_Payload):
    """Granted indsatser end: death, move, plejebolig, expiry, or a new decision replaces them.

    The provider ends the orders and their visits after `ophoersdato` (the last day of help).
    """

    borger_id: UUID
    bevilling_ids: list[UUID] = Field(min_length=1)
    ophoersdato: date
    aarsag: OphoersAarsag


class FristOverskredetV1(_Payload):
    """A legal or promised deadline of the case passed unmet (found by the clock check).

    Published once per deadline (`frist_id` is stable within the case), so supervision can
    count missed deadlines per type.
    """

    borger_id: UUID
    frist_id: str = Field(examples=["kvittering", "genvurdering:5f0c…"])
    fristtype: Fristtype
    frist: date = Field(description="the last day on which the deadline was met")
    konstateret_dato: date


class KvitteringSendtV1(_Payload):
    """Receipt of the application sent, with the expected decision date if given."""

    dato: date
    forventet_afgoerelse: date | None = None


class KlageGenvurderetV1(_Payload):
    """The municipality reconsidered a complaint (Retssikkerhedsloven § 66).

    medhold: a new decision follows; fastholdt: the complaint goes to Ankestyrelsen.
    """

    klage_id: UUID
    dato: date
    udfald: Genvurderingsudfald
    begrundelse: Fritekst


class FuldmagtGivetV1(_Payload):
    """A citizen's fuldmagt to another person (usually a relative) was recorded, by a
    visitator or by the citizen.

    The case id (message key) is the citizen's fuldmagt register id
    (`shared.kernel.fuldmagt.fuldmagtsregister_id(borger_id)`), not a case of the citizen.
    Self-service and case reads accept a borger token whose `fuldmagt_for` names the citizen
    only while such a fuldmagt for the token's subject is valid.
    """

    fuldmagt_id: UUID
    borger_id: UUID = Field(description="pseudonymous id of the citizen who gives the fuldmagt")
    fuldmagtshaver: str = Field(
        description="the relative's subject id at the municipality's identity broker (the "
        "`sub` of their token); never a CPR number",
        examples=["mitid:7c1e0f2a"],
    )
    omfang: list[Fuldmagtsomfang] = Field(min_length=1)
    gyldig_fra: date
    gyldig_til: date | None = Field(default=None, description="inclusive; absent: no end")


class FuldmagtTilbagekaldtV1(_Payload):
    """A fuldmagt was revoked (by the citizen or a visitator): from `tilbagekaldt_fra` on,
    the fuldmagtshaver no longer acts for the citizen."""

    fuldmagt_id: UUID
    borger_id: UUID
    fuldmagtshaver: str = Field(description="identity-broker subject id, as in FuldmagtGivet")
    tilbagekaldt_fra: date


class SamtykkeRegistreretV1(_Payload):
    """A relative applied: the citizen confirmed the case (indforstaaet) or declined it, which
    closes the case without a decision. Assessment waits for this (Sorø 002)."""

    dato: date
    indforstaaet: bool


class PartshoeringSendtV1(_Payload):
    """Partshøring (Forvaltningsloven § 19): information the citizen did not know, sent for
    comments before a decision against them."""

    partshoering_id: UUID
    sendt_dato: date
    svarfrist: date
    oplysninger: Fritekst


class PartshoeringBesvaretV1(_Payload):
    """The citizen's comments to a partshøring (recorded even after the deadline)."""

    partshoering_id: UUID
    dato: date
    svar: Fritekst


class ManglendeMedvirkenNoteretV1(_Payload):
    """The citizen did not take part; told in writing of the consequences, the case may be
    refused on the information at hand."""

    dato: date
    beskrivelse: Fritekst
    konsekvenser_oplyst_dato: date


class AnsoegningTilbagetrukketV1(_Payload):
    """The application was withdrawn: the case closes without a decision."""

    dato: date
    begrundelse: Fritekst


class AnkestyrelsensAfgoerelseV1(_Payload):
    """Ankestyrelsen decided a complaint the municipality upheld on reconsideration
    (Retssikkerhedsloven § 68). aendret, hjemvist and ophaevet are followed by a new
    AfgoerelseTruffet from the municipality; stadfaestet and afvist leave the decision."""

    klage_id: UUID
    dato: date
    udfald: Ankeudfald
    begrundelse: Fritekst


class LeverandoerValgtV1(_Payload):
    """Frit valg after the decision: the provider of granted help that waited for the
    citizen's choice (leverandoer_id "afventer-valg" in AfgoerelseTruffet). borgerens_valg:
    the citizen chose; valgfrist_overskredet: no choice by the deadline (2 days), so the
    municipality's own provider was assigned. `bevillinger` are the orders for the provider
    (same bevilling ids, the chosen leverandoer_id)."""

    borger_id: UUID
    kategori: Kategori
    leverandoer_id: str
    dato: date
    aarsag: Literal["borgerens_valg", "valgfrist_overskredet"]
    bevillinger: list[BevillingV1]


class LeverandoergodkendelseV1(_Payload):
    kategori: Kategori
    fra: date
    til: date | None = Field(default=None, description="inclusive; absent: open-ended")


class LeverandoerregisterAendretV1(_Payload):
    """The provider register changed for one provider (created, approved, restricted or
    withdrawn, `aendring` says which): the provider as it now stands, with every approval
    window (Serviceloven § 91, frit valg). A snapshot: a consumer replaces what it knew.

    The case id (message key) is the provider's register id
    (`shared.reference.leverandoerer.leverandoer_register_id(leverandoer_id)`), not a case.
    A provider may take an order for a category only inside a window on the help's start
    date; visitation checks it when the case is decided.
    """

    leverandoer_id: str = Field(examples=["hjemmeplejen-nord"])
    navn: str
    type: Literal["kommunal", "privat", "selvejende"]
    cvr: str | None = Field(default=None, description="privat and selvejende only")
    aendring: Literal["oprettet", "godkendt", "begraenset", "tilbagekaldt"]
    godkendelser: list[LeverandoergodkendelseV1] = Field(
        description="every approval window, withdrawn-from-the-start ones left out"
    )
    begrundelse: str | None = Field(
        default=None, description="why an approval was withdrawn (tilbagekaldt only)"
    )
