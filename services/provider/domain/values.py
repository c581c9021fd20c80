"""Value objects of the provider domain.

They are stored inside domain events: a field added later must have a default, so events
written before it still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.provider.domain.tildeling import Medarbejder, Tildeling
from shared.kernel.loefte import Loefte
from shared.kernel.personoplysning import Personoplysning
from shared.kernel.planlaegningsregler import Planlaegningsregler
from shared.reference.leverandoerer import Godkendelse, GodkendtLeverandoer


@dataclass(frozen=True)
class Enhedsregistrering:
    """Recorded offline on a worker's device and synced later: which device, and when the
    worker recorded it there. The event's own `occurred_at` is when the service received
    it, so an auditor sees both times."""

    enhed_id: str
    registreret_paa_enhed: datetime


@dataclass(frozen=True)
class PlanlagtBesoeg:
    besoeg_id: UUID
    dato: date
    tidsvindue: str
    planlagte_minutter: int
    #: Set on an erstatningsbesøg: the cancelled visit it replaces.
    erstatter_besoeg_id: UUID | None = None


@dataclass(frozen=True)
class Levering:
    besoeg_id: UUID
    leveret_tidspunkt: datetime
    faktiske_minutter: int
    medarbejder_id: str
    kanal: str = "fysisk"  # fysisk | skaerm
    #: Further staff on the visit (a second helper for a lift).
    oevrige_medarbejdere: tuple[str, ...] = ()
    opgaver_udfoert: tuple[str, ...] = ()
    opgaver_ikke_udfoert: tuple[str, ...] = ()
    delvis: bool = False
    #: Free text about the citizen's visit: encrypted with their key (v2 events).
    delvis_aarsag: Personoplysning | None = None
    enhed: Enhedsregistrering | None = None


@dataclass(frozen=True)
class Aflysning:
    besoeg_id: UUID
    aflyst_af: str  # borger | leverandoer
    aarsag: Personoplysning  # free text, often about the citizen's health or home
    aflyst_tidspunkt: datetime
    varsel_timer: float
    rettidig: bool
    erstatning_skyldig: bool = False
    erstatningsfrist: date | None = None
    enhed: Enhedsregistrering | None = None


@dataclass(frozen=True)
class Forgaeves:
    """Forgæves besøg: the helper came, the citizen was not at home (or no access)."""

    besoeg_id: UUID
    tidspunkt: datetime
    medarbejder_id: str
    aarsag: str  # ikke_hjemme | ingen_adgang | usikre_forhold
    enhed: Enhedsregistrering | None = None


@dataclass(frozen=True)
class Erstatningspligt:
    """A replacement owed for a cancelled visit, as the order keeps it (the visit itself
    lives in one of the order's periods)."""

    besoeg_id: UUID
    oprindelig_dato: date
    aflyst_af: str
    aflyst_tidspunkt: datetime
    erstatningsfrist: date
    planlagte_minutter: int


@dataclass(frozen=True)
class Leveringsregler:
    """The kvalitetsstandard's cancellation rules sent with the order (LeveringsreglerV1)."""

    katalog_version: str = "standard"
    aflysningsfrist_dage_foer: int = 1
    erstatning_ved_rettidig_borgeraflysning: bool = False
    erstatning_ved_leverandoeraflysning: bool = True
    erstatningsfrist_dage: int = 8
    # Schema v2's typed promises; None (older orders): the day fields above rule.
    erstatningsfrist: Loefte | None = None
    aflysningsvarsel: Loefte | None = None
    forsinkelsestolerance: Loefte | None = None
    # The kommune's planning rules; None (older orders): the category's defaults.
    planlaegning: Planlaegningsregler | None = None


@dataclass(frozen=True)
class Aendringsindberetning:
    indberetning_id: UUID
    observeret_dato: date
    beskrivelse: Personoplysning  # the change in the citizen's function (health data)
    omraader: tuple[str, ...] = ()
    enhed: Enhedsregistrering | None = None


VALUE_TYPES = (
    Enhedsregistrering,
    PlanlagtBesoeg,
    Levering,
    Aflysning,
    Forgaeves,
    Erstatningspligt,
    Loefte,
    Planlaegningsregler,
    Leveringsregler,
    Aendringsindberetning,
    Medarbejder,
    Tildeling,
    # visitation's register snapshot in the copy's events (leverandoerkopi.py)
    Godkendelse,
    GodkendtLeverandoer,
)
