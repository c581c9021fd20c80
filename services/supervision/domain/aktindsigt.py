"""Aktindsigtsanmodning: a request to see a case file, its deadline and its answer.

Offentlighedsloven § 36 stk. 2 / municipal practice for partsaktindsigt (Forvaltningsloven
§ 9): decide within 7 working days of receipt. The answer records what it contained and
what was withheld with the legal reason, so the answer itself can be audited later.

Who asks (`anmoder`) and what for (`omfang`) is personal data in the citizen's case: it is
stored as Personoplysning under the citizen's key (or the case's own subject while the
citizen is unknown to supervision), so the citizen's erasure reaches it (v2; upcasting.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.supervision.domain import upcasting
from services.supervision.domain.arbejdsdage import arbejdsdage_efter
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning, sagens_ejer

FRIST_ARBEJDSDAGE = 7
LOVGRUNDLAG = "Forvaltningsloven § 9; Offentlighedsloven § 36, stk. 2"
EGENSKABER = ("part", "repraesentant", "andet")


class Aktindsigtsanmodning(Aggregate):
    class AktindsigtAnmodet(Aggregate.Created):
        # v2: the requester and the scope are Personoplysning (upcasting.py).
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.aktindsigt_anmodet_v1_v2)

        sag_id: str
        anmoder: Personoplysning
        egenskab: str
        omfang: Personoplysning
        modtaget_dato: date
        frist: date
        aktoer: dict[str, str]

    class AktindsigtBesvaret(Aggregate.Event):
        besvaret_dato: date
        som_kendt_pr: str
        medtaget: int
        undtaget: list[dict[str, Any]]
        aktoer: dict[str, str]

    @classmethod
    def anmod(
        cls,
        sag_id: UUID,
        anmoder: str,
        egenskab: str,
        omfang: str,
        modtaget_dato: date,
        aktoer: dict[str, str],
        borger_id: str | None = None,
    ) -> Aktindsigtsanmodning:
        """`borger_id`: the case's citizen as supervision knows them; until it does, the
        text is owned by the case's own subject, which the citizen's erasure deletes too."""
        if egenskab not in EGENSKABER:
            raise DomainRuleViolation(
                "ukendt-egenskab",
                f"Anmoderens egenskab skal være en af {', '.join(EGENSKABER)}.",
                f"The requester's capacity must be one of {', '.join(EGENSKABER)}.",
            )
        if not anmoder.strip():
            raise DomainRuleViolation(
                "anmoder-mangler", "Hvem anmoder om aktindsigt?", "Who asks for access?"
            )
        ejer = borger_id or sagens_ejer(sag_id)
        return cls(
            sag_id=str(sag_id),
            anmoder=Personoplysning.af(ejer, anmoder),
            egenskab=egenskab,
            omfang=Personoplysning.af(ejer, omfang),
            modtaget_dato=modtaget_dato,
            frist=arbejdsdage_efter(modtaget_dato, FRIST_ARBEJDSDAGE),
            aktoer=aktoer,
        )

    @event(AktindsigtAnmodet)
    def __init__(
        self,
        sag_id: str,
        anmoder: Personoplysning,
        egenskab: str,
        omfang: Personoplysning,
        modtaget_dato: date,
        frist: date,
        aktoer: dict[str, str],
    ) -> None:
        self.sag_id = sag_id
        self.anmoder = anmoder
        self.egenskab = egenskab
        self.omfang = omfang
        self.modtaget_dato = modtaget_dato
        self.frist = frist
        self.anmodet_af = aktoer
        self.besvaret: dict[str, Any] | None = None

    def besvar(
        self,
        besvaret_dato: date,
        som_kendt_pr: str,
        medtaget: int,
        undtaget: list[dict[str, Any]],
        aktoer: dict[str, str],
    ) -> None:
        if self.besvaret is not None:
            raise DomainRuleViolation(
                "allerede-besvaret",
                "Anmodningen er allerede besvaret; en ny anmodning registreres for sig.",
                "The request has already been answered; register a new request.",
            )
        self._besvaret(besvaret_dato, som_kendt_pr, medtaget, undtaget, aktoer)

    @event(AktindsigtBesvaret)
    def _besvaret(
        self,
        besvaret_dato: date,
        som_kendt_pr: str,
        medtaget: int,
        undtaget: list[dict[str, Any]],
        aktoer: dict[str, str],
    ) -> None:
        self.besvaret = {
            "besvaret_dato": besvaret_dato.isoformat(),
            "som_kendt_pr": som_kendt_pr,
            "medtaget": medtaget,
            "undtaget": undtaget,
            "besvaret_af": aktoer,
            "rettidig": besvaret_dato <= self.frist,
        }

    def som_dict(self) -> dict[str, Any]:
        """The request as data; `anmoder` and `omfang` stay Personoplysning, for the reader
        to render with the key store's word on erasure (som_visning)."""
        return {
            "anmodning_id": str(self.id),
            "sag_id": self.sag_id,
            "anmoder": self.anmoder,
            "egenskab": self.egenskab,
            "omfang": self.omfang,
            "modtaget_dato": self.modtaget_dato.isoformat(),
            "frist": self.frist.isoformat(),
            "frist_arbejdsdage": FRIST_ARBEJDSDAGE,
            "lovgrundlag": LOVGRUNDLAG,
            "anmodet_af": self.anmodet_af,
            "besvaret": self.besvaret,
        }
