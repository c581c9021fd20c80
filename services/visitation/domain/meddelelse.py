"""When a decision reached the citizen, and how (digital post, letter, in person).

The klagefrist runs from the day the citizen received the decision (Retssikkerhedsloven
§ 67, stk. 1: "4 uger efter, at klageren har fået meddelelse om afgørelsen"); until that day
is recorded, the decision date stands in for it, as before. Event classes live here and are
stored under this module's topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from services.visitation.domain.kalender import STANDARDKALENDER, Arbejdskalender
from shared.kernel import Aktoer, DomainRuleViolation

if TYPE_CHECKING:
    from services.visitation.domain.values import Afgoerelse

#: digital_post: Digital Post (e-Boks/mit.dk); brev: by letter; personligt: handed over.
MEDDELELSESKANALER = frozenset({"digital_post", "brev", "personligt"})
KANAL_TEKST = {"digital_post": "Digital Post", "brev": "brev", "personligt": "personligt"}
KLAGEFRIST_UGER = 4  # Retssikkerhedsloven § 67, stk. 1, when no standard says otherwise
_DANMARK = ZoneInfo("Europe/Copenhagen")


@dataclass(frozen=True)
class Meddelelse:
    afgoerelse_id: UUID
    meddelt_dato: date
    kanal: str
    klagefrist: date  # fixed when recorded: a later calendar change does not move it


class Meddelelsesdel(Aggregate):
    """Sag calls `_init_meddelelse` from its creation."""

    if TYPE_CHECKING:
        borger_id: UUID
        afgoerelser: list[Afgoerelse]

    class AfgoerelseMeddelt(Aggregate.Event):
        afgoerelse_id: UUID
        meddelt_dato: date
        kanal: str
        klagefrist: date
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    def _init_meddelelse(self) -> None:
        self.meddelelser: dict[UUID, Meddelelse] = {}

    def meddel_afgoerelse(
        self,
        afgoerelse_id: UUID,
        meddelt_dato: date,
        kanal: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        klagefrist_uger: int = KLAGEFRIST_UGER,
        kalender: Arbejdskalender = STANDARDKALENDER,
    ) -> Meddelelse:
        """Record that the decision reached the citizen, with the klagefrist it starts
        (`klagefrist_uger` of the decision's standard, in the kommune's calendar). The same
        notice again is a no-op (a retried request); a different one is refused: the first
        notice starts the klagefrist, and moving it would change a deadline already running."""
        afgoerelse = next((a for a in self.afgoerelser if a.afgoerelse_id == afgoerelse_id), None)
        if afgoerelse is None:
            raise DomainRuleViolation(
                "afgoerelse-findes-ikke",
                "Sagen har ingen afgørelse med dette id.",
                "The case has no decision with this id.",
            )
        if kanal not in MEDDELELSESKANALER:
            raise DomainRuleViolation(
                "meddelelseskanal-ukendt",
                f"Ukendt kanal {kanal!r}; brug {', '.join(sorted(MEDDELELSESKANALER))}.",
                f"Unknown channel {kanal!r}; use {', '.join(sorted(MEDDELELSESKANALER))}.",
            )
        if meddelt_dato < afgoerelse.truffet_dato:
            raise DomainRuleViolation(
                "meddelt-foer-afgoerelse",
                "Afgørelsen kan ikke være meddelt, før den blev truffet.",
                "A decision cannot reach the citizen before it was made.",
            )
        if meddelt_dato > occurred_at.astimezone(_DANMARK).date():
            raise DomainRuleViolation(
                "meddelt-i-fremtiden",
                "Meddelelsesdatoen ligger i fremtiden.",
                "The notification date is in the future.",
            )
        frist = kalender.plus_uger(meddelt_dato, klagefrist_uger)
        tidligere = self.meddelelser.get(afgoerelse_id)
        if tidligere is not None and (tidligere.meddelt_dato, tidligere.kanal) == (
            meddelt_dato,
            kanal,
        ):
            return tidligere
        if tidligere is not None:
            raise DomainRuleViolation(
                "afgoerelse-allerede-meddelt",
                f"Afgørelsen er allerede meddelt den {tidligere.meddelt_dato} ({tidligere.kanal}).",
                f"The decision was already notified on {tidligere.meddelt_dato} "
                f"({tidligere.kanal}).",
            )
        # The citizen's pseudonym and the deadline travel in the event: consumers need
        # them, and an event should be understandable without the aggregate's state.
        self._afgoerelse_meddelt(
            afgoerelse_id, meddelt_dato, kanal, frist, self.borger_id, aktoer, occurred_at
        )
        return self.meddelelser[afgoerelse_id]

    @event(AfgoerelseMeddelt)
    def _afgoerelse_meddelt(
        self,
        afgoerelse_id: UUID,
        meddelt_dato: date,
        kanal: str,
        klagefrist: date,
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.meddelelser[afgoerelse_id] = Meddelelse(afgoerelse_id, meddelt_dato, kanal, klagefrist)

    def klagefrist(
        self,
        afgoerelse: Afgoerelse,
        uger: int = KLAGEFRIST_UGER,
        kalender: Arbejdskalender = STANDARDKALENDER,
    ) -> date:
        """Last day to complain: as recorded with the notice, else `uger` weeks after the
        decision, on to the next working day."""
        m = self.meddelelser.get(afgoerelse.afgoerelse_id)
        if m is not None:
            return m.klagefrist
        return kalender.plus_uger(afgoerelse.truffet_dato, uger)
