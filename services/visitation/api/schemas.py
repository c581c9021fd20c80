"""Request and response bodies of visitation's API (strict: unknown fields are refused)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from services.visitation.domain.aeldrelov import Helhedspleje
from services.visitation.domain.cpr import CPR_MOENSTER, foedselsdato
from services.visitation.domain.values import (
    Afgoerelse,
    Anmodning,
    Bevilling,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
    Udfald,
)
from shared.contracts.vocabulary import (
    HenvendelseFra,
    Kanal,
    Kategori,
    Klagetype,
    Periode,
    Resultat,
)
from shared.infra.datotyper import Dato
from shared.infra.ruter import StrictBody
from shared.kernel.personoplysning import fritekst, fritekst_eller_none


class BorgerInd(StrictBody):
    cpr: str = Field(
        pattern=CPR_MOENSTER,
        examples=["010140-1234"],
        description="Ten ASCII digits, with or without a hyphen after the sixth, starting "
        "with a valid date of birth (the 7th digit gives the century). Both spellings name "
        "the same citizen.",
    )
    navn: str = Field(min_length=1, max_length=200)

    @field_validator("cpr")
    @classmethod
    def _gyldig_foedselsdato(cls, cpr: str) -> str:
        if foedselsdato(cpr) is None:
            raise ValueError("the CPR number does not start with a valid date of birth")
        return cpr


class AnmodningInd(StrictBody):
    beskrivelse: str = Field(min_length=1, max_length=2000, examples=["Hjælp til bad"])
    kategori: Kategori

    def to_domain(self) -> Anmodning:
        return Anmodning(
            anmodning_id=uuid.uuid4(),
            beskrivelse=fritekst(self.beskrivelse),
            kategori=self.kategori,
        )


class AnsoegningInd(StrictBody):
    borger: BorgerInd
    modtaget_dato: Dato
    kanal: Kanal
    henvendelse_fra: HenvendelseFra
    anmodninger: list[AnmodningInd] = Field(min_length=1, max_length=50)


class AnmodningUd(BaseModel):
    anmodning_id: UUID
    beskrivelse: str
    kategori: str


class SagOprettet(BaseModel):
    sag_id: UUID
    borger_id: UUID
    anmodninger: list[AnmodningUd]


class FunktionsniveauInd(StrictBody):
    omraade: str = Field(examples=["B1-3"])
    niveau: int = Field(ge=0, le=9)


class FunktionsvurderingInd(StrictBody):
    vurderet_dato: Dato
    funktionsniveauer: list[FunktionsniveauInd] = Field(min_length=1, max_length=40)
    bemaerkning: str | None = Field(default=None, max_length=4000)
    mestringskapacitet: Literal["lav", "middel", "hoej"] | None = None

    def to_domain(self) -> Funktionsvurdering:
        return Funktionsvurdering(
            vurdering_id=uuid.uuid4(),
            vurderet_dato=self.vurderet_dato,
            funktionsniveauer=tuple(
                Funktionsniveau(omraade=f.omraade, niveau=f.niveau) for f in self.funktionsniveauer
            ),
            bemaerkning=fritekst_eller_none(self.bemaerkning),
            mestringskapacitet=self.mestringskapacitet,
        )


class VurderingOprettet(BaseModel):
    vurdering_id: UUID


class HyppighedInd(StrictBody):
    antal: int = Field(ge=1, le=8)
    periode: Periode


class BevillingInd(StrictBody):
    anmodning_id: UUID
    indsats_kode: str = Field(min_length=1, max_length=30, examples=["H1.3"])
    indsats_navn: str = Field(min_length=1, max_length=200, examples=["Bad"])
    kategori: Kategori
    hyppighed: HyppighedInd
    minutter_pr_besoeg: int = Field(ge=1, le=480)
    leverandoer_id: str = Field(min_length=1, max_length=100, examples=["hjemmeplejen-nord"])
    startdato: Dato
    slutdato: Dato | None = None
    individuel_begrundelse: str | None = Field(
        default=None,
        max_length=4000,
        description="required when granting outside the kvalitetsstandard or its criteria",
    )

    def to_domain(self) -> Bevilling:
        return Bevilling(
            bevilling_id=uuid.uuid4(),
            anmodning_id=self.anmodning_id,
            indsats_kode=self.indsats_kode,
            indsats_navn=self.indsats_navn,
            kategori=self.kategori,
            hyppighed=Hyppighed(antal=self.hyppighed.antal, periode=self.hyppighed.periode),
            minutter_pr_besoeg=self.minutter_pr_besoeg,
            leverandoer_id=self.leverandoer_id,
            startdato=self.startdato,
            slutdato=self.slutdato,
            individuel_begrundelse=fritekst_eller_none(self.individuel_begrundelse),
        )


class UdfaldInd(StrictBody):
    anmodning_id: UUID
    resultat: Resultat
    begrundelse: str | None = Field(default=None, max_length=4000)

    def to_domain(self) -> Udfald:
        return Udfald(
            anmodning_id=self.anmodning_id,
            resultat=self.resultat,
            begrundelse=fritekst_eller_none(self.begrundelse),
        )


class HelhedsplejeInd(StrictBody):
    """Ældreloven § 10: one forløb with a frame and goals for a citizen of pension age."""

    anmodning_ids: list[UUID] = Field(min_length=1, max_length=50)
    ramme: Literal["timer_pr_uge", "pakke"]
    timer_pr_uge: float | None = Field(default=None, gt=0, le=168)
    pakke: str | None = Field(default=None, max_length=50, examples=["mellem"])
    retningsgivende_maal: Literal["udrede", "udvikle", "fastholde", "lindre"]
    individuelle_maal: list[Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        min_length=1, max_length=20
    )
    leverandoer_id: str = Field(min_length=1, max_length=100, examples=["hjemmeplejen-nord"])
    startdato: Dato
    slutdato: Dato | None = None

    def to_domain(self) -> Helhedspleje:
        return Helhedspleje(
            forloeb_id=uuid.uuid4(),
            anmodning_ids=tuple(self.anmodning_ids),
            ramme=self.ramme,
            timer_pr_uge=self.timer_pr_uge,
            pakke=self.pakke,
            retningsgivende_maal=self.retningsgivende_maal,
            individuelle_maal=tuple(fritekst(m) for m in self.individuelle_maal),
            leverandoer_id=self.leverandoer_id,
            startdato=self.startdato,
            slutdato=self.slutdato,
        )


class AfgoerelseInd(StrictBody):
    truffet_dato: Dato
    udfald: list[UdfaldInd] = Field(min_length=1)
    bevillinger: list[BevillingInd] = Field(default_factory=list, max_length=50)
    begrundelse: str | None = Field(default=None, max_length=8000)
    klagevejledning: str | None = Field(default=None, max_length=8000)
    helhedspleje: HelhedsplejeInd | None = Field(
        default=None, description="ældreloven: required instead of personal/practical services"
    )
    partshoering_paakraevet: bool = Field(
        default=False,
        description="a refusal rests on information the citizen has not seen: needs a "
        "partshøring first (Forvaltningsloven § 19)",
    )

    def to_domain(self) -> Afgoerelse:
        """The decision with new ids; the domain sets the kvalitetsstandard's version."""
        return Afgoerelse(
            afgoerelse_id=uuid.uuid4(),
            truffet_dato=self.truffet_dato,
            udfald=tuple(u.to_domain() for u in self.udfald),
            bevillinger=tuple(b.to_domain() for b in self.bevillinger),
            begrundelse=fritekst_eller_none(self.begrundelse),
            klagevejledning=self.klagevejledning,
            helhedspleje=None if self.helhedspleje is None else self.helhedspleje.to_domain(),
        )


class BevillingUd(BaseModel):
    bevilling_id: UUID
    anmodning_id: UUID
    indsats_kode: str
    leverandoer_id: str


class AfgoerelseOprettet(BaseModel):
    afgoerelse_id: UUID
    katalog_version: str | None
    bevillinger: list[BevillingUd]
    helhedspleje_forloeb_id: UUID | None = None


class KlageInd(StrictBody):
    klagetype: Klagetype
    modtaget_dato: Dato
    beskrivelse: str = Field(min_length=1, max_length=8000)


class KlageOprettet(BaseModel):
    klage_id: UUID
    for_sent: bool


class GodkendelseInd(StrictBody):
    godkendt_dato: Dato


class MeddelelseInd(StrictBody):
    meddelt_dato: Dato = Field(description="the day the decision reached the citizen")
    kanal: Literal["digital_post", "brev", "personligt"]


class MeddelelseUd(BaseModel):
    afgoerelse_id: UUID
    meddelt_dato: date
    kanal: str
    klagefrist: date = Field(description="last day to complain, counted from meddelt_dato")


class Feltfejl(BaseModel):
    loc: list[str | int] = Field(description="the field's path in the file, [] = the whole file")
    msg: str


class KvalitetsstandardUd(BaseModel):
    kommune: str
    version: str
    katalog_version: str
    titel: str | None = Field(description="absent when the file is invalid")
    gyldig_fra: date | None
    godkendt: bool
    antal_indsatser: int | None
    gyldig: bool = Field(default=True, description="the file validates against the schema")
    fejl: list[Feltfejl] = Field(default_factory=list, description="why it does not")


class ValideringUd(BaseModel):
    gyldig: bool
    katalog_version: str


class StandardHyppighedUd(BaseModel):
    antal: int
    periode: str


class ForslagUd(BaseModel):
    indsats_kode: str
    navn: str
    kategori: str
    opfyldte_kriterier: list[str]
    kraevet: int
    standard_hyppighed: StandardHyppighedUd | None = Field(
        default=None,
        description="The standard's frequency for the indsats: a starting point, the grant "
        "sets its own from the individual assessment",
    )
    standard_minutter: int | None = Field(
        default=None, description="The standard's minutes per visit, as standard_hyppighed"
    )


class ForslagListe(BaseModel):
    katalog_version: str | None
    forslag: list[ForslagUd]


class StatusUd(BaseModel):
    """A command's receipt: what the case's state became."""

    status: str = Field(examples=["registreret"])


class UdfaldUd(BaseModel):
    """A recorded outcome, as given."""

    udfald: str


class LeverandoerValgtUd(BaseModel):
    leverandoer_id: str


class GodkendtLeverandoerUd(BaseModel):
    leverandoer_id: str
    navn: str
    type: str


# GET /sager/{sag_id}: the case as visitation knows it. The recorded value objects
# (assessments, decisions, grants, complaints, ...) are shown field for field as stored,
# free text as text or the placeholder once the citizen's key is erased.
Visning = dict[str, Any]


class BorgerUd(BaseModel):
    borger_id: UUID
    cpr: str = Field(description="the placeholder once the citizen's key is erased")
    navn: str


class SamtykkeUd(BaseModel):
    dato: date
    indforstaaet: bool


class ManglendeMedvirkenUd(BaseModel):
    dato: date
    konsekvenser_oplyst_dato: date | None


class AnkeafgoerelseUd(BaseModel):
    klage_id: UUID
    dato: date
    udfald: str


class LukketUd(BaseModel):
    dato: date
    aarsag: str


class SagsbehandlingUd(BaseModel):
    afventer_samtykke: bool
    samtykke: SamtykkeUd | None
    partshoeringer: list[Visning]
    manglende_medvirken: ManglendeMedvirkenUd | None
    ankestyrelsen: list[AnkeafgoerelseUd]
    lukket: LukketUd | None


class RehabVurderingUd(BaseModel):
    vurderet_dato: date
    kan_forbedre_funktionsevne: bool


class RehabiliteringUd(BaseModel):
    vurdering: RehabVurderingUd | None
    forloeb: list[Visning]


class LeveringssvigtUd(BaseModel):
    besoeg_id: UUID
    leverandoer_id: str
    oprindelig_dato: date


class KvitteretBestillingUd(BaseModel):
    bevilling_id: UUID
    leverandoer_id: str


class AfvistBestillingUd(BaseModel):
    bevilling_id: UUID
    leverandoer_id: str
    startdato: date
    begrundelse: str


class SagUd(BaseModel):
    sag_id: UUID
    version: int
    borger: BorgerUd
    modtaget_dato: date
    kanal: str
    henvendelse_fra: str
    anmodninger: list[AnmodningUd]
    sagsbehandling: SagsbehandlingUd
    funktionsvurderinger: list[Visning]
    rehabilitering: RehabiliteringUd
    afgoerelser: list[Visning]
    klager: list[Visning]
    aktive_bevillinger: list[Visning]
    ophoerte_bevillinger: dict[UUID, date] = Field(description="bevilling_id: last day of help")
    leveringssvigt: list[LeveringssvigtUd]
    kvitterede_bestillinger: list[KvitteretBestillingUd]
    aendringsindberetninger: list[Visning] = Field(
        description="the providers' change reports, each with the re-assessment task "
        "(`opgave`) it opened"
    )
    afviste_bestillinger: list[AfvistBestillingUd]
