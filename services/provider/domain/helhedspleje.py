"""Ældreloven § 10 helhedspleje as an order the provider can plan.

Visitation grants one forløb with a frame (hours per week, or a package level) and goals;
which tasks fill the frame is the provider's to plan with the citizen. Until that is
agreed, the order starts from an even spread of the frame over the week, so the citizen
has visits from the first day and settlement counts minutes against the frame.

The frame's hours and the spread are the shared definition of granted time
(`shared.contracts.bevilget_tid`), which tilsyn reads too.
"""

from __future__ import annotations

from shared.contracts.bevilget_tid import (
    HELHEDSPLEJE_KATEGORI,
    HELHEDSPLEJE_KODE,
    HELHEDSPLEJE_NAVN,
    HOEJST_PR_DAG,
    MINDSTE_BESOEG_MIN,
    PAKKE_TIMER_PR_UGE,
    helhedspleje_spredning,
    ugentlige_timer,
)
from shared.contracts.visitation import BevillingV1, HelhedsplejeV1, HyppighedV1

__all__ = [
    "HOEJST_PR_DAG",
    "INDSATS_KODE",
    "INDSATS_NAVN",
    "MINDSTE_BESOEG_MIN",
    "PAKKE_TIMER_PR_UGE",
    "som_bevilling",
    "ugentlige_timer",
]

INDSATS_KODE = HELHEDSPLEJE_KODE
INDSATS_NAVN = HELHEDSPLEJE_NAVN


def som_bevilling(h: HelhedsplejeV1) -> BevillingV1 | None:
    """The forløb as one order (id = the forløb's id), or None when the frame names no
    hours the provider can plan from."""
    timer = ugentlige_timer(h)
    if not timer or timer <= 0:
        return None
    antal, periode, minutter = helhedspleje_spredning(timer * 60)
    return BevillingV1(
        bevilling_id=h.forloeb_id,
        anmodning_id=h.anmodning_ids[0] if h.anmodning_ids else h.forloeb_id,
        indsats_kode=INDSATS_KODE,
        indsats_navn=INDSATS_NAVN,
        kategori=HELHEDSPLEJE_KATEGORI,
        hyppighed=HyppighedV1(antal=antal, periode=periode),
        minutter_pr_besoeg=minutter,
        leverandoer_id=h.leverandoer_id,
        startdato=h.startdato,
        slutdato=h.slutdato,
    )
