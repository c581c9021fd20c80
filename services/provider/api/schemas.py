"""Request bodies of the provider API (strict: unknown fields are refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.vocabulary import AflystAf, ForgaevesAarsag, Kategori, LeveringsKanal
from shared.infra.datotyper import Dato, Tidspunkt


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LeveringDetaljer(_Strict):
    """What was delivered beyond minutes and staff; all optional for older clients."""

    kanal: LeveringsKanal = "fysisk"
    oevrige_medarbejdere: list[str] = Field(default_factory=list, max_length=10)
    opgaver_udfoert: list[str] = Field(default_factory=list, max_length=50)
    opgaver_ikke_udfoert: list[str] = Field(default_factory=list, max_length=50)
    delvis: bool = False
    delvis_aarsag: str | None = Field(default=None, max_length=2000)


class LeveringInd(_Strict):
    leveret_tidspunkt: Tidspunkt = Field(examples=["2026-11-23T09:40:00+01:00"])
    faktiske_minutter: int = Field(ge=0, le=600)
    medarbejder_id: str = Field(min_length=1, max_length=100)
    detaljer: LeveringDetaljer | None = None


class AflysningInd(_Strict):
    aflyst_af: AflystAf
    aarsag: str = Field(min_length=1, max_length=2000)
    aflyst_tidspunkt: Tidspunkt


class AflysningUd(BaseModel):
    besoeg_id: str
    rettidig: bool
    varsel_timer: float
    erstatning_skyldig: bool = False
    erstatningsfrist: date | None = None
    #: The deadline to the minute where the kommune's promise is in hours.
    erstatningsfrist_tidspunkt: datetime | None = None


class Kvittering(BaseModel):
    status: str
    registreret: datetime


class ForgaevesInd(_Strict):
    tidspunkt: Tidspunkt
    medarbejder_id: str = Field(min_length=1, max_length=100)
    aarsag: ForgaevesAarsag = "ikke_hjemme"


class BesoegstidInd(_Strict):
    """Check-in or check-out as the care worker's app stamps it."""

    tidspunkt: Tidspunkt
    medarbejder_id: str = Field(min_length=1, max_length=100)


class NotatInd(_Strict):
    medarbejder_id: str = Field(min_length=1, max_length=100)
    tekst: str = Field(min_length=1, max_length=4000)


class NotatUd(BaseModel):
    """A visit note as the provider's staff read it (the text is the citizen's data: the
    placeholder once their key is erased)."""

    notat_id: UUID
    besoeg_id: UUID
    medarbejder_id: str
    tekst: str
    skrevet: datetime
    enhed_id: str | None = None


class ErstatningInd(_Strict):
    dato: Dato
    tidsvindue: str = Field(min_length=1, max_length=30, examples=["eftermiddag"])


class ErstatningUd(BaseModel):
    besoeg_id: str
    erstatter_besoeg_id: str
    dato: date
    tidsvindue: str


class DatoInd(_Strict):
    """A day the command applies to: "today" for a deadline check, the first day of a
    hospital stay or of the resumption, the start of rolling planning."""

    dato: Dato


class AendringInd(_Strict):
    observeret_dato: Dato
    beskrivelse: str = Field(min_length=1, max_length=4000)
    omraader: list[str] = Field(default_factory=list, max_length=20, examples=[["B1-11"]])


class BorgerAflysningInd(_Strict):
    aarsag: str = Field(min_length=1, max_length=2000)


ALLE_KATEGORIER: tuple[Kategori, ...] = ("personlig", "praktisk", "madservice", "rehabilitering")


class MedarbejderInd(_Strict):
    medarbejder_id: str = Field(min_length=1, max_length=100, examples=["sosu-maria"])
    navn: str = Field(default="", max_length=200)
    kategorier: list[Kategori] = Field(
        default_factory=lambda: list(ALLE_KATEGORIER),
        min_length=1,
    )
    arbejdsdage: list[int] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], description="0 = Monday", min_length=1
    )
    fra: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    til: str = Field(default="15:00", pattern=r"^([01]\d|2[0-4]):[0-5]\d$")


class StabInd(_Strict):
    """The whole roster; it replaces the previous one."""

    medarbejdere: list[MedarbejderInd] = Field(max_length=2000)


# -- offline shift sync (synkronisering) -------------------------------------------------
class _SynkPost(_Strict):
    """One thing a worker recorded on the device while offline."""

    idempotens_noegle: str = Field(
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="The item's own key, as the Idempotency-Key header: a re-sent item "
        "is replayed, never applied twice.",
    )
    registreret_paa_enhed: Tidspunkt = Field(
        description="When the worker recorded it on the device: the time the rules judge "
        "(within 48 hours of receipt; the received time is kept beside it)."
    )
    bestilling_id: UUID


class SynkLevering(_SynkPost):
    art: Literal["levering"]
    besoeg_id: UUID
    faktiske_minutter: int = Field(ge=0, le=600)
    medarbejder_id: str = Field(min_length=1, max_length=100)
    detaljer: LeveringDetaljer | None = None


class SynkAflysning(_SynkPost):
    art: Literal["aflysning"]
    besoeg_id: UUID
    aflyst_af: AflystAf
    aarsag: str = Field(min_length=1, max_length=2000)


class SynkForgaeves(_SynkPost):
    art: Literal["forgaeves"]
    besoeg_id: UUID
    medarbejder_id: str = Field(min_length=1, max_length=100)
    aarsag: ForgaevesAarsag = "ikke_hjemme"


class SynkAendring(_SynkPost):
    """A worker's note on a lasting change in the citizen's function (an
    ændringsindberetning: visitation re-assesses)."""

    art: Literal["aendringsindberetning"]
    beskrivelse: str = Field(min_length=1, max_length=4000)
    omraader: list[str] = Field(default_factory=list, max_length=20)


class SynkPaabegyndt(_SynkPost):
    """Check-in: the worker started the visit at `registreret_paa_enhed`."""

    art: Literal["paabegyndt"]
    besoeg_id: UUID
    medarbejder_id: str = Field(min_length=1, max_length=100)


class SynkAfsluttet(_SynkPost):
    """Check-out: the worker left the home at `registreret_paa_enhed`."""

    art: Literal["afsluttet"]
    besoeg_id: UUID
    medarbejder_id: str = Field(min_length=1, max_length=100)


class SynkNotat(_SynkPost):
    """A worker's note on a visit (besøgsnotat): the provider's own record, not
    published."""

    art: Literal["notat"]
    besoeg_id: UUID
    medarbejder_id: str = Field(min_length=1, max_length=100)
    tekst: str = Field(min_length=1, max_length=4000)


#: The kinds a sync carries, told apart by `art`: a new kind is one more class here and
#: one more case in api/synk_routes.py.
SynkPost = Annotated[
    SynkPaabegyndt
    | SynkAfsluttet
    | SynkLevering
    | SynkAflysning
    | SynkForgaeves
    | SynkAendring
    | SynkNotat,
    Field(discriminator="art"),
]


class SynkInd(_Strict):
    enhed_id: str = Field(min_length=1, max_length=100, description="The device's id")
    poster: list[SynkPost] = Field(min_length=1, max_length=200)


class SynkProblem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    regel: str | None = None
    dansk: str | None = None


class SynkResultat(BaseModel):
    idempotens_noegle: str
    art: str
    udfald: Literal["anvendt", "genafspillet", "afvist"]
    svar: dict[str, Any] | None = None
    problem: SynkProblem | None = None


class SynkUd(BaseModel):
    enhed_id: str
    modtaget: datetime
    #: In the order applied: the order recorded on the device.
    resultater: list[SynkResultat]
