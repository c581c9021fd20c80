"""Request bodies of the provider API (strict: unknown fields are refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.provider.domain.tildeling import Medarbejder
from services.provider.domain.values import Aflysning, Enhedsregistrering, Levering
from shared.contracts.vocabulary import AflystAf, ForgaevesAarsag, Kategori, LeveringsKanal
from shared.infra.datotyper import Dato, Tidspunkt
from shared.infra.ruter import StrictBody
from shared.kernel.personoplysning import fritekst_eller_none


def _minut(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


class LeveringDetaljer(StrictBody):
    """What was delivered beyond minutes and staff; all optional for older clients."""

    kanal: LeveringsKanal = "fysisk"
    oevrige_medarbejdere: list[str] = Field(default_factory=list, max_length=10)
    opgaver_udfoert: list[str] = Field(default_factory=list, max_length=50)
    opgaver_ikke_udfoert: list[str] = Field(default_factory=list, max_length=50)
    delvis: bool = False
    delvis_aarsag: str | None = Field(default=None, max_length=2000)


def _levering(
    besoeg_id: UUID,
    leveret: datetime,
    minutter: int,
    medarbejder_id: str,
    detaljer: LeveringDetaljer | None,
    enhed: Enhedsregistrering | None = None,
) -> Levering:
    """A delivery as the domain records it, from the online route or an offline sync."""
    d = detaljer or LeveringDetaljer()
    return Levering(
        besoeg_id=besoeg_id,
        leveret_tidspunkt=leveret,
        faktiske_minutter=minutter,
        medarbejder_id=medarbejder_id,
        kanal=d.kanal,
        oevrige_medarbejdere=tuple(d.oevrige_medarbejdere),
        opgaver_udfoert=tuple(d.opgaver_udfoert),
        opgaver_ikke_udfoert=tuple(d.opgaver_ikke_udfoert),
        delvis=d.delvis,
        delvis_aarsag=fritekst_eller_none(d.delvis_aarsag),
        enhed=enhed,
    )


class LeveringInd(StrictBody):
    leveret_tidspunkt: Tidspunkt = Field(examples=["2026-11-23T09:40:00+01:00"])
    faktiske_minutter: int = Field(ge=0, le=600)
    medarbejder_id: str = Field(min_length=1, max_length=100)
    detaljer: LeveringDetaljer | None = None

    def to_domain(self, besoeg_id: UUID) -> Levering:
        return _levering(
            besoeg_id,
            self.leveret_tidspunkt,
            self.faktiske_minutter,
            self.medarbejder_id,
            self.detaljer,
        )


class AflysningInd(StrictBody):
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

    @classmethod
    def af(cls, a: Aflysning) -> AflysningUd:
        """The answer to a cancellation, by the care worker, the citizen or a shift sync."""
        return cls(
            besoeg_id=str(a.besoeg_id),
            rettidig=a.rettidig,
            varsel_timer=a.varsel_timer,
            erstatning_skyldig=a.erstatning_skyldig,
            erstatningsfrist=a.erstatningsfrist,
            erstatningsfrist_tidspunkt=a.frist_tidspunkt,
        )


class Kvittering(BaseModel):
    status: str
    registreret: datetime


class ForgaevesInd(StrictBody):
    tidspunkt: Tidspunkt
    medarbejder_id: str = Field(min_length=1, max_length=100)
    aarsag: ForgaevesAarsag = "ikke_hjemme"


class BesoegstidInd(StrictBody):
    """Check-in or check-out as the care worker's app stamps it."""

    tidspunkt: Tidspunkt
    medarbejder_id: str = Field(min_length=1, max_length=100)


class NotatInd(StrictBody):
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


class ErstatningInd(StrictBody):
    dato: Dato
    tidsvindue: str = Field(min_length=1, max_length=30, examples=["eftermiddag"])


class ErstatningUd(BaseModel):
    besoeg_id: str
    erstatter_besoeg_id: str
    dato: date
    tidsvindue: str


class DatoInd(StrictBody):
    """A day the command applies to: "today" for a deadline check, the first day of a
    hospital stay or of the resumption, the start of rolling planning."""

    dato: Dato


class AendringInd(StrictBody):
    observeret_dato: Dato
    beskrivelse: str = Field(min_length=1, max_length=4000)
    omraader: list[str] = Field(default_factory=list, max_length=20, examples=[["B1-11"]])


class BorgerAflysningInd(StrictBody):
    aarsag: str = Field(min_length=1, max_length=2000)


ALLE_KATEGORIER: tuple[Kategori, ...] = ("personlig", "praktisk", "madservice", "rehabilitering")


class MedarbejderInd(StrictBody):
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

    def to_domain(self) -> Medarbejder:
        return Medarbejder(
            medarbejder_id=self.medarbejder_id,
            navn=self.navn,
            kategorier=tuple(self.kategorier),
            arbejdsdage=tuple(sorted(set(self.arbejdsdage))),
            fra_minut=_minut(self.fra),
            til_minut=_minut(self.til),
        )


class StabInd(StrictBody):
    """The whole roster; it replaces the previous one."""

    medarbejdere: list[MedarbejderInd] = Field(max_length=2000)


# -- offline shift sync (synkronisering) -------------------------------------------------
class _SynkPost(StrictBody):
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

    def to_domain(self, enhed: Enhedsregistrering) -> Levering:
        """Delivered when the device registered it."""
        return _levering(
            self.besoeg_id,
            self.registreret_paa_enhed,
            self.faktiske_minutter,
            self.medarbejder_id,
            self.detaljer,
            enhed,
        )


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


class SynkInd(StrictBody):
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


# Answers read from the provider's work lists and register. A read-model row keeps any
# field a later version adds (extra="allow"); a field only some categories see
# (dataminimering) is absent, never null (the routes send only what was set).


class _Raekke(BaseModel):
    model_config = ConfigDict(extra="allow")


class GodkendelseUd(BaseModel):
    kategori: str
    fra: date | None
    til: date | None


class LeverandoerUd(_Raekke):
    """One provider of the register as of `dato`."""

    leverandoer_id: str
    navn: str
    type: str = Field(description="kommunal, privat or selvejende")
    cvr: str | None
    kategorier: list[str]
    godkendelser: list[GodkendelseUd]
    dato: date
    godkendt_pr_dato: list[str]
    aktiv: bool


class HyppighedUd(BaseModel):
    antal: int
    periode: str


class DataminimeringUd(BaseModel):
    kategori: str
    udeladt: list[str] = Field(description="the fields this category's provider does not get")


class BestillingRaekke(_Raekke):
    """An order on the provider's list."""

    bestilling_id: UUID
    bevilling_id: UUID
    sag_id: UUID | None = Field(default=None, description="only for personal care and rehab")
    borger_id: UUID
    leverandoer_id: str
    indsats_kode: str
    indsats_navn: str
    kategori: str
    hyppighed: HyppighedUd
    minutter_pr_besoeg: int
    startdato: date
    slutdato: date | None
    forgaenger_id: UUID | None
    status: str
    sidste_dag: date | None
    aabne_erstatninger: int
    leveringssvigt: int
    dataminimering: DataminimeringUd


class BestillingUd(_Raekke):
    """One order with its visits, deliveries, cancellations and (for personal care and
    rehabilitation) change reports; the recorded values field for field as stored."""

    bestilling_id: UUID
    version: int
    bevilling_id: UUID
    sag_id: UUID | None = Field(default=None, description="only for personal care and rehab")
    borger_id: UUID
    leverandoer_id: str
    indsats_kode: str
    indsats_navn: str
    kategori: str
    hyppighed: HyppighedUd
    minutter_pr_besoeg: int
    leveringsregler: dict[str, Any]
    sidste_dag: date | None
    erstatningspligter: dict[str, Any]
    besoeg: list[dict[str, Any]]
    leveringer: list[dict[str, Any]]
    aflysninger: list[dict[str, Any]]
    aendringsindberetninger: list[dict[str, Any]] | None = Field(
        default=None, description="only for personal care and rehabilitation"
    )
    dataminimering: DataminimeringUd


class BorgerBesoegUd(BaseModel):
    """A visit as the citizen sees it."""

    besoeg_id: UUID
    bestilling_id: UUID
    borger_id: UUID
    leverandoer_id: str
    indsats_kode: str
    indsats_navn: str
    dato: date
    tidsvindue: str
    planlagte_minutter: int
    status: str
    erstatter_besoeg_id: UUID | None
    kategori: str
    medarbejder_id: str | None
    start_minut: int | None


class BesoegUd(BaseModel):
    """A visit on the provider's list, with what happened to it (`detaljer`)."""

    besoeg_id: UUID
    bestilling_id: UUID
    sag_id: UUID
    borger_id: UUID
    leverandoer_id: str
    indsats_kode: str
    indsats_navn: str
    dato: date
    tidsvindue: str
    planlagte_minutter: int
    status: str
    detaljer: dict[str, Any]
    erstatter_besoeg_id: UUID | None
    kategori: str
    medarbejder_id: str | None
    start_minut: int | None


class IndberetningOprettet(BaseModel):
    indberetning_id: UUID


class SvigtUd(BaseModel):
    bestilling_id: UUID
    besoeg_id: UUID


class BestillingsfejlUd(BaseModel):
    """An order the rules could not handle: shown in its place, the others checked."""

    bestilling_id: UUID
    fejl: str
    fejltype: str


class FristkontrolUd(BaseModel):
    idag: date
    leveringssvigt: list[SvigtUd]
    fejl: list[BestillingsfejlUd]


class PlanlaegningUd(BaseModel):
    nye_besoeg: int
    bemandede_besoeg: int


class PauseUd(BaseModel):
    status: str = Field(examples=["pauset", "genoptaget"])
    fra: date


class MedarbejderUd(BaseModel):
    medarbejder_id: str
    navn: str
    kategorier: list[str]
    arbejdsdage: list[int]
    fra: str = Field(examples=["07:00"])
    til: str = Field(examples=["15:00"])


class StabUd(BaseModel):
    leverandoer_id: str
    medarbejdere: list[MedarbejderUd]


class KoerelisteBesoegUd(BaseModel):
    medarbejder_id: str | None
    start: str | None
    slut: str | None
    tidsvindue: str
    borger_id: str
    indsats_kode: str
    indsats_navn: str
    minutter: int
    status: str
    besoeg_id: str
    bestilling_id: str


class MedarbejderKoerelisteUd(BaseModel):
    medarbejder_id: str | None = Field(description="null: the visits nobody is staffed on")
    antal_besoeg: int
    besoeg: list[KoerelisteBesoegUd]


class KoerelisteUd(BaseModel):
    leverandoer_id: str
    dato: date
    koerelister: list[MedarbejderKoerelisteUd]


class AfregningslinjeUd(BaseModel):
    kategori: str
    visiterede_minutter: int
    planlagte_besoeg: int
    planlagte_minutter: int
    leverede_besoeg: int
    leverede_minutter: int
    forgaeves_besoeg: int
    forgaeves_minutter: int
    sent_aflyste_besoeg: int
    sent_aflyste_minutter: int
    kr_pr_time: str = Field(description="a decimal amount as text", examples=["412.50"])
    takst_kategori: str
    afregnede_minutter: int
    beloeb: str = Field(description="a decimal amount as text")


class AfregningIAltUd(BaseModel):
    afregnede_minutter: int
    beloeb: str = Field(description="a decimal amount as text")


class AfregningUd(BaseModel):
    leverandoer_id: str
    maaned: str
    takst_version: str
    linjer: list[AfregningslinjeUd]
    i_alt: AfregningIAltUd
