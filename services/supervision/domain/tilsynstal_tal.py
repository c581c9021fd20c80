"""The figures tilsynstal keeps per provider and month, per visit and per replacement.

Split from the fold (`tilsynstal.py`) so each stays readable. Counters that only ever grow
are updated while folding; figures that depend on a visit's *latest* status (planned, paused,
ended, missing) or on a replacement's outcome are derived once, in `resultat()`, from the
per-visit records, so a later event (a resumption, a late delivery) simply changes the record.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# Visits per week for each frequency unit: the shared definition, re-exported.
from shared.contracts.bevilget_tid import BESOEG_PR_UGE as BESOEG_PR_UGE
from shared.contracts.bevilget_tid import Pauser, bevilgede_dage


def _andel(del_: float, helhed: float) -> float | None:
    return round(del_ / helhed, 3) if helhed else None


def _tael(taeller: dict[str, int], noegle: str) -> None:
    taeller[noegle] = taeller.get(noegle, 0) + 1


@dataclass(slots=True)
class Besoeg:
    """One visit as tilsyn knows it: where it counts and its latest status."""

    leverandoer_id: str
    maaned: str
    dato: str  # ISO date ("" when only known from a delivery before its plan)
    minutter: int
    #: planlagt, leveret, aflyst, forgaeves, pauset, afsluttet
    status: str = "planlagt"
    planlagt: bool = False  # its plan (BesoegPlanlagt) was seen
    erstatning: bool = False  # a replacement visit (counted under the replaced visit)


@dataclass(slots=True)
class Erstatning:
    """A replacement owed for (or planned for) a visit that did not happen."""

    leverandoer_id: str
    maaned: str
    frist: str | None = None
    planlagt: bool = False
    leveret_dag: str | None = None
    svigtet: bool = False

    def udfald(self) -> str:
        """inden_frist, efter_frist, svigtet or aaben: delivered on or before the deadline."""
        if self.leveret_dag is not None:
            return "inden_frist" if self.frist and self.leveret_dag <= self.frist else "efter_frist"
        return "svigtet" if self.svigtet else "aaben"


@dataclass
class Maanedstal:
    leverede_besoeg: int = 0
    leverede_minutter: int = 0
    #: planned minutes of the visits that were delivered, cancelled or came to nothing
    afviklede_planlagte_minutter: int = 0
    #: per who cancelled ("borger", "leverandoer"): how many "rettidig" and "for_sent"
    aflysninger: dict[str, dict[str, int]] = field(default_factory=dict)
    aflysninger_for_sent: int = 0
    forgaeves: dict[str, int] = field(default_factory=dict)
    erstatning_skyldt: int = 0
    iverksat_inden_frist: int = 0
    iverksat_efter_frist: int = 0
    klager: dict[str, int] = field(default_factory=dict)
    klageudfald: dict[str, int] = field(default_factory=dict)
    aendringsindberetninger: int = 0


@dataclass
class Afledt:
    """Per provider and month, derived from the visit and replacement records."""

    planlagte_besoeg: int = 0
    planlagte_minutter: int = 0
    pauset: int = 0
    afsluttet: int = 0
    manglende: int = 0
    erstatning: dict[str, int] = field(default_factory=dict)
    #: citizen -> helper -> deliveries
    hjaelpere: dict[str, dict[str, int]] = field(default_factory=dict)


def _faste_hjaelpere(pr_borger: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Share of deliveries made by each citizen's most frequent helper, and helpers per
    citizen (how many different people came)."""
    antal = sorted(len(h) for h in pr_borger.values())
    leverancer = sum(sum(h.values()) for h in pr_borger.values())
    fast = sum(max(h.values()) for h in pr_borger.values())
    return {
        "borgere": len(antal),
        "fast_hjaelper_andel": _andel(fast, leverancer),
        "hjaelpere_pr_borger": {
            "median": antal[len(antal) // 2] if antal else None,
            "max": antal[-1] if antal else None,
            "gennemsnit": round(sum(antal) / len(antal), 2) if antal else None,
        },
    }


def maaned_som_dict(
    tal: Maanedstal, afledt: Afledt, bevilget_besoeg: float, bevilget_minutter: float
) -> dict[str, Any]:
    iverksat = tal.iverksat_inden_frist + tal.iverksat_efter_frist
    udfald = afledt.erstatning
    inden, efter, svigtet = (udfald.get(k, 0) for k in ("inden_frist", "efter_frist", "svigtet"))
    return {
        "bevilgede_besoeg": round(bevilget_besoeg, 1),
        "bevilgede_minutter": round(bevilget_minutter, 1),
        "planlagte_besoeg": afledt.planlagte_besoeg,
        "planlagte_minutter": afledt.planlagte_minutter,
        "leverede_besoeg": tal.leverede_besoeg,
        "leverede_minutter": tal.leverede_minutter,
        "leveret_af_bevilget": _andel(tal.leverede_minutter, bevilget_minutter),
        "leveret_af_afviklet_planlagt": _andel(
            tal.leverede_minutter, tal.afviklede_planlagte_minutter
        ),
        "pauset": afledt.pauset,
        "afsluttet_uden_levering": afledt.afsluttet,
        "manglende": afledt.manglende,
        "forgaeves": dict(sorted(tal.forgaeves.items())),
        "aflysninger": {k: dict(sorted(v.items())) for k, v in sorted(tal.aflysninger.items())},
        "aflysninger_for_sent": tal.aflysninger_for_sent,
        "erstatning": {
            "skyldt": tal.erstatning_skyldt,
            "planlagt": udfald.get("planlagt", 0),
            "leveret_inden_frist": inden,
            "leveret_efter_frist": efter,
            "svigtet": svigtet,
            "aabne": udfald.get("aaben", 0),
            # Of the replacements whose outcome is known: delivered on or before the deadline.
            "inden_frist_andel": _andel(inden, inden + efter + svigtet),
        },
        "iverksaettelse": {
            "inden_frist": tal.iverksat_inden_frist,
            "efter_frist": tal.iverksat_efter_frist,
            "overholdt_andel": _andel(tal.iverksat_inden_frist, iverksat),
        },
        "faste_hjaelpere": _faste_hjaelpere(afledt.hjaelpere),
        "klager": dict(sorted(tal.klager.items())),
        "klageudfald": dict(sorted(tal.klageudfald.items())),
        "aendringsindberetninger": tal.aendringsindberetninger,
    }


@dataclass
class Frister:
    """Visitation's legal clocks in one month (municipality level)."""

    afgoerelser: int = 0
    dage_til_afgoerelse: list[int] = field(default_factory=list)
    kvitteringer: int = 0
    dage_til_kvittering: list[int] = field(default_factory=list)
    klager_rettidige: int = 0
    klager_for_sent: int = 0
    klageudfald: dict[str, int] = field(default_factory=dict)
    overskredet: dict[str, int] = field(default_factory=dict)

    def som_dict(self, overholdt: dict[str, int]) -> dict[str, Any]:
        return {
            "afgoerelser": self.afgoerelser,
            "dage_fra_ansoegning_til_afgoerelse": _median_max(self.dage_til_afgoerelse),
            "kvitteringer": self.kvitteringer,
            "dage_fra_ansoegning_til_kvittering": _median_max(self.dage_til_kvittering),
            "klager_indgivet_rettidigt": self.klager_rettidige,
            "klager_indgivet_for_sent": self.klager_for_sent,
            "klageudfald": dict(sorted(self.klageudfald.items())),
            # Deadlines that passed unmet (FristOverskredet), by the month of the deadline,
            # and the clocks met: a receipt, decision or genvurdering in a case where that
            # type of deadline was never reported missed.
            "frister_overskredet": dict(sorted(self.overskredet.items())),
            "frister_overholdt": dict(sorted(overholdt.items())),
            "revurderinger_overskredet": self.overskredet.get("revurdering", 0)
            + self.overskredet.get("revurderingsopgave", 0),
        }


def _median_max(dage: list[int]) -> dict[str, int | None]:
    s = sorted(dage)
    return {"median": s[len(s) // 2] if s else None, "max": s[-1] if s else None}


@dataclass
class Periode:
    """A grant's period with one provider (a switch closes one and opens the next), of any
    kind of grant: its time is `shared.contracts.bevilget_tid`'s (a helhedspleje forløb's
    minutes per visit are its frame over the provider's spread, so not whole minutes).
    `pauser` are the pauses (indlæggelse) of the provider's order for the grant: its paused
    days are not granted (bevilget_tid.Pauser)."""

    leverandoer_id: str
    fra: date
    til: date | None
    besoeg_pr_uge: float
    minutter_pr_besoeg: float
    indsats_kode: str = ""
    kategori: str = ""
    hyppighed: dict[str, Any] = field(default_factory=dict)
    pauser: Pauser | None = None


def bevilget_pr_maaned(
    alle_perioder: Iterable[list[Periode]], seneste_maaned: str
) -> dict[tuple[str, str], tuple[float, float]]:
    """Granted visits and minutes per (provider, month) up to the latest month seen, the
    days the provider's order was paused left out (the one definition, bevilget_tid)."""
    if not seneste_maaned:
        return {}
    year, month = map(int, seneste_maaned.split("-"))
    horisont = date(year, month, calendar.monthrange(year, month)[1])
    bevilget: dict[tuple[str, str], tuple[float, float]] = {}
    for perioder in alle_perioder:
        for p in perioder:
            slut = min(p.til or horisont, horisont)
            dag = p.fra
            while dag <= slut:  # saturating: a period ending at date.max stops there
                maanedsslut = date(dag.year, dag.month, calendar.monthrange(dag.year, dag.month)[1])
                dage = bevilgede_dage(dag, min(maanedsslut, slut), p.pauser)
                besoeg = p.besoeg_pr_uge * dage / 7
                key = (p.leverandoer_id, dag.isoformat()[:7])
                b, m = bevilget.get(key, (0.0, 0.0))
                bevilget[key] = (b + besoeg, m + besoeg * p.minutter_pr_besoeg)
                if maanedsslut == date.max:
                    break
                dag = maanedsslut + timedelta(days=1)
    return bevilget
