"""Tilsyn's figures per provider and month, folded from every service's public events.

Month means the month the thing concerns: a visit's planned date, a decision's date, a
complaint's receipt. Granted minutes come from the grants' periods with each provider
(a switch closes one period and opens the next, an ophør ends it) and are spread over the
months up to the latest month any event mentions, so the figures depend on the events
alone and never on today's date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from services.supervision.domain.fold import Fold, Haendelse, dato, haandterer, maaned

#: Visits per week for each granted frequency unit.
BESOEG_PR_UGE = {"dag": 7.0, "uge": 1.0, "anden_uge": 0.5, "maaned": 12 / 52}
#: The catalogue's defaults when a grant carries no delivery rules (see LeveringsreglerV1).
STANDARD_REGLER = {
    "erstatning_ved_rettidig_borgeraflysning": False,
    "erstatning_ved_leverandoeraflysning": True,
    "erstatningsfrist_dage": 8,
    "iverksaettelsesfrist_dage": None,
}
#: Retssikkerhedsloven § 67: a complaint is lodged within 4 weeks of the decision.
KLAGEFRIST = timedelta(weeks=4)


@dataclass
class Maanedstal:
    planlagte_besoeg: int = 0
    planlagte_minutter: int = 0
    leverede_besoeg: int = 0
    leverede_minutter: int = 0
    #: planned minutes of the visits that were delivered or cancelled (settled)
    afviklede_planlagte_minutter: int = 0
    aflysninger: dict[str, dict[str, int]] = field(default_factory=dict)
    aflysninger_for_sent: int = 0
    erstatning_skyldt: int = 0
    erstatning_svigtet: int = 0
    iverksat_inden_frist: int = 0
    iverksat_efter_frist: int = 0
    klager: dict[str, int] = field(default_factory=dict)
    aendringsindberetninger: int = 0

    def som_dict(self, bevilget_besoeg: float, bevilget_minutter: float) -> dict[str, Any]:
        iverksat = self.iverksat_inden_frist + self.iverksat_efter_frist
        return {
            "bevilgede_besoeg": round(bevilget_besoeg, 1),
            "bevilgede_minutter": round(bevilget_minutter, 1),
            "planlagte_besoeg": self.planlagte_besoeg,
            "planlagte_minutter": self.planlagte_minutter,
            "leverede_besoeg": self.leverede_besoeg,
            "leverede_minutter": self.leverede_minutter,
            "leveret_af_bevilget": _andel(self.leverede_minutter, bevilget_minutter),
            "leveret_af_afviklet_planlagt": _andel(
                self.leverede_minutter, self.afviklede_planlagte_minutter
            ),
            "aflysninger": {
                k: dict(sorted(v.items())) for k, v in sorted(self.aflysninger.items())
            },
            "aflysninger_for_sent": self.aflysninger_for_sent,
            "erstatning": {
                "skyldt": self.erstatning_skyldt,
                "svigtet": self.erstatning_svigtet,
                # Until providers publish replacement visits, a replacement owed and not
                # reported as missed (LeveringSvigtet) counts as delivered within deadline.
                "inden_frist_andel": _andel(
                    self.erstatning_skyldt - self.erstatning_svigtet, self.erstatning_skyldt
                ),
            },
            "iverksaettelse": {
                "inden_frist": self.iverksat_inden_frist,
                "efter_frist": self.iverksat_efter_frist,
                "overholdt_andel": _andel(self.iverksat_inden_frist, iverksat),
            },
            "klager": dict(sorted(self.klager.items())),
            "aendringsindberetninger": self.aendringsindberetninger,
        }


@dataclass
class Frister:
    """Visitation's legal clocks in one month (municipality level)."""

    afgoerelser: int = 0
    dage_til_afgoerelse: list[int] = field(default_factory=list)
    klager_rettidige: int = 0
    klager_for_sent: int = 0

    def som_dict(self) -> dict[str, Any]:
        dage = sorted(self.dage_til_afgoerelse)
        return {
            "afgoerelser": self.afgoerelser,
            "dage_fra_ansoegning_til_afgoerelse": {
                "median": dage[len(dage) // 2] if dage else None,
                "max": dage[-1] if dage else None,
            },
            "klager_indgivet_rettidigt": self.klager_rettidige,
            "klager_indgivet_for_sent": self.klager_for_sent,
        }


@dataclass
class Periode:
    leverandoer_id: str
    fra: date
    til: date | None
    besoeg_pr_uge: float
    minutter_pr_besoeg: int


def _andel(del_: float, helhed: float) -> float | None:
    return round(del_ / helhed, 3) if helhed else None


class Tilsynstal(Fold):
    def __init__(self) -> None:
        self.tal: dict[tuple[str, str], Maanedstal] = {}
        self.frister: dict[str, Frister] = {}
        self.perioder: dict[str, list[Periode]] = {}  # bevilling_id -> periods
        self.regler: dict[str, dict[str, Any]] = {}  # bevilling_id -> delivery rules
        self.afgjort: dict[str, tuple[date, str | None]] = {}  # bevilling -> (decided, month)
        self.afgoerelsesdato: dict[str, date] = {}  # afgoerelse_id -> date
        self.ansoegt: dict[str, date] = {}  # sag_id -> first application date
        self.bestilling: dict[str, str] = {}  # bestilling_id -> bevilling_id
        self.iverksat: set[str] = set()  # bevilling ids with a first delivery
        self.besoeg: dict[str, tuple[str, str, int]] = {}  # id -> (provider, month, minutes)
        self.leverandoerer: dict[str, set[str]] = {}  # sag_id -> providers (for complaints)
        self.seneste_maaned = ""

    def _for(self, leverandoer_id: str, month: str) -> Maanedstal:
        self.seneste_maaned = max(self.seneste_maaned, month)
        return self.tal.setdefault((leverandoer_id, month), Maanedstal())

    def _frister(self, month: str) -> Frister:
        self.seneste_maaned = max(self.seneste_maaned, month)
        return self.frister.setdefault(month, Frister())

    @haandterer("AnsoegningModtaget")
    def _ansoegning(self, h: Haendelse) -> None:
        self.ansoegt.setdefault(h["case_id"], dato(h["data"]["modtaget_dato"]))

    @haandterer("AfgoerelseTruffet")
    def _afgoerelse(self, h: Haendelse) -> None:
        d = h["data"]
        truffet = dato(d["truffet_dato"])
        self.afgoerelsesdato[d["afgoerelse_id"]] = truffet
        frister = self._frister(maaned(truffet))
        frister.afgoerelser += 1
        if h["case_id"] in self.ansoegt:
            frister.dage_til_afgoerelse.append((truffet - self.ansoegt[h["case_id"]]).days)
        for b in d["bevillinger"]:
            self._ny_periode(b, dato(b["startdato"]))
            self.regler[b["bevilling_id"]] = {**STANDARD_REGLER, **(b.get("leveringsregler") or {})}
            self.afgjort[b["bevilling_id"]] = (truffet, None)
            self.leverandoerer.setdefault(h["case_id"], set()).add(b["leverandoer_id"])

    def _ny_periode(self, b: dict[str, Any], fra: date) -> None:
        hyppighed = b["hyppighed"]
        slut = dato(b["slutdato"]) if b.get("slutdato") else None
        self.perioder.setdefault(b["bevilling_id"], []).append(
            Periode(
                b["leverandoer_id"],
                fra,
                slut,
                BESOEG_PR_UGE[hyppighed["periode"]] * hyppighed["antal"],
                b["minutter_pr_besoeg"],
            )
        )

    def _luk(self, bevilling_id: str, sidste_dag: date) -> None:
        for p in self.perioder.get(bevilling_id, []):
            if p.til is None or p.til > sidste_dag:
                p.til = sidste_dag

    @haandterer("LeverandoerSkiftet")
    def _skift(self, h: Haendelse) -> None:
        d = h["data"]
        fra = dato(d["gyldig_fra"])
        for b in d["bevillinger"]:
            self._luk(b["bevilling_id"], fra - timedelta(days=1))
            self._ny_periode(b, fra)
        self.leverandoerer.setdefault(h["case_id"], set()).add(d["til_leverandoer_id"])

    @haandterer("BevillingOphoert")
    def _ophoer(self, h: Haendelse) -> None:
        d = h["data"]
        for bevilling_id in d["bevilling_ids"]:
            self._luk(bevilling_id, dato(d["ophoersdato"]))

    @haandterer("BestillingModtaget")
    def _bestilling(self, h: Haendelse) -> None:
        d = h["data"]
        self.bestilling[d["bestilling_id"]] = d["bevilling_id"]

    @haandterer("BesoegPlanlagt")
    def _planlagt(self, h: Haendelse) -> None:
        d = h["data"]
        for b in d["besoeg"]:
            month = maaned(b["dato"])
            t = self._for(d["leverandoer_id"], month)
            t.planlagte_besoeg += 1
            t.planlagte_minutter += b["planlagte_minutter"]
            self.besoeg[b["besoeg_id"]] = (d["leverandoer_id"], month, b["planlagte_minutter"])

    def _besoegets(self, d: dict[str, Any], fallback: str) -> tuple[Maanedstal, int]:
        leverandoer, month, minutter = self.besoeg.get(
            d["besoeg_id"], (d["leverandoer_id"], maaned(fallback), 0)
        )
        return self._for(leverandoer, month), minutter

    @haandterer("IndsatsLeveret")
    def _leveret(self, h: Haendelse) -> None:
        d = h["data"]
        t, planlagt = self._besoegets(d, d["leveret_tidspunkt"])
        t.leverede_besoeg += 1
        t.leverede_minutter += d["faktiske_minutter"]
        t.afviklede_planlagte_minutter += planlagt
        bevilling_id = self.bestilling.get(d["bestilling_id"])
        if bevilling_id is None or bevilling_id in self.iverksat:
            return
        self.iverksat.add(bevilling_id)
        frist = self.regler.get(bevilling_id, STANDARD_REGLER)["iverksaettelsesfrist_dage"]
        if frist is None or bevilling_id not in self.afgjort:
            return
        truffet, _ = self.afgjort[bevilling_id]
        start = self._for(d["leverandoer_id"], maaned(truffet))
        if dato(d["leveret_tidspunkt"]) <= truffet + timedelta(days=frist):
            start.iverksat_inden_frist += 1
        else:
            start.iverksat_efter_frist += 1

    @haandterer("BesoegAflyst")
    def _aflyst(self, h: Haendelse) -> None:
        d = h["data"]
        t, planlagt = self._besoegets(d, h["occurred_at"])
        per_aarsag = t.aflysninger.setdefault(d["aflyst_af"], {})
        per_aarsag[d["aarsag"]] = per_aarsag.get(d["aarsag"], 0) + 1
        t.afviklede_planlagte_minutter += planlagt
        if not d["rettidig"]:
            t.aflysninger_for_sent += 1
        regler = self.regler.get(self.bestilling.get(d["bestilling_id"], ""), STANDARD_REGLER)
        if d["aflyst_af"] == "leverandoer":
            skyldt = regler["erstatning_ved_leverandoeraflysning"]
        else:
            skyldt = not d["rettidig"] or regler["erstatning_ved_rettidig_borgeraflysning"]
        if skyldt:
            t.erstatning_skyldt += 1

    @haandterer("LeveringSvigtet")
    def _svigtet(self, h: Haendelse) -> None:
        d = h["data"]
        t, _ = self._besoegets(d, d["oprindelig_dato"])
        t.erstatning_svigtet += 1

    @haandterer("KlageOprettet")
    def _klage(self, h: Haendelse) -> None:
        d = h["data"]
        month = maaned(d["modtaget_dato"])
        afgoerelse = self.afgoerelsesdato.get(d.get("afgoerelse_id") or "")
        if d["klagetype"] == "afgoerelse" and afgoerelse is not None:
            frister = self._frister(month)
            if dato(d["modtaget_dato"]) > afgoerelse + KLAGEFRIST:
                frister.klager_for_sent += 1
            else:
                frister.klager_rettidige += 1
        for leverandoer in sorted(self.leverandoerer.get(h["case_id"], ())):
            t = self._for(leverandoer, month)
            t.klager[d["klagetype"]] = t.klager.get(d["klagetype"], 0) + 1

    @haandterer("AendringIFunktionsevneIndberettet")
    def _aendring(self, h: Haendelse) -> None:
        self._for(
            h["data"]["leverandoer_id"], maaned(h["occurred_at"])
        ).aendringsindberetninger += 1

    def sager_for(self, leverandoer_id: str) -> list[str]:
        """The cases that have or had a grant with this provider (sample candidates)."""
        return sorted(s for s, levs in self.leverandoerer.items() if leverandoer_id in levs)

    def _bevilget(self) -> dict[tuple[str, str], tuple[float, float]]:
        """Granted visits and minutes per (provider, month) up to the latest month seen."""
        if not self.seneste_maaned:
            return {}
        year, month = map(int, self.seneste_maaned.split("-"))
        horisont = date(year, month, calendar.monthrange(year, month)[1])
        bevilget: dict[tuple[str, str], tuple[float, float]] = {}
        for perioder in self.perioder.values():
            for p in perioder:
                slut = min(p.til or horisont, horisont)
                dag = p.fra
                while dag <= slut:
                    maanedsslut = date(
                        dag.year, dag.month, calendar.monthrange(dag.year, dag.month)[1]
                    )
                    dage = (min(maanedsslut, slut) - dag).days + 1
                    besoeg = p.besoeg_pr_uge * dage / 7
                    key = (p.leverandoer_id, maaned(dag))
                    b, m = bevilget.get(key, (0.0, 0.0))
                    bevilget[key] = (b + besoeg, m + besoeg * p.minutter_pr_besoeg)
                    dag = maanedsslut + timedelta(days=1)
        return bevilget

    def resultat(self) -> dict[str, Any]:
        bevilget = self._bevilget()
        noegler = sorted(set(self.tal) | set(bevilget))
        leverandoerer: dict[str, dict[str, Any]] = {}
        for leverandoer, month in noegler:
            b, m = bevilget.get((leverandoer, month), (0.0, 0.0))
            tal = self.tal.get((leverandoer, month), Maanedstal())
            leverandoerer.setdefault(leverandoer, {})[month] = tal.som_dict(b, m)
        return {
            "leverandoerer": leverandoerer,
            "frister": {k: self.frister[k].som_dict() for k in sorted(self.frister)},
        }
