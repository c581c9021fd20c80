"""Ældreloven § 10 helhedspleje as an order the provider can plan.

Visitation grants one forløb with a frame (hours per week, or a package level) and goals;
which tasks fill the frame is the provider's to plan with the citizen. Until that is
agreed, the order starts from an even spread of the frame over the week, so the citizen
has visits from the first day and settlement counts minutes against the frame.
"""

from __future__ import annotations

import math

from shared.contracts.visitation import BevillingV1, HelhedsplejeV1, HyppighedV1

#: Hours per week a package level stands for where the decision gives no hours. The levels
#: are the kommune's (Sorø 2025 names lille / mellem / stor); these hours are illustrative
#: until a kommune's package definitions travel with the decision.
PAKKE_TIMER_PR_UGE = {"lille": 2.0, "mellem": 5.0, "stor": 10.0}

INDSATS_KODE = "AEL10"
INDSATS_NAVN = "Helhedspleje (ældreloven § 10)"
#: Shortest visit the spread plans, and at most this many visits a day.
MINDSTE_BESOEG_MIN = 30
HOEJST_PR_DAG = 4


def ugentlige_timer(h: HelhedsplejeV1) -> float | None:
    if h.ramme == "timer_pr_uge":
        return h.timer_pr_uge
    return PAKKE_TIMER_PR_UGE.get(h.pakke or "")


def som_bevilling(h: HelhedsplejeV1) -> BevillingV1 | None:
    """The forløb as one order (id = the forløb's id), or None when the frame names no
    hours the provider can plan from."""
    timer = ugentlige_timer(h)
    if not timer or timer <= 0:
        return None
    minutter_pr_uge = timer * 60
    if minutter_pr_uge <= 7 * 60:  # up to an hour a day: some days a week
        antal = max(1, min(7, round(minutter_pr_uge / MINDSTE_BESOEG_MIN)))
        hyppighed = HyppighedV1(antal=antal, periode="uge")
        minutter = round(minutter_pr_uge / antal)
    else:  # more: every day, split into visits of at most an hour and a half
        pr_dag = minutter_pr_uge / 7
        antal = min(HOEJST_PR_DAG, math.ceil(pr_dag / 90))
        hyppighed = HyppighedV1(antal=antal, periode="dag")
        minutter = round(pr_dag / antal)
    return BevillingV1(
        bevilling_id=h.forloeb_id,
        anmodning_id=h.anmodning_ids[0] if h.anmodning_ids else h.forloeb_id,
        indsats_kode=INDSATS_KODE,
        indsats_navn=INDSATS_NAVN,
        kategori="personlig",
        hyppighed=hyppighed,
        minutter_pr_besoeg=max(MINDSTE_BESOEG_MIN, minutter),
        leverandoer_id=h.leverandoer_id,
        startdato=h.startdato,
        slutdato=h.slutdato,
    )
