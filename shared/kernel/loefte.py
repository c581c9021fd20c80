"""A kommune's promise as a typed duration (kvalitetsstandard schema v2, issue 16).

Shared by visitation (which reads it from the catalogue and copies it into the grant) and
the provider (which keeps it with the order and counts deadlines with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared.kernel.errors import DomainRuleViolation

ENHEDER = ("timer", "kalenderdage", "arbejdsdage")
Enhed = Literal["timer", "kalenderdage", "arbejdsdage"]


@dataclass(frozen=True, slots=True)
class Loefte:
    """A kommune's promise as a typed duration: "inden for 1 time" (personlig pleje's
    tolerance for a late visit), "48 timer før" (a citizen's cancellation notice), "inden
    8 dage" or "inden 2 arbejdsdage". Whole calendar days alone cannot say the first two,
    and counting calendar days turns "a Friday + 2" into a Sunday."""

    vaerdi: int
    enhed: Enhed = "kalenderdage"

    def __post_init__(self) -> None:
        if self.enhed not in ENHEDER or self.vaerdi < 0:
            raise DomainRuleViolation(
                "ugyldigt-loefte",
                "Et løfte er et ikke-negativt antal timer, kalenderdage eller arbejdsdage.",
                "A promise is a non-negative number of hours, calendar days or working days.",
            )

    @classmethod
    def fra_dage(cls, dage: int) -> Loefte:
        """The old integer form: calendar days, as every catalogue before schema v2."""
        return cls(dage, "kalenderdage")
