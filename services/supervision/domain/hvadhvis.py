"""Service-level what-if: what a catalogue change does to yearly visits, hours and cost.

The budget question ("what can be skrues på"): take the grants active now, apply a change to
the ones it concerns (cleaning every 14 -> 21 days, bath once instead of twice a week, fewer
minutes per visit) and compare yearly visits, hours and cost at given hourly rates with the
current figures. Pure arithmetic over the grants: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.supervision.domain.tilsynstal_tal import Periode

#: A year is 365.25 / 7 weeks, so 52.18 weekly visits and 26.09 fortnightly ones.
UGER_PR_AAR = 365.25 / 7


@dataclass(frozen=True)
class Bevilget:
    """One active grant as the what-if needs it, of any kind (a helhedspleje forløb under
    its code AEL10: its frame over the provider's spread of visits)."""

    indsats_kode: str
    kategori: str
    besoeg_pr_uge: float
    minutter_pr_besoeg: float


@dataclass(frozen=True)
class Aendring:
    """A catalogue change. Which grants: matching `indsats_kode` and/or `kategori` (and
    optionally only those now given at `kun_besoeg_pr_uge`); what changes: a new frequency
    (`besoeg_pr_uge`, or every `interval_dage` days) and/or `minutter_pr_besoeg`."""

    indsats_kode: str | None = None
    kategori: str | None = None
    kun_besoeg_pr_uge: float | None = None
    besoeg_pr_uge: float | None = None
    interval_dage: int | None = None
    minutter_pr_besoeg: int | None = None

    def gaelder(self, b: Bevilget) -> bool:
        return (
            self.indsats_kode in (None, b.indsats_kode)
            and self.kategori in (None, b.kategori)
            and (
                self.kun_besoeg_pr_uge is None
                or abs(self.kun_besoeg_pr_uge - b.besoeg_pr_uge) < 1e-9
            )
        )

    def anvend(self, b: Bevilget) -> Bevilget:
        pr_uge = b.besoeg_pr_uge
        if self.besoeg_pr_uge is not None:
            pr_uge = self.besoeg_pr_uge
        elif self.interval_dage is not None:
            pr_uge = 7 / self.interval_dage
        minutter = self.minutter_pr_besoeg or b.minutter_pr_besoeg
        return Bevilget(b.indsats_kode, b.kategori, pr_uge, minutter)


def fra_perioder(perioder: list[Periode]) -> list[Bevilget]:
    return [
        Bevilget(p.indsats_kode, p.kategori, p.besoeg_pr_uge, p.minutter_pr_besoeg)
        for p in perioder
    ]


@dataclass
class Aarstal:
    besoeg: float = 0.0
    timer: float = 0.0
    kroner: float = 0.0

    def tilfoej(self, b: Bevilget, timepris: float) -> None:
        besoeg = b.besoeg_pr_uge * UGER_PR_AAR
        timer = besoeg * b.minutter_pr_besoeg / 60
        self.besoeg += besoeg
        self.timer += timer
        self.kroner += timer * timepris

    def som_dict(self) -> dict[str, float]:
        return {
            "besoeg": round(self.besoeg, 1),
            "timer": round(self.timer, 1),
            "kroner": round(self.kroner),
        }


def _forskel(nu: Aarstal, efter: Aarstal) -> dict[str, float]:
    return Aarstal(
        efter.besoeg - nu.besoeg, efter.timer - nu.timer, efter.kroner - nu.kroner
    ).som_dict()


def hvad_hvis(
    bevillinger: list[Bevilget],
    aendringer: list[Aendring],
    timepriser: dict[str, float],
    standard_timepris: float,
) -> dict[str, Any]:
    """Yearly visits, hours and cost per indsats and in total, now and after the changes.

    The first change that concerns a grant applies to it. Rates are per hour, by indsats
    code or category (code first), else the standard rate.
    """
    nu: dict[str, Aarstal] = {}
    efter: dict[str, Aarstal] = {}
    antal: dict[str, int] = {}
    for b in bevillinger:
        pris = timepriser.get(b.indsats_kode, timepriser.get(b.kategori, standard_timepris))
        aendret = next((a.anvend(b) for a in aendringer if a.gaelder(b)), b)
        nu.setdefault(b.indsats_kode, Aarstal()).tilfoej(b, pris)
        efter.setdefault(b.indsats_kode, Aarstal()).tilfoej(aendret, pris)
        antal[b.indsats_kode] = antal.get(b.indsats_kode, 0) + 1
    i_alt_nu, i_alt_efter = Aarstal(), Aarstal()
    for kode in nu:
        for total, del_ in ((i_alt_nu, nu[kode]), (i_alt_efter, efter[kode])):
            total.besoeg += del_.besoeg
            total.timer += del_.timer
            total.kroner += del_.kroner
    return {
        "aktive_bevillinger": len(bevillinger),
        "indsatser": {
            kode: {
                "bevillinger": antal[kode],
                "nu": nu[kode].som_dict(),
                "efter": efter[kode].som_dict(),
                "forskel": _forskel(nu[kode], efter[kode]),
            }
            for kode in sorted(nu)
        },
        "i_alt": {
            "nu": i_alt_nu.som_dict(),
            "efter": i_alt_efter.som_dict(),
            "forskel": _forskel(i_alt_nu, i_alt_efter),
        },
    }
