"""The state the tilsyn figures fold into, and the steps the event handlers share.

Split from `tilsynstal.py`: the handlers for visitation's events live in
`tilsynstal_visitation.py`, those for the providers' in `tilsynstal_leverandoer.py`, and
`Tilsynstal` joins them (the fold finds every `@haandterer` method through the classes it
inherits). The per-month records themselves are in `tilsynstal_tal.py`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.supervision.domain.fold import Fold, Haendelse
from services.supervision.domain.tilsynstal_tal import (
    Besoeg,
    Erstatning,
    Frister,
    Maanedstal,
    Periode,
)
from shared.contracts.bevilget_tid import Pauser

#: The catalogue's defaults when a grant carries no delivery rules (see LeveringsreglerV1).
STANDARD_REGLER = {
    "erstatning_ved_rettidig_borgeraflysning": False,
    "erstatning_ved_leverandoeraflysning": True,
    "erstatningsfrist_dage": 8,
    "iverksaettelsesfrist_dage": None,
}
#: Retssikkerhedsloven § 67: a complaint is lodged within 4 weeks of the decision.
KLAGEFRIST = timedelta(weeks=4)
#: The public event that meets each kind of visitation deadline.
OPFYLDER = {
    "KvitteringSendt": "kvittering",
    "AfgoerelseTruffet": "afgoerelse",
    "KlageGenvurderet": "genvurdering",
}


class TilsynstalGrundlag(Fold):
    def __init__(self) -> None:
        self.tal: dict[tuple[str, str], Maanedstal] = {}
        self.frister: dict[str, Frister] = {}
        self.perioder: dict[str, list[Periode]] = {}  # bevilling_id -> periods
        self.regler: dict[str, dict[str, Any]] = {}  # bevilling_id -> delivery rules
        self.afgjort: dict[str, date] = {}  # bevilling_id -> decision date
        self.afgoerelsesdato: dict[str, date] = {}  # afgoerelse_id -> date
        #: afgoerelse_id -> last day to complain, once the decision reached the citizen
        self.klagefrist: dict[str, date] = {}
        self.ansoegt: dict[str, date] = {}  # sag_id -> first application date
        self.bestilling: dict[str, str] = {}  # bestilling_id -> bevilling_id
        #: (bevilling_id, leverandoer_id) -> the pauses of that provider's order for it
        self.pauser: dict[tuple[str, str], Pauser] = {}
        self.iverksat: set[str] = set()  # bevilling ids with a first delivery
        self.besoeg: dict[str, Besoeg] = {}
        self.erstatninger: dict[str, Erstatning] = {}  # replaced visit id -> replacement
        self.erstatter: dict[str, str] = {}  # replacement visit id -> replaced visit id
        self.hjaelpere: dict[tuple[str, str, str], dict[str, int]] = {}  # (lev, md, sag)
        self.klager: dict[str, tuple[str, str]] = {}  # klage_id -> (sag_id, month received)
        self.opfyldt: list[tuple[str, str, str]] = []  # (month, sag_id, fristtype)
        self.overskredet: set[tuple[str, str]] = set()  # (sag_id, fristtype)
        self.overskredne_id: set[tuple[str, str]] = set()  # (sag_id, frist_id)
        self.leverandoerer: dict[str, set[str]] = {}  # sag_id -> providers (for complaints)
        self.seneste_maaned = ""
        self.seneste_dag = ""

    def registrer(self, h: Haendelse) -> None:
        handler = self._handlers.get(h["event_type"])
        if handler is None:  # an unknown type moves not even the "latest day"
            return
        dag = h["occurred_at"][:10]
        if dag > self.seneste_dag:
            self.seneste_dag = dag
        handler(self, h)

    def _for(self, leverandoer_id: str, month: str) -> Maanedstal:
        if month > self.seneste_maaned:
            self.seneste_maaned = month
        t = self.tal.get((leverandoer_id, month))
        if t is None:
            t = self.tal[(leverandoer_id, month)] = Maanedstal()
        return t

    def _pauser(self, bevilling_id: str, leverandoer_id: str) -> Pauser:
        """The pauses of a provider's order for a grant, shared with the grant's period
        with that provider whichever event supervision sees first."""
        p = self.pauser.get((bevilling_id, leverandoer_id))
        if p is None:
            p = self.pauser[(bevilling_id, leverandoer_id)] = Pauser()
        return p

    def _frister(self, month: str) -> Frister:
        self.seneste_maaned = max(self.seneste_maaned, month)
        return self.frister.setdefault(month, Frister())
