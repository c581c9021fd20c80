"""The one definition of granted time: single services, a helhedspleje forløb, and both."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from services.provider.domain.helhedspleje import som_bevilling
from shared.contracts.bevilget_tid import (
    HELHEDSPLEJE_KODE,
    bevilget_tid,
    helhedspleje_tid,
    minutter_pr_uge_pr_leverandoer,
)
from shared.contracts.visitation import (
    AfgoerelseTruffetV1,
    BevillingV1,
    HelhedsplejeV1,
    HyppighedV1,
)

START = date(2026, 12, 1)


def enkeltydelse(antal: int, periode: Any, minutter: int, lev: str = "omsorg-plus") -> BevillingV1:
    return BevillingV1(
        bevilling_id=uuid.uuid4(),
        anmodning_id=uuid.uuid4(),
        indsats_kode="H1.3",
        indsats_navn="Bad",
        kategori="personlig",
        hyppighed=HyppighedV1(antal=antal, periode=periode),
        minutter_pr_besoeg=minutter,
        leverandoer_id=lev,
        startdato=START,
    )


def forloeb(lev: str = "hjemmeplejen-nord", **ramme: Any) -> HelhedsplejeV1:
    return HelhedsplejeV1(
        forloeb_id=uuid.uuid4(),
        anmodning_ids=[uuid.uuid4()],
        retningsgivende_maal="Klare sig i eget hjem",
        individuelle_maal=["Selv tage bad med støtte"],
        leverandoer_id=lev,
        startdato=START,
        **ramme,
    )


def afgoerelse(
    bevillinger: list[BevillingV1], helhedspleje: HelhedsplejeV1 | None = None
) -> AfgoerelseTruffetV1:
    return AfgoerelseTruffetV1(
        afgoerelse_id=uuid.uuid4(),
        borger_id=uuid.uuid4(),
        truffet_dato=START,
        udfald=[],
        bevillinger=bevillinger,
        helhedspleje=helhedspleje,
    )


def test_single_services_are_frequency_times_minutes() -> None:
    a = afgoerelse([enkeltydelse(2, "uge", 30), enkeltydelse(1, "anden_uge", 60, "rent-hjem")])
    tider = bevilget_tid(a)
    assert [(t.art, t.besoeg_pr_uge, t.minutter_pr_uge) for t in tider] == [
        ("enkeltydelse", 2.0, 60.0),
        ("enkeltydelse", 0.5, 30.0),
    ]
    assert minutter_pr_uge_pr_leverandoer(a) == {"omsorg-plus": 60.0, "rent-hjem": 30.0}
    # 31 days of a twice-weekly half hour
    assert tider[0].i_dage(31) == pytest.approx((2 * 31 / 7, 60 * 31 / 7))


@pytest.mark.parametrize(
    ("ramme", "pr_uge"),
    [
        ({"ramme": "timer_pr_uge", "timer_pr_uge": 3.5}, 210.0),  # issue 20's citizen
        ({"ramme": "timer_pr_uge", "timer_pr_uge": 5.0}, 300.0),  # spread rounds, frame not
        ({"ramme": "timer_pr_uge", "timer_pr_uge": 14.0}, 840.0),  # every day
        ({"ramme": "pakke", "pakke": "mellem"}, 300.0),
    ],
)
def test_a_forloeb_grants_its_frame(ramme: dict[str, Any], pr_uge: float) -> None:
    h = forloeb(**ramme)
    (t,) = bevilget_tid(afgoerelse([], h))
    assert t.art == "helhedspleje" and t.indsats_kode == HELHEDSPLEJE_KODE
    assert t.bevilling_id == str(h.forloeb_id)  # the provider's order has the same id
    assert t.leverandoer_id == "hjemmeplejen-nord" and t.startdato == START
    assert t.minutter_pr_uge == pytest.approx(pr_uge)
    # the visits are the provider's spread of the frame
    order = som_bevilling(h)
    assert order is not None
    assert t.hyppighed == {"antal": order.hyppighed.antal, "periode": order.hyppighed.periode}


def test_issue_20_citizen_has_about_183_hours_a_year() -> None:
    t = helhedspleje_tid(forloeb(ramme="timer_pr_uge", timer_pr_uge=3.5))
    assert round(t.minutter_pr_uge * 365.25 / 7 / 60) == 183
    # December: 31 days of 210 minutes a week
    assert t.i_dage(31)[1] == pytest.approx(930.0)


def test_an_unknown_package_is_the_providers_but_grants_no_time() -> None:
    t = helhedspleje_tid(forloeb(ramme="pakke", pakke="ukendt"))
    assert t.leverandoer_id == "hjemmeplejen-nord"
    assert (t.besoeg_pr_uge, t.minutter_pr_uge, t.i_dage(7)) == (0.0, 0.0, (0.0, 0.0))


def test_single_services_and_a_forloeb_together() -> None:
    a = afgoerelse(
        [enkeltydelse(1, "dag", 15, "hjemmeplejen-nord"), enkeltydelse(1, "uge", 45, "mad")],
        forloeb(ramme="timer_pr_uge", timer_pr_uge=3.5),
    )
    assert [t.art for t in bevilget_tid(a)] == ["enkeltydelse", "enkeltydelse", "helhedspleje"]
    assert minutter_pr_uge_pr_leverandoer(a) == pytest.approx(
        {"hjemmeplejen-nord": 105.0 + 210.0, "mad": 45.0}
    )


def test_the_model_and_its_stored_json_give_the_same_time() -> None:
    a = afgoerelse([enkeltydelse(2, "uge", 30)], forloeb(ramme="timer_pr_uge", timer_pr_uge=2))
    data = a.model_dump(mode="json")
    data["helhedspleje"]["individuelle_maal"] = [object()]  # sealed free text is not read
    assert bevilget_tid(data) == bevilget_tid(a)
    # a decision from before helhedspleje existed (no field at all)
    del data["helhedspleje"]
    assert [t.art for t in bevilget_tid(data)] == ["enkeltydelse"]
