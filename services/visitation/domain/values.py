"""Value objects of the visitation domain (immutable, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.visitation.domain.aeldrelov import Helhedspleje
from shared.kernel.loefte import Loefte
from shared.kernel.personoplysning import Personoplysning
from shared.kernel.planlaegningsregler import Planlaegningsregler
from shared.reference.leverandoerer import Godkendelse, GodkendtLeverandoer


@dataclass(frozen=True)
class Anmodning:
    """One request inside an application; each gets its own outcome in the afgørelse."""

    anmodning_id: UUID
    beskrivelse: Personoplysning  # the citizen's own words about their need
    kategori: str


@dataclass(frozen=True)
class Funktionsniveau:
    omraade: str
    niveau: int


@dataclass(frozen=True)
class Funktionsvurdering:
    vurdering_id: UUID
    vurderet_dato: date
    funktionsniveauer: tuple[Funktionsniveau, ...]
    bemaerkning: Personoplysning | None  # free text about the citizen's condition
    # Added later, with defaults, so stored assessments still decode.
    mestringskapacitet: str | None = None  # lav | middel | hoej


@dataclass(frozen=True)
class Hyppighed:
    antal: int
    periode: str  # dag | uge | anden_uge | maaned


@dataclass(frozen=True)
class Leveringsregler:
    """The catalogue entry's delivery rules, copied into the grant when it is decided, so
    the order and any replay use the rules of the version the decision used."""

    katalog_version: str
    aflysningsfrist_dage_foer: int
    erstatning_ved_rettidig_borgeraflysning: bool
    erstatning_ved_leverandoeraflysning: bool
    erstatningsfrist_dage: int
    iverksaettelsesfrist_dage: int | None
    # Schema v2's typed promises; absent in grants decided before them (the day fields rule).
    erstatningsfrist: Loefte | None = None
    aflysningsvarsel: Loefte | None = None
    forsinkelsestolerance: Loefte | None = None
    # The kommune's planning rules (weekdays, holidays, rhythm); None: the defaults.
    planlaegning: Planlaegningsregler | None = None
    # False: the standard keeps the indsats outside frit valg (§ 91), so only the
    # kommune's own provider delivers it, also after a switch. Kept in the grant because
    # a switch is judged by the rules the decision used.
    frit_valg: bool = True


@dataclass(frozen=True)
class Bevilling:
    bevilling_id: UUID
    anmodning_id: UUID
    indsats_kode: str
    indsats_navn: str
    kategori: str
    hyppighed: Hyppighed
    minutter_pr_besoeg: int
    leverandoer_id: str
    startdato: date
    slutdato: date | None
    # Serviceniveau must yield to need: a grant outside the catalogue's criteria carries
    # the individual reason (added later, with defaults). It describes the citizen's need,
    # so it is theirs (v4 of AfgoerelseTruffet, v2 of LeverandoerValgt/-Skiftet).
    individuel_begrundelse: Personoplysning | None = None
    leveringsregler: Leveringsregler | None = None


@dataclass(frozen=True)
class Udfald:
    anmodning_id: UUID
    resultat: str  # bevilget | delvist | afslag
    begrundelse: Personoplysning | None  # reasons that describe the citizen


@dataclass(frozen=True)
class Afgoerelse:
    afgoerelse_id: UUID
    truffet_dato: date
    udfald: tuple[Udfald, ...]
    bevillinger: tuple[Bevilling, ...]
    begrundelse: Personoplysning | None  # reasons that describe the citizen
    klagevejledning: str | None
    katalog_version: str | None = None  # set by the domain from the standard in force
    # Ældreloven: the one helhedspleje forløb (added later, with a default).
    helhedspleje: Helhedspleje | None = None


@dataclass(frozen=True)
class Klage:
    klage_id: UUID
    klagetype: str  # afgoerelse | levering
    afgoerelse_id: UUID | None
    modtaget_dato: date
    beskrivelse: Personoplysning
    for_sent: bool


@dataclass(frozen=True)
class Aendringsindberetning:
    """A provider's change report as it stands on the case: what the provider saw (sealed
    under the citizen's key, like all free text on the case) and the re-assessment task it
    opened. Built from RevurderingsopgaveOprettet; never stored as such."""

    opgave_id: UUID
    leverandoer_id: str
    observeret_dato: date
    indberettet_dato: date
    beskrivelse: Personoplysning
    omraader: tuple[str, ...]


VALUE_TYPES = (
    Helhedspleje,
    Anmodning,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
    Loefte,
    Planlaegningsregler,
    Leveringsregler,
    Bevilling,
    Udfald,
    Afgoerelse,
    Klage,
    # The provider register's snapshot in its events (leverandoerregister.py).
    Godkendelse,
    GodkendtLeverandoer,
)
