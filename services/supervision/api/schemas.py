"""Answers of supervision's API. Most are read models and documents folded from the public
events: the names and kinds of their fields are given here, the recorded payloads inside
them (an event's `data`, an aktindsigt entry, a report's tables) stay open maps, field for
field as recorded. Dates inside read models are sent as recorded (ISO text)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

#: A count or an amount as the fold computed it: an integer stays an integer.
Tal = int | float
#: Who acted, as recorded with the event (id, rolle, organisation).
Hvem = dict[str, Any]


class HistorikLinjeUd(BaseModel):
    tidspunkt: str = Field(description="when it happened (occurred_at)")
    registreret: str = Field(description="when the source recorded it (recorded_at)")
    kilde: str
    haendelse: str
    version: int
    hvem: Hvem
    lovgrundlag: str | None
    event_id: str
    sekvens: int
    data: dict[str, Any]


class HistorikUd(BaseModel):
    sag_id: UUID
    som_kendt_pr: datetime | None
    antal: int
    haendelser: list[HistorikLinjeUd]


class TilstandUd(BaseModel):
    """The case folded from its public events; the parts of the case follow these fields."""

    model_config = ConfigDict(extra="allow")

    som_kendt_pr: datetime | None
    sag_id: str
    borger_id: str | None
    status: str


class AdgangsopslagUd(BaseModel):
    """One read of a citizen's data through any service's API."""

    tidspunkt: str
    tjeneste: str
    endpoint: str
    sag_id: str | None
    borger_id: str | None
    hvem: Hvem
    formaal: str | None
    adgang_id: str


class SagensAdgangslogUd(BaseModel):
    sag_id: UUID
    antal: int
    opslag: list[AdgangsopslagUd]


class AdgangslogSoegningUd(BaseModel):
    antal: int = Field(description="reads that match")
    viste: int = Field(description="reads shown (at most `graense`)")
    opslag: list[AdgangsopslagUd]


class SagRaekkeUd(BaseModel):
    sag_id: str
    haendelser: int
    fejl: str | None = Field(default=None, description="present only for a parked case")


class ParkeretSagUd(BaseModel):
    sag_id: str
    fejl: str


class SagerUd(BaseModel):
    antal: int
    sager: list[SagRaekkeUd]
    fejl: list[ParkeretSagUd]


class LeveringsgradUd(BaseModel):
    leverandoer_id: str
    bevilgede_minutter_pr_uge: Tal
    planlagte_besoeg: int
    planlagte_minutter: int
    leverede_besoeg: int
    leverede_minutter: int
    aflyste_besoeg: dict[str, int] = Field(description="per who cancelled")
    leveringsgrad: Tal | None = Field(description="delivered / planned minutes of settled visits")


class TilsynstalUd(BaseModel):
    leverandoerer: dict[str, dict[str, dict[str, Any]]] = Field(
        description="per provider, per month (YYYY-MM): the figures"
    )
    frister: dict[str, dict[str, Any]] = Field(description="per month: the legal clocks")


class FingeraftrykUd(BaseModel):
    position: int | None
    projektioner: dict[str, str] = Field(description="read model: SHA-256 of its content")


class BesvarelseUd(BaseModel):
    besvaret_dato: date
    som_kendt_pr: str
    medtaget: int
    undtaget: list[Any]
    besvaret_af: Hvem
    rettidig: bool


class AktindsigtAnmodningUd(BaseModel):
    anmodning_id: str
    sag_id: str
    anmoder: str
    egenskab: str
    omfang: str
    modtaget_dato: date
    frist: date
    frist_arbejdsdage: int
    lovgrundlag: str
    anmodet_af: Hvem
    besvaret: BesvarelseUd | None


class AfsnitUd(BaseModel):
    noegle: str
    overskrift: str
    poster: list[dict[str, Any]]


class AktindsigtSvarUd(BaseModel):
    titel: str
    anmodning: AktindsigtAnmodningUd
    sag_id: str
    som_kendt_pr: str
    genereret: str
    antal_medtaget: int
    afsnit: list[AfsnitUd]
    undtaget: list[Any]


class StikproeveUd(BaseModel):
    seed: int | None
    kandidater: int
    sager: list[str]


class FundUd(BaseModel):
    fund_id: str
    sag_id: str | None
    vurdering: str
    beskrivelse: str
    registreret_af: Hvem


class LukningUd(BaseModel):
    dato: date
    bemaerkning: str
    lukket_af: Hvem


class OpfoelgningspunktUd(BaseModel):
    punkt_id: str
    beskrivelse: str
    frist: date
    ansvarlig: str
    lukket: LukningUd | None
    status: str | None = Field(default=None, description="in the report only: as of `status_pr`")


class TilsynsbesoegUd(BaseModel):
    tilsyn_id: str
    leverandoer_id: str
    varslet: bool
    sted: str
    planlagt_dato: date
    planlagt_af: Hvem
    stikproeve: StikproeveUd
    fund: list[FundUd]
    fund_optalt: dict[str, int]
    opfoelgning: list[OpfoelgningspunktUd]
    status_pr: date


class AarstalUd(BaseModel):
    besoeg: Tal
    timer: Tal
    kroner: Tal


class VirkningUd(BaseModel):
    nu: AarstalUd
    efter: AarstalUd
    forskel: AarstalUd


class IndsatsvirkningUd(BaseModel):
    bevillinger: int
    nu: AarstalUd
    efter: AarstalUd
    forskel: AarstalUd


class HvadHvisUd(BaseModel):
    aktive_bevillinger: int
    indsatser: dict[str, IndsatsvirkningUd]
    i_alt: VirkningUd


class MaanedsrapportUd(BaseModel):
    kommune: str
    maaned: str
    maaned_tekst: str
    genereret: str
    genereret_tekst: str
    maaneder: list[str]
    periode: str
    enheder: list[dict[str, Any]]
    raekker: list[dict[str, Any]]
    frister: dict[str, Any] | None = Field(description="null: no legal clocks that month")
    bemaerkninger: list[str]
