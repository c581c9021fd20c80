"""A kommune's planning rules for one category of help (kvalitetsstandard, issue 16).

Shared by visitation (which reads them from the catalogue and copies them into the grant)
and the provider (which keeps them with the order and plans visits by them). The defaults
of `standard_planlaegning` are the planner's behaviour before the rules were data, so an
order without rules (older grants, a standard that names none) plans exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from shared.kernel.errors import DomainRuleViolation

#: Weekday names as the catalogue and the public contract write them (index = weekday()).
UGEDAG_NAVNE = ("man", "tir", "ons", "tor", "fre", "loer", "soen")
Ugedag = Literal["man", "tir", "ons", "tor", "fre", "loer", "soen"]
#: What happens to a visit the rhythm puts on a holiday or on a day outside `ugedage`.
DAGSHAANDTERINGER = (
    "flyt_til_forrige_hverdag",
    "flyt_til_naeste_hverdag",
    "udelad",
    "planlaeg_alligevel",
)
Dagshaandtering = Literal[
    "flyt_til_forrige_hverdag", "flyt_til_naeste_hverdag", "udelad", "planlaeg_alligevel"
]
#: Where a fixed rhythm (every other week) counts from.
RYTME_ANKRE = ("bevillingens_startdato", "foerste_hverdag")
RytmeAnker = Literal["bevillingens_startdato", "foerste_hverdag"]

ALLE_UGEDAGE = (0, 1, 2, 3, 4, 5, 6)
#: Categories whose visits moved off a public holiday before the rules were data.
FLYTTES_FRA_HELLIGDAG = frozenset({"praktisk", "rehabilitering"})


@dataclass(frozen=True, slots=True)
class Planlaegningsregler:
    """How visits of one grant may be placed in the calendar.

    `ugedage`: the weekdays (0 = Monday) a visit may be planned on; never violated.
    `uden_for_ugedage`: a visit the rhythm puts on another weekday moves to the previous or
    next hverdag, or is left out ("weekend" for a Monday-to-Friday category). Planning it
    anyway would break `ugedage`, so that is refused.
    `helligdage`: a visit the rhythm puts on a public holiday.
    `rytme_anker`: an every-other-week rhythm counts from the order's start date, or from
    the first hverdag on or after it (an order after a provider switch starts on the 1st
    of a month, which may be a Sunday).
    A hverdag is a day in `ugedage`, Monday to Friday, that is not a holiday (unless
    holidays are planned anyway); if `ugedage` has no day Monday to Friday, any of its days.
    """

    ugedage: tuple[int, ...] = ALLE_UGEDAGE
    uden_for_ugedage: Dagshaandtering = "flyt_til_naeste_hverdag"
    helligdage: Dagshaandtering = "planlaeg_alligevel"
    rytme_anker: RytmeAnker = "bevillingens_startdato"

    def __post_init__(self) -> None:
        if (
            not self.ugedage
            or len(set(self.ugedage)) != len(self.ugedage)
            or any(d not in ALLE_UGEDAGE for d in self.ugedage)
            or self.uden_for_ugedage not in DAGSHAANDTERINGER[:3]
            or self.helligdage not in DAGSHAANDTERINGER
            or self.rytme_anker not in RYTME_ANKRE
        ):
            raise DomainRuleViolation(
                "ugyldige-planlaegningsregler",
                "Planlægningsregler skal nævne mindst én ugedag (hver højst én gang) og kendte "
                "regler for dage uden for ugedagene, helligdage og rytmens anker.",
                "Planning rules need at least one weekday (each at most once) and known "
                "rules for days outside the weekdays, holidays and the rhythm's anchor.",
            )

    @classmethod
    def fra_navne(
        cls,
        ugedage: Sequence[str],
        uden_for_ugedage: str,
        helligdage: str,
        rytme_anker: str,
    ) -> Planlaegningsregler:
        """From the catalogue's and the contract's weekday names ("man" ... "soen")."""
        if any(n not in UGEDAG_NAVNE for n in ugedage):
            raise DomainRuleViolation(
                "ukendt-ugedag",
                f"Ukendte ugedage: {sorted(set(ugedage) - set(UGEDAG_NAVNE))}.",
                f"Unknown weekdays: {sorted(set(ugedage) - set(UGEDAG_NAVNE))}.",
            )
        return cls(
            tuple(sorted(UGEDAG_NAVNE.index(n) for n in ugedage)),
            uden_for_ugedage,  # type: ignore[arg-type]  # checked in __post_init__
            helligdage,  # type: ignore[arg-type]
            rytme_anker,  # type: ignore[arg-type]
        )

    @property
    def ugedag_navne(self) -> list[str]:
        return [UGEDAG_NAVNE[d] for d in self.ugedage]


def standard_planlaegning(kategori: str | None) -> Planlaegningsregler:
    """The rules an order without rules plans by: every day; practical help and
    rehabilitation move off a holiday to the next hverdag, care and meals stay."""
    if kategori in FLYTTES_FRA_HELLIGDAG:
        return Planlaegningsregler(helligdage="flyt_til_naeste_hverdag")
    return Planlaegningsregler()
