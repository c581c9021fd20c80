"""Tilsynsbesøg: an inspection of a provider or of citizens' homes, its random sample,
findings and follow-up items with deadlines.

The sample (stikprøve) is drawn with a recorded seed from the sorted candidate list, and
the drawn case ids are stored in the event: the draw can be repeated and checked, and the
inspection keeps the sample it had even when the candidates change later.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate, event

from shared.kernel import DomainRuleViolation

STEDER = ("hjem", "leverandoer")
VURDERINGER = ("tilfredsstillende", "mindre_mangler", "vaesentlige_mangler", "kritisk")


def udtraek_stikproeve(kandidater: list[str], antal: int, seed: int) -> list[str]:
    """The same candidates, number and seed always give the same sample."""
    return sorted(random.Random(seed).sample(sorted(kandidater), min(antal, len(kandidater))))


def _regel(rule: str, dansk: str, english: str) -> DomainRuleViolation:
    return DomainRuleViolation(rule, dansk, english)


class Tilsynsbesoeg(Aggregate):
    class TilsynPlanlagt(Aggregate.Created):
        leverandoer_id: str
        varslet: bool
        sted: str
        planlagt_dato: date
        seed: int
        kandidater: int
        stikproeve: list[str]
        aktoer: dict[str, str]

    class FundRegistreret(Aggregate.Event):
        fund_id: str
        sag_id: str | None
        vurdering: str
        beskrivelse: str
        aktoer: dict[str, str]

    class OpfoelgningOprettet(Aggregate.Event):
        punkt_id: str
        beskrivelse: str
        frist: date
        ansvarlig: str
        aktoer: dict[str, str]

    class OpfoelgningLukket(Aggregate.Event):
        punkt_id: str
        lukket_dato: date
        bemaerkning: str
        aktoer: dict[str, str]

    @classmethod
    def planlaeg(
        cls,
        leverandoer_id: str,
        varslet: bool,
        sted: str,
        planlagt_dato: date,
        kandidater: list[str],
        antal: int,
        seed: int,
        aktoer: dict[str, str],
    ) -> Tilsynsbesoeg:
        if sted not in STEDER:
            raise _regel(
                "ukendt-sted", "Stedet skal være hjem eller leverandoer.", "Unknown place."
            )
        return cls(
            leverandoer_id=leverandoer_id,
            varslet=varslet,
            sted=sted,
            planlagt_dato=planlagt_dato,
            seed=seed,
            kandidater=len(kandidater),
            stikproeve=udtraek_stikproeve(kandidater, antal, seed),
            aktoer=aktoer,
        )

    @event(TilsynPlanlagt)
    def __init__(
        self,
        leverandoer_id: str,
        varslet: bool,
        sted: str,
        planlagt_dato: date,
        seed: int,
        kandidater: int,
        stikproeve: list[str],
        aktoer: dict[str, str],
    ) -> None:
        self.leverandoer_id = leverandoer_id
        self.varslet = varslet
        self.sted = sted
        self.planlagt_dato = planlagt_dato
        self.seed = seed
        self.kandidater = kandidater
        self.stikproeve = stikproeve
        self.planlagt_af = aktoer
        self.fund: list[dict[str, Any]] = []
        self.opfoelgning: dict[str, dict[str, Any]] = {}

    def registrer_fund(
        self, sag_id: str | None, vurdering: str, beskrivelse: str, aktoer: dict[str, str]
    ) -> str:
        if vurdering not in VURDERINGER:
            raise _regel(
                "ukendt-vurdering",
                f"Vurderingen skal være en af {', '.join(VURDERINGER)}.",
                f"The rating must be one of {', '.join(VURDERINGER)}.",
            )
        if not beskrivelse.strip():
            raise _regel("fund-uden-beskrivelse", "Beskriv fundet.", "Describe the finding.")
        fund_id = str(uuid4())
        self._fund(fund_id, sag_id, vurdering, beskrivelse, aktoer)
        return fund_id

    @event(FundRegistreret)
    def _fund(
        self,
        fund_id: str,
        sag_id: str | None,
        vurdering: str,
        beskrivelse: str,
        aktoer: dict[str, str],
    ) -> None:
        self.fund.append(
            {
                "fund_id": fund_id,
                "sag_id": sag_id,
                "vurdering": vurdering,
                "beskrivelse": beskrivelse,
                "registreret_af": aktoer,
            }
        )

    def opret_opfoelgning(
        self, beskrivelse: str, frist: date, ansvarlig: str, aktoer: dict[str, str]
    ) -> str:
        if frist < self.planlagt_dato:
            raise _regel(
                "frist-foer-tilsyn",
                "Fristen kan ikke ligge før tilsynet.",
                "The deadline cannot precede the inspection.",
            )
        punkt_id = str(uuid4())
        self._opfoelgning(punkt_id, beskrivelse, frist, ansvarlig, aktoer)
        return punkt_id

    @event(OpfoelgningOprettet)
    def _opfoelgning(
        self, punkt_id: str, beskrivelse: str, frist: date, ansvarlig: str, aktoer: dict[str, str]
    ) -> None:
        self.opfoelgning[punkt_id] = {
            "punkt_id": punkt_id,
            "beskrivelse": beskrivelse,
            "frist": frist.isoformat(),
            "ansvarlig": ansvarlig,
            "lukket": None,
        }

    def luk_opfoelgning(
        self, punkt_id: str, lukket_dato: date, bemaerkning: str, aktoer: dict[str, str]
    ) -> None:
        punkt = self.opfoelgning.get(punkt_id)
        if punkt is None or punkt["lukket"] is not None:
            raise _regel(
                "opfoelgning-ikke-aaben",
                "Opfølgningspunktet findes ikke eller er allerede lukket.",
                "The follow-up item does not exist or is already closed.",
            )
        self._lukket(punkt_id, lukket_dato, bemaerkning, aktoer)

    @event(OpfoelgningLukket)
    def _lukket(
        self, punkt_id: str, lukket_dato: date, bemaerkning: str, aktoer: dict[str, str]
    ) -> None:
        self.opfoelgning[punkt_id]["lukket"] = {
            "dato": lukket_dato.isoformat(),
            "bemaerkning": bemaerkning,
            "lukket_af": aktoer,
        }

    def rapport(self, pr_dato: date) -> dict[str, Any]:
        """The inspection report; follow-up status is judged on `pr_dato`."""
        punkter = []
        for p in sorted(self.opfoelgning.values(), key=lambda p: (p["frist"], p["punkt_id"])):
            if p["lukket"] is not None:
                status = "lukket" if p["lukket"]["dato"] <= p["frist"] else "lukket_efter_frist"
            else:
                status = "overskredet" if pr_dato.isoformat() > p["frist"] else "aaben"
            punkter.append({**p, "status": status})
        optalt: dict[str, int] = {}
        for f in self.fund:
            optalt[f["vurdering"]] = optalt.get(f["vurdering"], 0) + 1
        return {
            "tilsyn_id": str(self.id),
            "leverandoer_id": self.leverandoer_id,
            "varslet": self.varslet,
            "sted": self.sted,
            "planlagt_dato": self.planlagt_dato.isoformat(),
            "planlagt_af": self.planlagt_af,
            "stikproeve": {
                "seed": self.seed,
                "kandidater": self.kandidater,
                "sager": self.stikproeve,
            },
            "fund": self.fund,
            "fund_optalt": dict(sorted(optalt.items())),
            "opfoelgning": punkter,
            "status_pr": pr_dato.isoformat(),
        }
