"""Staffing a provider's planned visits from its roster: gathers what the pure `tildel`
needs (already booked intervals, each citizen's helper history) from the orders and the
periods loaded for the horizon.

The helper history is what those periods (and an order stored before the periods) hold:
the fixed helper is the one with most of the citizen's visits in the recent months, not
over the grant's whole life, so staffing costs the same in a grant's tenth year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from services.provider.domain.periode import Besoegsplan
from services.provider.domain.stab import Medarbejderstab
from services.provider.domain.tildeling import (
    Opgave,
    Tildeling,
    faste_hjaelpere,
    tildel,
)
from shared.kernel import Aktoer

#: A visit in one of these states no longer holds its helper's time.
FRIGIVET = ("aflyst", "afsluttet", "pauset")


def bemand(
    plans: Sequence[Besoegsplan],
    stab: Medarbejderstab,
    fra: date,
    til: date,
    aktoer: Aktoer,
    occurred_at: datetime,
) -> int:
    """Staff every unstaffed planned visit in [fra, til) of these orders (all the
    provider's active orders, so no helper is booked twice); returns how many were staffed.
    Visits staffed before keep their helper and time."""
    optaget: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    opgaver: list[Opgave] = []
    historik: list[tuple[UUID, str]] = []
    for p in plans:
        o = p.bestilling
        for h in p.holdere():
            for bid, t in h.tildelinger.items():
                b = h.besoeg[bid]
                historik.append((o.borger_id, t.medarbejder_id))
                if h.status(bid) not in FRIGIVET:
                    optaget[(t.medarbejder_id, b.dato)].append(
                        (t.start_minut, t.start_minut + b.planlagte_minutter)
                    )
            opgaver.extend(
                Opgave(
                    b.besoeg_id, o.borger_id, o.kategori, b.dato, b.tidsvindue, b.planlagte_minutter
                )
                for b in h.besoeg.values()
                if fra <= b.dato < til
                and b.besoeg_id not in h.tildelinger
                and h.status(b.besoeg_id) == "planlagt"
            )
    nye = tildel(opgaver, stab.medarbejdere, optaget, faste_hjaelpere(historik))
    pr_plan: dict[int, list[Tildeling]] = defaultdict(list)
    ejer = {x.besoeg_id: i for i, p in enumerate(plans) for _, x in p.alle_besoeg()}
    for t in nye:
        pr_plan[ejer[t.besoeg_id]].append(t)
    for i, ts in pr_plan.items():
        plans[i].tildel(ts, aktoer, occurred_at)
    return len(nye)
