"""Version 1 payloads of the events visitation (myndigheden) publishes."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.vocabulary import (
    HenvendelseFra,
    Kanal,
    Kategori,
    Klagetype,
    Periode,
    Resultat,
)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnmodningV1(_Payload):
    anmodning_id: UUID
    beskrivelse: str
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


class UdfaldV1(_Payload):
    anmodning_id: UUID
    resultat: Resultat
    begrundelse: str | None = None


class AfgoerelseTruffetV1(_Payload):
    """Afgørelse truffet: an outcome for every anmodning and the granted indsatser."""

    afgoerelse_id: UUID
    borger_id: UUID
    truffet_dato: date
    udfald: list[UdfaldV1]
    bevillinger: list[BevillingV1]
    begrundelse: str | None = None
    klagevejledning: str | None = None


class KlageOprettetV1(_Payload):
    klage_id: UUID
    klagetype: Klagetype
    afgoerelse_id: UUID | None = None
    modtaget_dato: date
    beskrivelse: str


class BestillingKvitteretV1(_Payload):
    """Visitation has seen the provider's acknowledgement of an order."""

    bevilling_id: UUID
    leverandoer_id: str
