"""Staffing a provider's planned visits from its roster: gathers what the pure `tildel`
needs (already booked intervals, each citizen's helper history) from the orders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from services.provider.domain.bestilling import Bestilling
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
    orders: Sequence[Bestilling],
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
    for o in orders:
        for bid, t in o.tildelinger.items():
            b = o.besoeg[bid]
            if o.status(bid) not in FRIGIVET:
                optaget[(t.medarbejder_id, b.dato)].append(
                    (t.start_minut, t.start_minut + b.planlagte_minutter)
                )
        opgaver.extend(
            Opgave(b.besoeg_id, o.borger_id, o.kategori, b.dato, b.tidsvindue, b.planlagte_minutter)
            for b in o.besoeg.values()
            if fra <= b.dato < til
            and b.besoeg_id not in o.tildelinger
            and o.status(b.besoeg_id) == "planlagt"
        )
    faste = faste_hjaelpere(
        (o.borger_id, t.medarbejder_id) for o in orders for t in o.tildelinger.values()
    )
    nye = tildel(opgaver, stab.medarbejdere, optaget, faste)
    pr_bestilling: dict[UUID, list[Tildeling]] = defaultdict(list)
    ejer = {b: o for o in orders for b in o.besoeg}
    for t in nye:
        pr_bestilling[ejer[t.besoeg_id].id].append(t)
    for o in orders:
        if o.id in pr_bestilling:
            o.tildel_medarbejdere(tuple(pr_bestilling[o.id]), aktoer, occurred_at)
    return len(nye)
