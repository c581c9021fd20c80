"""One complaint about a case (Klagesag): its filing, the municipality's reconsideration
(genvurdering, Retssikkerhedsloven § 66) and Ankestyrelsen's outcome (§ 68).

Why apart from the case: a complaint's steps touch only the complaint, and § 90 delivery
complaints come as long as help is delivered; on the case every one of them was replayed by
every later command. What a complaint needs of the case it reads when it is filed:
a decision must exist (the complaint names it), and whether the klagefrist has passed
(from the decision's notice, on the case). The case is read, not written: its version is
not bumped, so a complaint never makes a visitator's command on the case lose a race.

What the case needs of its complaints: the number of reopenings (medhold, or Ankestyrelsen
changing, quashing or sending back the decision) allows the next decision. The decision
reads the case's complaints when it is made (`Sag.traef_afgoerelse(klagesager=...)`); the
count only grows, so a stale read can only refuse a decision, never allow a second one, and
two decisions still race on the case itself (docs/scaling.md, section 8).

A case's complaints are numbered 1, 2, 3 ... and a complaint's id derives from the case and
its number, so the case's complaints are found without an index: the application looks
them up in order until one is missing. Complaints filed before the cut live in the case's
own history (Sag's classes replay them) and are reconsidered there.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.domain import rules
from services.visitation.domain.ankestyrelsen import GENOPTAGER, kraev_anke_gyldig
from services.visitation.domain.kalender import STANDARDKALENDER, Arbejdskalender
from services.visitation.domain.meddelelse import KLAGEFRIST_UGER
from services.visitation.domain.values import Klage
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning

if TYPE_CHECKING:
    from services.visitation.domain.sag import Sag

KLAGE_NAMESPACE = UUID("5d7e8f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f")


def klage_id(sag_id: UUID, nr: int) -> UUID:
    """The id of the case's complaint number `nr` (1, 2, 3 ...)."""
    return uuid.uuid5(KLAGE_NAMESPACE, f"klage/{sag_id}/{nr}")


class Klagesag(Aggregate):
    class KlageOprettet(Aggregate.Created):
        sag_id: UUID
        borger_id: UUID
        klage: Klage
        aktoer: Aktoer
        occurred_at: datetime

    class KlageGenvurderet(Aggregate.Event):
        sag_id: UUID
        klage_id: UUID
        dato: date
        udfald: str  # medhold | fastholdt (fastholdt includes partly upheld)
        begrundelse: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    class AnkestyrelsensAfgoerelseRegistreret(Aggregate.Event):
        sag_id: UUID
        klage_id: UUID
        dato: date
        udfald: str
        begrundelse: Personoplysning  # Ankestyrelsen's reasons describe the citizen
        aktoer: Aktoer
        occurred_at: datetime

    @staticmethod
    def create_id(klage: Klage) -> UUID:
        return klage.klage_id

    @event(KlageOprettet)
    def __init__(
        self, sag_id: UUID, borger_id: UUID, klage: Klage, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.sag_id = sag_id
        self.borger_id = borger_id
        self.klage = klage
        #: (date, outcome) of the reconsideration, and of Ankestyrelsen's decision
        self.genvurdering: tuple[date, str] | None = None
        self.ankeafgoerelse: tuple[date, str] | None = None

    @property
    def genoptager(self) -> int:
        """How many times this complaint reopened the case for a new decision (0-2)."""
        medhold = self.genvurdering is not None and self.genvurdering[1] == "medhold"
        anke = self.ankeafgoerelse is not None and self.ankeafgoerelse[1] in GENOPTAGER
        return int(medhold) + int(anke)

    # -- commands ------------------------------------------------------------------
    def genvurder(
        self, dato: date, udfald: str, begrundelse: str, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        rules.genvurdering_gyldig(self.klage, self.genvurdering is not None, dato, begrundelse)
        self._klage_genvurderet(
            self.sag_id,
            self.id,
            dato,
            udfald,
            Personoplysning.af(self.borger_id, begrundelse),
            aktoer,
            occurred_at,
        )

    def registrer_ankestyrelsens_afgoerelse(
        self, dato: date, udfald: str, begrundelse: str, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        kraev_anke_gyldig(
            None if self.genvurdering is None else self.genvurdering[1],
            None if self.genvurdering is None else self.genvurdering[0],
            self.ankeafgoerelse is not None,
            dato,
            udfald,
            begrundelse,
        )
        self._ankestyrelsens_afgoerelse_registreret(
            self.sag_id,
            self.id,
            dato,
            udfald,
            Personoplysning.af(self.borger_id, begrundelse),
            aktoer,
            occurred_at,
        )

    # -- events ----------------------------------------------------------------------
    @event(KlageGenvurderet)
    def _klage_genvurderet(
        self,
        sag_id: UUID,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.genvurdering = (dato, udfald)

    @event(AnkestyrelsensAfgoerelseRegistreret)
    def _ankestyrelsens_afgoerelse_registreret(
        self,
        sag_id: UUID,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.ankeafgoerelse = (dato, udfald)


def ny_klage(
    sag: Sag,
    nr: int,
    klagetype: str,
    modtaget_dato: date,
    beskrivelse: str,
    aktoer: Aktoer,
    occurred_at: datetime,
    klagefrist_uger: int = KLAGEFRIST_UGER,
    kalender: Arbejdskalender = STANDARDKALENDER,
) -> Klagesag:
    """The case's complaint number `nr`, against its latest decision. A complaint is late
    after the klagefrist, counted from when the decision reached the citizen if recorded
    (else its date), in the kommune's calendar; late complaints are recorded, flagged."""
    if not sag.afgoerelser:
        raise DomainRuleViolation(
            "klage-uden-afgoerelse",
            "Der kan først klages, når der er truffet afgørelse i sagen.",
            "A complaint needs a decision to complain about.",
        )
    if not beskrivelse.strip():
        raise DomainRuleViolation(
            "klage-uden-beskrivelse",
            "Klagen skal beskrive, hvad der klages over.",
            "The complaint must say what it is about.",
        )
    seneste = sag.afgoerelser[-1]
    klage = Klage(
        klage_id=klage_id(sag.id, nr),
        klagetype=klagetype,
        afgoerelse_id=seneste.afgoerelse_id if klagetype == "afgoerelse" else None,
        modtaget_dato=modtaget_dato,
        beskrivelse=Personoplysning.af(sag.borger_id, beskrivelse),
        for_sent=klagetype == "afgoerelse"
        and modtaget_dato > sag.klagefrist(seneste, klagefrist_uger, kalender),
    )
    return Klagesag(sag.id, sag.borger_id, klage, aktoer, occurred_at)
