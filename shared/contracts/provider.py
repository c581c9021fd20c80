"""Version 1 payloads of the events the provider service (leverandørerne) publishes."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.personoplysninger import Fritekst
from shared.contracts.vocabulary import AflystAf, AfvisningsAarsag, ForgaevesAarsag, Kategori


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _fravaerende(value: object) -> bool:
    return value is None


class _Enhedsregistrering(_Payload):
    """Set when a worker recorded the event on a device offline and synced it later: the
    device, and when it was recorded there (the rules judged that time). The envelope's
    `occurred_at` is when the provider received it. Absent (not null) for events recorded
    online, so their data is what it was before these fields existed."""

    enhed_id: str | None = Field(
        default=None, description="the device it was recorded on", exclude_if=_fravaerende
    )
    registreret_paa_enhed: datetime | None = Field(
        default=None,
        description="when the worker recorded it on the device",
        exclude_if=_fravaerende,
    )


class BestillingModtagetV1(_Payload):
    """The provider has received (and thereby acknowledged) an order for a bevilling."""

    bestilling_id: UUID
    bevilling_id: UUID
    leverandoer_id: str
    indsats_kode: str
    kategori: Kategori
    minutter_pr_besoeg: int


class PlanlagtBesoegV1(_Payload):
    besoeg_id: UUID
    dato: date
    tidsvindue: str = Field(examples=["morgen"])
    planlagte_minutter: int


class BesoegPlanlagtV1(_Payload):
    bestilling_id: UUID
    leverandoer_id: str
    besoeg: list[PlanlagtBesoegV1]


class IndsatsLeveretV1(_Enhedsregistrering):
    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    leveret_tidspunkt: datetime
    faktiske_minutter: int = Field(ge=0)
    medarbejder_id: str


class BesoegAflystV1(_Enhedsregistrering):
    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    aflyst_af: AflystAf
    aarsag: Fritekst
    varsel_timer: float = Field(description="hours between the cancellation and the visit")
    rettidig: bool


class AendringIFunktionsevneIndberettetV1(_Payload):
    """Ændringsindberetning: the provider reports a lasting change in the citizen's function.

    Visitation opens a re-assessment task for the case.
    """

    indberetning_id: UUID
    leverandoer_id: str
    observeret_dato: date
    beskrivelse: Fritekst
    omraader: list[str] = Field(
        default_factory=list, description="FSIII areas concerned", examples=[["B1-11"]]
    )


class LeveringSvigtetV1(_Payload):
    """A visit was not delivered and not replaced within the catalogue's deadline."""

    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    oprindelig_dato: date
    erstatning_frist: date
    aarsag: str
    erstatning_frist_tidspunkt: datetime | None = Field(
        default=None,
        description="the deadline to the minute where the kommune's promise is in hours "
        "(erstatning_frist is then its Danish day); absent for day promises",
        exclude_if=_fravaerende,
    )


class BesoegForgaevesV1(_Enhedsregistrering):
    """Forgæves besøg: the helper came but could not deliver (citizen not at home, no
    access, unsafe conditions). No replacement is owed."""

    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    tidspunkt: datetime
    medarbejder_id: str
    aarsag: ForgaevesAarsag


class ErstatningsbesoegPlanlagtV1(_Payload):
    """A replacement visit for a cancelled one, within the catalogue's deadline."""

    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    erstatter_besoeg_id: UUID = Field(description="the cancelled visit this one replaces")
    dato: date
    tidsvindue: str
    planlagte_minutter: int
    erstatning_frist: date
    erstatning_frist_tidspunkt: datetime | None = Field(
        default=None,
        description="the duty's deadline to the minute where the kommune's promise is in "
        "hours (erstatning_frist is then its Danish day); absent for day promises",
        exclude_if=_fravaerende,
    )


class _Tjek(_Payload):
    """A check-in or check-out by the care worker's app (issue 16 item 2)."""

    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    tidspunkt: datetime = Field(description="when it happened (the device's time if synced)")
    medarbejder_id: str
    enhed_id: str | None = Field(
        default=None,
        description="the device it was recorded on offline and synced from",
        exclude_if=_fravaerende,
    )


class BesoegPaabegyndtV1(_Tjek):
    """Check-in (besøg påbegyndt): the worker arrived and started the visit. The delivery
    itself is IndsatsLeveret, with its own minutes."""


class BesoegAfsluttetV1(_Tjek):
    """Check-out (besøg afsluttet): the worker left the home after a check-in."""


class BesoegForsinketV1(_Payload):
    """The visit was not started within the kommune's tolerance (its window's end plus
    `forsinkelsestolerance`), once per visit. Started late (`paabegyndt`): the help came,
    late, and no replacement is owed. Not started: a replacement is owed by the deadline
    (`erstatning_skyldig`), or, where none can be owed, LeveringSvigtet follows at once."""

    besoeg_id: UUID
    bestilling_id: UUID
    leverandoer_id: str
    seneste_start: datetime = Field(description="the latest start the visit missed")
    paabegyndt: datetime | None = Field(
        default=None, description="the late check-in, if any", exclude_if=_fravaerende
    )
    erstatning_skyldig: bool
    erstatning_frist: date | None = Field(
        default=None, description="the replacement's last day", exclude_if=_fravaerende
    )
    erstatning_frist_tidspunkt: datetime | None = Field(
        default=None,
        description="the replacement's deadline to the minute (a promise in hours)",
        exclude_if=_fravaerende,
    )


class BestillingAfsluttetV1(_Payload):
    """The order ended (ophør or leverandørskift): its visits after `sidste_dag` are ended
    without any replacement owed."""

    bestilling_id: UUID
    bevilling_id: UUID
    leverandoer_id: str
    sidste_dag: date
    aarsag: str = Field(examples=["leverandoerskift", "doedsfald"])
    afsluttede_besoeg: list[UUID]


class BesoegPausetV1(_Payload):
    """Indlæggelse: the order's planned visits from `fra` on are paused, without
    replacement duty."""

    bestilling_id: UUID
    leverandoer_id: str
    fra: date
    besoeg_ids: list[UUID]


class BesoegGenoptagetV1(_Payload):
    """Udskrivning: paused visits from `fra` on are planned again."""

    bestilling_id: UUID
    leverandoer_id: str
    fra: date
    besoeg_ids: list[UUID]


class BestillingAfvistV1(_Payload):
    """The provider refused an order (from a decision or a provider switch): the provider
    is not approved for the category on the order's start date. No visits are planned;
    visitation must choose an approved provider. On a switch, the old provider's order
    goes on, so the citizen is not left without help meanwhile."""

    bevilling_id: UUID
    leverandoer_id: str
    kategori: Kategori
    startdato: date
    aarsag: AfvisningsAarsag
    begrundelse: str
