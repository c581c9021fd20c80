"""A kommune's own closed days beyond weekends and public holidays (kommune.yaml's
`lukkedage`), as the value both services keep: visitation copies it into a grant's delivery
rules when it decides, and the provider counts its working-day deadlines with it.

Default none: 24 and 31 December are working days unless the kommune says otherwise (as in
Herlev). Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Lukkedage:
    #: Every year on this day, as "MM-DD" ("12-24").
    aarlige: tuple[str, ...] = ()
    #: Single closed days.
    datoer: tuple[date, ...] = ()

    def lukket(self, d: date) -> bool:
        return f"{d.month:02d}-{d.day:02d}" in self.aarlige or d in self.datoer

    @property
    def tom(self) -> bool:
        return not self.aarlige and not self.datoer
