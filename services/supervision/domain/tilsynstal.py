"""Tilsyn's figures per provider and month, folded from every service's public events.

Month means the month the thing concerns: a visit's planned date, a decision's date, a
complaint's receipt, a deadline's last day. Granted minutes come from the grants' periods
with each provider (a switch closes one period and opens the next, an ophør ends it), less
the days the provider's order was paused (indlæggelse: `BesoegPauset` to `BesoegGenoptaget`,
by `shared.contracts.bevilget_tid.Pauser`), and are
spread over the months up to the latest month any event mentions, so the figures depend on
the events alone and never on today's date. "Missing" visits likewise are judged against the
latest day any event occurred, never the clock.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.supervision.domain.tilsynstal_grundlag import STANDARD_REGLER
from services.supervision.domain.tilsynstal_leverandoer import LeverandoerernesTal
from services.supervision.domain.tilsynstal_tal import (
    BESOEG_PR_UGE,
    Afledt,
    Maanedstal,
    Periode,
    _tael,
    bevilget_pr_maaned,
    maaned_som_dict,
)
from services.supervision.domain.tilsynstal_visitation import VisitationensTal

__all__ = ["BESOEG_PR_UGE", "STANDARD_REGLER", "Tilsynstal"]


class Tilsynstal(VisitationensTal, LeverandoerernesTal):
    """Every tilsyn figure: visitation's and the providers' fold steps over one state."""

    def sager_for(self, leverandoer_id: str) -> list[str]:
        """The cases that have or had a grant with this provider (sample candidates)."""
        return sorted(s for s, levs in self.leverandoerer.items() if leverandoer_id in levs)

    def kendte_leverandoerer(self) -> set[str]:
        """Every provider the folded events named: in a grant (a decision, a switch) or in
        a figure of its own (an order, a plan, a delivery)."""
        return set().union(*self.leverandoerer.values()) | {lev for lev, _ in self.tal}

    def aktive_perioder(self) -> list[Periode]:
        """Per grant, its period running on (or starting after) the latest day any event
        mentions: after a switch that is the new provider's period."""
        if not self.seneste_dag:
            return []
        dag = date.fromisoformat(self.seneste_dag)
        aktive = []
        for _, perioder in sorted(self.perioder.items()):
            loebende = [p for p in perioder if p.til is None or p.til >= dag]
            if loebende:
                aktive.append(loebende[-1])
        return aktive

    def _afledt(self) -> dict[tuple[str, str], Afledt]:
        afledt: dict[tuple[str, str], Afledt] = {}
        for b in self.besoeg.values():
            if b.erstatning:  # counted through the outcome of the visit it replaces
                continue
            a = afledt.setdefault((b.leverandoer_id, b.maaned), Afledt())
            if b.planlagt and b.status != "afsluttet":
                a.planlagte_besoeg += 1
                a.planlagte_minutter += b.minutter
            if b.status == "pauset":
                a.pauset += 1
            elif b.status == "afsluttet":
                a.afsluttet += 1
            elif b.status == "planlagt" and b.planlagt and b.dato < self.seneste_dag:
                a.manglende += 1
        for e in self.erstatninger.values():
            a = afledt.setdefault((e.leverandoer_id, e.maaned), Afledt())
            _tael(a.erstatning, e.udfald())
            if e.planlagt:
                _tael(a.erstatning, "planlagt")
        for (leverandoer, month, sag_id), pr_hjaelper in self.hjaelpere.items():
            afledt.setdefault((leverandoer, month), Afledt()).hjaelpere[sag_id] = pr_hjaelper
        return afledt

    def resultat(self) -> dict[str, Any]:
        bevilget = bevilget_pr_maaned(self.perioder.values(), self.seneste_maaned)
        afledt = self._afledt()
        noegler = sorted(set(self.tal) | set(bevilget) | set(afledt))
        leverandoerer: dict[str, dict[str, Any]] = {}
        for leverandoer, month in noegler:
            b, m = bevilget.get((leverandoer, month), (0.0, 0.0))
            leverandoerer.setdefault(leverandoer, {})[month] = maaned_som_dict(
                self.tal.get((leverandoer, month), Maanedstal()),
                afledt.get((leverandoer, month), Afledt()),
                b,
                m,
            )
        overholdt: dict[str, dict[str, int]] = {}
        for month, sag_id, fristtype in self.opfyldt:
            if (sag_id, fristtype) not in self.overskredet:
                _tael(overholdt.setdefault(month, {}), fristtype)
        return {
            "leverandoerer": leverandoerer,
            "frister": {
                k: self.frister[k].som_dict(overholdt.get(k, {})) for k in sorted(self.frister)
            },
        }
