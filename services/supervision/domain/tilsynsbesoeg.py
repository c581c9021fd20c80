"""Tilsynsbesøg: an inspection of a provider or of citizens' homes, its random sample,
findings and follow-up items with deadlines.

The sample (stikprøve) is drawn with a recorded seed from the sorted candidate list, and
the drawn case ids are stored in the event: the draw can be repeated and checked, and the
inspection keeps the sample it had even when the candidates change later.

Findings and follow-up items are free text an inspector writes about what they saw in
someone's home or at the provider: personal data. A finding about a case is stored as
Personoplysning under the citizen's key (the case's own subject while the citizen is
unknown), so the citizen's erasure reaches it; text about no one case (a finding at the
provider's, a follow-up item and its responsible person) under the inspection's own subject
(v2; upcasting.py). The report keeps them as Personoplysning for the reader to render.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import date
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate, event

from services.supervision.domain import upcasting
from services.supervision.domain.upcasting import tilsynets_ejer
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning, sagens_ejer

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

    # v2 of the events below: their free text is Personoplysning (upcasting.py).
    class FundRegistreret(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.fund_v1_v2)

        fund_id: str
        sag_id: str | None
        vurdering: str
        beskrivelse: Personoplysning
        aktoer: dict[str, str]

    class OpfoelgningOprettet(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.opfoelgning_v1_v2)

        punkt_id: str
        beskrivelse: Personoplysning
        frist: date
        ansvarlig: Personoplysning
        aktoer: dict[str, str]

    class OpfoelgningLukket(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.opfoelgning_lukket_v1_v2)

        punkt_id: str
        lukket_dato: date
        bemaerkning: Personoplysning
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
        *,
        kendte_leverandoerer: Collection[str],
    ) -> Tilsynsbesoeg:
        """`kendte_leverandoerer`: the providers the caller knows (the application: the
        approved providers' register and every provider supervision's events named)."""
        if sted not in STEDER:
            raise _regel(
                "ukendt-sted", "Stedet skal være hjem eller leverandoer.", "Unknown place."
            )
        if leverandoer_id not in kendte_leverandoerer:
            raise _regel(
                "ukendt-leverandoer",
                f"Leverandøren {leverandoer_id!r} er ikke kendt af tilsynet.",
                f"Provider {leverandoer_id!r} is unknown to supervision.",
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
        self,
        sag_id: str | None,
        vurdering: str,
        beskrivelse: str,
        aktoer: dict[str, str],
        borger_id: str | None = None,
    ) -> str:
        """`borger_id`: the case's citizen as supervision knows them, if it does."""
        if vurdering not in VURDERINGER:
            raise _regel(
                "ukendt-vurdering",
                f"Vurderingen skal være en af {', '.join(VURDERINGER)}.",
                f"The rating must be one of {', '.join(VURDERINGER)}.",
            )
        if not beskrivelse.strip():
            raise _regel("fund-uden-beskrivelse", "Beskriv fundet.", "Describe the finding.")
        # The sample holds only the inspected provider's cases: a case outside it is
        # another provider's, or one that exists nowhere.
        if sag_id is not None and sag_id not in self.stikproeve:
            raise _regel(
                "fund-uden-for-stikproeve",
                "Et fund om en sag skal gælde en sag i tilsynets stikprøve.",
                "A finding about a case must concern a case in the inspection's sample.",
            )
        fund_id = str(uuid4())
        ejer = borger_id or (sagens_ejer(sag_id) if sag_id else tilsynets_ejer(self.id))
        self._fund(fund_id, sag_id, vurdering, Personoplysning.af(ejer, beskrivelse), aktoer)
        return fund_id

    @event(FundRegistreret)
    def _fund(
        self,
        fund_id: str,
        sag_id: str | None,
        vurdering: str,
        beskrivelse: Personoplysning,
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
        ejer = tilsynets_ejer(self.id)
        self._opfoelgning(
            punkt_id,
            Personoplysning.af(ejer, beskrivelse),
            frist,
            Personoplysning.af(ejer, ansvarlig),
            aktoer,
        )
        return punkt_id

    @event(OpfoelgningOprettet)
    def _opfoelgning(
        self,
        punkt_id: str,
        beskrivelse: Personoplysning,
        frist: date,
        ansvarlig: Personoplysning,
        aktoer: dict[str, str],
    ) -> None:
        self.opfoelgning[punkt_id] = {
            "punkt_id": punkt_id,
            "beskrivelse": beskrivelse,
            "frist": frist.isoformat(),
            "ansvarlig": ansvarlig,
            "lukket": None,
        }

    def luk_opfoelgning(
        self,
        punkt_id: str,
        lukket_dato: date,
        bemaerkning: str,
        aktoer: dict[str, str],
        *,
        idag: date,
    ) -> None:
        """`idag`: today in Denmark by the application's clock; no later closing date."""
        punkt = self.opfoelgning.get(punkt_id)
        if punkt is None or punkt["lukket"] is not None:
            raise _regel(
                "opfoelgning-ikke-aaben",
                "Opfølgningspunktet findes ikke eller er allerede lukket.",
                "The follow-up item does not exist or is already closed.",
            )
        if lukket_dato > idag:
            raise _regel(
                "lukning-i-fremtiden",
                f"Lukkedatoen {lukket_dato.isoformat()} ligger efter i dag ({idag.isoformat()}).",
                f"The closing date {lukket_dato.isoformat()} is after today ({idag.isoformat()}).",
            )
        tekst = Personoplysning.af(tilsynets_ejer(self.id), bemaerkning)
        self._lukket(punkt_id, lukket_dato, tekst, aktoer)

    @event(OpfoelgningLukket)
    def _lukket(
        self,
        punkt_id: str,
        lukket_dato: date,
        bemaerkning: Personoplysning,
        aktoer: dict[str, str],
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
