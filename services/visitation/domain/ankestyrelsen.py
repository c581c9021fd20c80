"""A complaint the municipality upheld (genvurdering: fastholdt) goes to Ankestyrelsen,
whose outcome is recorded on the case and acted on (Retssikkerhedsloven §§ 66-68).

stadfæstet: the decision stands. ændret / ophævet / hjemvist: the municipality must make a
new decision (for hjemvist: a new assessment of the case), so the case is reopened for one.
afvist: Ankestyrelsen did not take the complaint up (e.g. too late); the decision stands.
A genvurdering with medhold reopens the case the same way.

Event classes live here and are stored under this module's topic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning

if TYPE_CHECKING:
    from services.visitation.domain.klagesag import Klagesag
    from services.visitation.domain.values import Afgoerelse

ANKEUDFALD = frozenset({"stadfaestet", "aendret", "hjemvist", "ophaevet", "afvist"})
#: Outcomes after which the municipality makes a new decision.
GENOPTAGER = frozenset({"aendret", "hjemvist", "ophaevet"})


def kraev_anke_gyldig(
    genvurdering_udfald: str | None,
    genvurderet: date | None,
    allerede: bool,
    dato: date,
    udfald: str,
    begrundelse: str,
) -> None:
    """Ankestyrelsen's outcome on a complaint the municipality upheld (a complaint on the
    case before the cut, or a Klagesag since: klagesag.py)."""
    if genvurdering_udfald != "fastholdt" or genvurderet is None:
        raise DomainRuleViolation(
            "anke-kraever-fastholdt-klage",
            "Kun en klage, som kommunen har fastholdt ved genvurderingen, behandles af "
            "Ankestyrelsen.",
            "Only a complaint the municipality upheld on reconsideration goes to Ankestyrelsen.",
        )
    if allerede:
        raise DomainRuleViolation(
            "anke-allerede-afgjort",
            "Ankestyrelsens afgørelse i klagen er allerede registreret.",
            "Ankestyrelsen's decision on this complaint is already recorded.",
        )
    if udfald not in ANKEUDFALD:
        raise DomainRuleViolation(
            "ukendt-ankeudfald",
            f"Udfaldet {udfald!r} findes ikke.",
            f"Unknown outcome {udfald!r}.",
        )
    if dato < genvurderet or not begrundelse.strip():
        raise DomainRuleViolation(
            "anke-ugyldig",
            "Ankestyrelsens afgørelse skal have en begrundelse og kan ikke ligge før "
            "genvurderingen.",
            "Ankestyrelsen's decision needs a reason and cannot predate the reconsideration.",
        )


class Ankedel(Aggregate):
    """Sag calls `_init_anke` from its creation. Holds the outcomes of complaints filed on
    the case before complaints became aggregates of their own (klagesag.py)."""

    if TYPE_CHECKING:
        borger_id: UUID
        afgoerelser: list[Afgoerelse]
        genvurderet: dict[UUID, date]
        genvurdering_udfald: dict[UUID, str]

    class AnkestyrelsensAfgoerelseRegistreret(Aggregate.Event):
        klage_id: UUID
        dato: date
        udfald: str
        begrundelse: Personoplysning  # Ankestyrelsen's reasons describe the citizen
        aktoer: Aktoer
        occurred_at: datetime

    def _init_anke(self) -> None:
        #: klage_id -> (date, outcome)
        self.ankeafgoerelser: dict[UUID, tuple[date, str]] = {}

    @property
    def genoptagelser(self) -> int:
        """How many times a complaint reopened the case for a new decision."""
        medhold = sum(1 for u in self.genvurdering_udfald.values() if u == "medhold")
        return medhold + sum(1 for _, u in self.ankeafgoerelser.values() if u in GENOPTAGER)

    @property
    def kan_traeffe_ny_afgoerelse(self) -> bool:
        """The first decision, or one more after each reopening (of the case's own
        complaints; `kan_afgoere` counts the Klagesager too)."""
        return self.kan_afgoere()

    def kan_afgoere(self, klagesager: Iterable[Klagesag] = ()) -> bool:
        """As above, with the reopenings of the complaints filed since the cut."""
        return len(self.afgoerelser) <= self.genoptagelser + sum(k.genoptager for k in klagesager)

    def registrer_ankestyrelsens_afgoerelse(
        self,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        kraev_anke_gyldig(
            self.genvurdering_udfald.get(klage_id),
            self.genvurderet.get(klage_id),
            klage_id in self.ankeafgoerelser,
            dato,
            udfald,
            begrundelse,
        )
        self._ankestyrelsens_afgoerelse_registreret(
            klage_id,
            dato,
            udfald,
            Personoplysning.af(self.borger_id, begrundelse),
            aktoer,
            occurred_at,
        )

    @event(AnkestyrelsensAfgoerelseRegistreret)
    def _ankestyrelsens_afgoerelse_registreret(
        self,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.ankeafgoerelser[klage_id] = (dato, udfald)
