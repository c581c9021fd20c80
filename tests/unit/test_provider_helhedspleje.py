"""Ældreloven helhedspleje reaches the provider as one order spread from its frame."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from services.provider.domain.helhedspleje import INDSATS_KODE, som_bevilling
from shared.contracts.visitation import HelhedsplejeV1


def forloeb(**ramme: Any) -> HelhedsplejeV1:
    return HelhedsplejeV1(
        forloeb_id=uuid.uuid4(),
        anmodning_ids=[uuid.uuid4()],
        retningsgivende_maal="Klare sig i eget hjem",
        individuelle_maal=["Selv tage bad med støtte"],
        leverandoer_id="hjemmeplejen-nord",
        startdato=date(2026, 12, 1),
        **ramme,
    )


@pytest.mark.parametrize(
    ("timer", "antal", "periode", "minutter"),
    [
        (1.0, 2, "uge", 30),  # an hour a week: two half-hour visits
        (3.2, 6, "uge", 32),  # the national average
        (7.0, 7, "uge", 60),  # an hour a day
        (14.0, 2, "dag", 60),  # two hours a day: two visits
        (35.0, 4, "dag", 75),  # the cap: at most four visits a day
    ],
)
def test_the_frame_is_spread_over_the_week(
    timer: float, antal: int, periode: str, minutter: int
) -> None:
    h = forloeb(ramme="timer_pr_uge", timer_pr_uge=timer)
    b = som_bevilling(h)
    assert b is not None
    assert (b.hyppighed.antal, b.hyppighed.periode, b.minutter_pr_besoeg) == (
        antal,
        periode,
        minutter,
    )
    assert b.bevilling_id == h.forloeb_id and b.indsats_kode == INDSATS_KODE
    per_uge = b.minutter_pr_besoeg * b.hyppighed.antal * (7 if periode == "dag" else 1)
    assert abs(per_uge - timer * 60) <= 0.1 * timer * 60 + 30  # within the frame's reach


def test_a_package_uses_its_hours_and_an_unknown_one_gives_no_order() -> None:
    assert som_bevilling(forloeb(ramme="pakke", pakke="mellem")) is not None
    assert som_bevilling(forloeb(ramme="pakke", pakke="ukendt")) is None
