"""Granted time (bevilget tid): the one definition of how much help a decision grants.

A decision (AfgoerelseTruffet) grants help in more than one kind: single services
(`bevillinger`, each a frequency times minutes per visit) and, under ældreloven § 10, one
helhedspleje forløb with a frame (hours per week, or a package level). Every figure that
speaks of granted time (tilsyn's granted minutes and leveringsgrad, the what-if, the
inspection sample, settlement) reads it from `bevilget_tid`, so a new kind of grant is
added here once and counts everywhere.

Each grant becomes one `BevilgetTid`: which provider, from when to when, the visits a week
the provider plans (`hyppighed`), and the granted minutes a week. For a single service the
minutes are its frequency times its minutes per visit; for a forløb they are its frame, and
the visits are the even spread the provider starts from (`helhedspleje_spredning`), so a
forløb's granted minutes per visit are the frame shared out over those visits.

Paused days do not count as granted. An order the provider pauses (indlæggelse: the
public `BesoegPauset` from a day, `BesoegGenoptaget` from the day the visits start again)
grants nothing on the days in between: the citizen is in hospital and the kommune does not
expect the help there. `Pauser` holds one order's pauses and `bevilget_i_perioden` counts a
grant's visits and minutes over a period without them; tilsyn's monthly granted minutes
(and with them the provider's share of granted delivered) and settlement's granted minutes
both count through it. A pause still open counts to the end of the period asked about.

Pure: no I/O, no clock. Takes the payload models or their JSON form (as supervision stores
them, where free text may be sealed: only ids, dates and numbers are read here).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Literal

from pydantic import BaseModel

from shared.contracts.visitation import AfgoerelseTruffetV1, BevillingV1, HelhedsplejeV1

#: Visits per week for each granted frequency unit.
BESOEG_PR_UGE = {"dag": 7.0, "uge": 1.0, "anden_uge": 0.5, "maaned": 12 / 52}

#: Hours per week a package level stands for where the decision gives no hours. The levels
#: are the kommune's (Sorø 2025 names lille / mellem / stor); these hours are illustrative
#: until a kommune's package definitions travel with the decision.
PAKKE_TIMER_PR_UGE = {"lille": 2.0, "mellem": 5.0, "stor": 10.0}

#: The indsats code and name a helhedspleje forløb is known by in orders and figures.
HELHEDSPLEJE_KODE = "AEL10"
HELHEDSPLEJE_NAVN = "Helhedspleje (ældreloven § 10)"
#: The category a forløb's order is planned and approved under (settlement gives it a
#: line of its own by its code, services/provider/domain/afregning.py).
HELHEDSPLEJE_KATEGORI: Final = "personlig"
#: Shortest visit the spread plans, and at most this many visits a day.
MINDSTE_BESOEG_MIN = 30
HOEJST_PR_DAG = 4

Art = Literal["enkeltydelse", "helhedspleje"]


@dataclass(frozen=True)
class BevilgetTid:
    """One grant's time with one provider."""

    art: Art
    bevilling_id: str  # a forløb's id for helhedspleje (its order has the same id)
    leverandoer_id: str
    indsats_kode: str
    kategori: str
    startdato: date
    slutdato: date | None
    #: the visits the provider plans: {"antal": n, "periode": "dag"|"uge"|...}; empty for
    #: a forløb whose frame names no hours
    hyppighed: dict[str, Any] = field(default_factory=dict)
    #: granted minutes per visit (a forløb: its frame over the spread's visits, not rounded)
    minutter_pr_besoeg: float = 0

    @property
    def besoeg_pr_uge(self) -> float:
        if not self.hyppighed:
            return 0.0
        return BESOEG_PR_UGE[self.hyppighed["periode"]] * int(self.hyppighed["antal"])

    @property
    def minutter_pr_uge(self) -> float:
        return self.besoeg_pr_uge * self.minutter_pr_besoeg

    def i_dage(self, dage: int) -> tuple[float, float]:
        """Granted visits and minutes over `dage` days of the grant (spread evenly)."""
        besoeg = self.besoeg_pr_uge * dage / 7
        return besoeg, besoeg * self.minutter_pr_besoeg


@dataclass
class Pauser:
    """One order's pauses: (first paused day, last paused day or None while open)."""

    perioder: list[tuple[date, date | None]] = field(default_factory=list)

    def pauset(self, fra: date) -> None:
        """`BesoegPauset` from `fra`. One open pause at a time (the provider refuses a
        second); a redelivered pause from the same day changes nothing."""
        if self.perioder and self.perioder[-1][1] is None:
            return
        self.perioder.append((fra, None))

    def genoptaget(self, fra: date) -> None:
        """`BesoegGenoptaget` from `fra`: the pause ends the day before."""
        if self.perioder and self.perioder[-1][1] is None:
            start = self.perioder[-1][0]
            # Resumed on the day it paused: no day was paused.
            if fra <= start:
                self.perioder.pop()
            else:
                self.perioder[-1] = (start, fra - timedelta(days=1))

    def er_pauset(self, dag: date) -> bool:
        return any(f <= dag and (t is None or dag <= t) for f, t in self.perioder)

    def pausede_dage(self, fra: date, til: date) -> int:
        """Paused days from `fra` to `til`, both included."""
        dage = 0
        for f, t in self.perioder:
            start, slut = max(f, fra), min(t or til, til)
            if start <= slut:
                dage += (slut - start).days + 1
        return dage


def bevilgede_dage(fra: date, til: date, pauser: Pauser | None = None) -> int:
    """The granted days from `fra` to `til` (both included): the days not paused."""
    if til < fra:
        return 0
    return (til - fra).days + 1 - (pauser.pausede_dage(fra, til) if pauser else 0)


def bevilget_i_perioden(
    tid: BevilgetTid, fra: date, til: date, pauser: Pauser | None = None
) -> tuple[float, float]:
    """A grant's visits and minutes from `fra` to `til` (both included), within the grant's
    own start and end and without its paused days (spread evenly over the week)."""
    start = max(fra, tid.startdato)
    slut = til if tid.slutdato is None else min(til, tid.slutdato)
    return tid.i_dage(bevilgede_dage(start, slut, pauser))


def _json(value: BaseModel | Mapping[str, Any]) -> Mapping[str, Any]:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _dato(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def ugentlige_timer(h: HelhedsplejeV1 | Mapping[str, Any]) -> float | None:
    """The forløb's frame in hours per week (a package by its level), None if unknown."""
    d = _json(h)
    if d["ramme"] == "timer_pr_uge":
        timer = d.get("timer_pr_uge")
        return float(timer) if timer is not None else None
    return PAKKE_TIMER_PR_UGE.get(d.get("pakke") or "")


def helhedspleje_spredning(minutter_pr_uge: float) -> tuple[int, Literal["uge", "dag"], int]:
    """The even spread of a weekly frame the provider starts from: (antal, periode,
    minutes per visit). Up to an hour a day: some days a week, visits of at least
    MINDSTE_BESOEG_MIN; more: every day, split into visits of at most an hour and a half."""
    if minutter_pr_uge <= 7 * 60:
        antal = max(1, min(7, round(minutter_pr_uge / MINDSTE_BESOEG_MIN)))
        return antal, "uge", max(MINDSTE_BESOEG_MIN, round(minutter_pr_uge / antal))
    pr_dag = minutter_pr_uge / 7
    antal = min(HOEJST_PR_DAG, math.ceil(pr_dag / 90))
    return antal, "dag", max(MINDSTE_BESOEG_MIN, round(pr_dag / antal))


def bevilling_tid(b: BevillingV1 | Mapping[str, Any]) -> BevilgetTid:
    """A single service: its frequency times its minutes per visit."""
    d = _json(b)
    startdato = _dato(d["startdato"])
    assert startdato is not None
    return BevilgetTid(
        art="enkeltydelse",
        bevilling_id=str(d["bevilling_id"]),
        leverandoer_id=d["leverandoer_id"],
        indsats_kode=d["indsats_kode"],
        kategori=d["kategori"],
        startdato=startdato,
        slutdato=_dato(d.get("slutdato")),
        hyppighed=dict(d["hyppighed"]),
        minutter_pr_besoeg=d["minutter_pr_besoeg"],
    )


def helhedspleje_tid(h: HelhedsplejeV1 | Mapping[str, Any]) -> BevilgetTid:
    """A helhedspleje forløb: its frame, over the visits of the provider's even spread.
    A frame that names no hours (an unknown package) grants no time, but the forløb is
    still the provider's (it counts for the inspection sample)."""
    d = _json(h)
    startdato = _dato(d["startdato"])
    assert startdato is not None
    timer = ugentlige_timer(d)
    hyppighed: dict[str, Any] = {}
    minutter_pr_besoeg = 0.0
    if timer and timer > 0:
        antal, periode, _ = helhedspleje_spredning(timer * 60)
        hyppighed = {"antal": antal, "periode": periode}
        minutter_pr_besoeg = timer * 60 / (BESOEG_PR_UGE[periode] * antal)
    return BevilgetTid(
        art="helhedspleje",
        bevilling_id=str(d["forloeb_id"]),
        leverandoer_id=d["leverandoer_id"],
        indsats_kode=HELHEDSPLEJE_KODE,
        kategori=HELHEDSPLEJE_KATEGORI,
        startdato=startdato,
        slutdato=_dato(d.get("slutdato")),
        hyppighed=hyppighed,
        minutter_pr_besoeg=minutter_pr_besoeg,
    )


def bevilget_tid(afgoerelse: AfgoerelseTruffetV1 | Mapping[str, Any]) -> list[BevilgetTid]:
    """Every grant of a decision, of every kind: the single services in their order, then
    the helhedspleje forløb if there is one."""
    d = _json(afgoerelse)
    tider = [bevilling_tid(b) for b in d.get("bevillinger") or ()]
    if d.get("helhedspleje"):
        tider.append(helhedspleje_tid(d["helhedspleje"]))
    return tider


def minutter_pr_uge_pr_leverandoer(
    afgoerelse: AfgoerelseTruffetV1 | Mapping[str, Any],
) -> dict[str, float]:
    """A decision's granted minutes per week per provider, every kind of grant counted."""
    ud: dict[str, float] = {}
    for t in bevilget_tid(afgoerelse):
        ud[t.leverandoer_id] = ud.get(t.leverandoer_id, 0.0) + t.minutter_pr_uge
    return ud
