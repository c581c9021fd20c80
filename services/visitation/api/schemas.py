"""Request and response bodies of visitation's API (strict: unknown fields are refused)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.visitation.domain.cpr import CPR_MOENSTER, foedselsdato
from shared.contracts.vocabulary import (
    HenvendelseFra,
    Kanal,
    Kategori,
    Klagetype,
    Periode,
    Resultat,
)
from shared.infra.datotyper import Dato


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BorgerInd(_Strict):
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


class AnmodningInd(_Strict):
    beskrivelse: str = Field(min_length=1, max_length=2000, examples=["Hjælp til bad"])
    kategori: Kategori


class AnsoegningInd(_Strict):
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


class FunktionsniveauInd(_Strict):
    omraade: str = Field(examples=["B1-3"])
    niveau: int = Field(ge=0, le=9)


class FunktionsvurderingInd(_Strict):
    vurderet_dato: Dato
    funktionsniveauer: list[FunktionsniveauInd] = Field(min_length=1, max_length=40)
    bemaerkning: str | None = Field(default=None, max_length=4000)
    mestringskapacitet: Literal["lav", "middel", "hoej"] | None = None


class VurderingOprettet(BaseModel):
    vurdering_id: UUID


class HyppighedInd(_Strict):
    antal: int = Field(ge=1, le=8)
    periode: Periode


class BevillingInd(_Strict):
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


class UdfaldInd(_Strict):
    anmodning_id: UUID
    resultat: Resultat
    begrundelse: str | None = Field(default=None, max_length=4000)


class HelhedsplejeInd(_Strict):
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


class AfgoerelseInd(_Strict):
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


class KlageInd(_Strict):
    klagetype: Klagetype
    modtaget_dato: Dato
    beskrivelse: str = Field(min_length=1, max_length=8000)


class KlageOprettet(BaseModel):
    klage_id: UUID
    for_sent: bool


class GodkendelseInd(_Strict):
    godkendt_dato: Dato


class MeddelelseInd(_Strict):
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
