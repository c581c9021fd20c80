"""The service-level what-if's arithmetic (yearly visits, hours, cost) and which grants count."""

from __future__ import annotations

from services.supervision.domain.hvadhvis import (
    UGER_PR_AAR,
    Aendring,
    Bevilget,
    fra_perioder,
    hvad_hvis,
)
from services.supervision.domain.tilsynstal import Tilsynstal
from tests.unit.test_supervision_folds import BORGER, bevilling, env, forloeb

RENGOERING = Bevilget("H2.1", "praktisk", 0.5, 60)  # every 14 days, an hour
BAD = Bevilget("H1.3", "personlig", 2.0, 30)
PRISER = {"praktisk": 380.0, "personlig": 450.0}


def test_cleaning_every_14_to_21_days() -> None:
    r = hvad_hvis([RENGOERING, BAD], [Aendring(indsats_kode="H2.1", interval_dage=21)], PRISER, 0)
    h21 = r["indsatser"]["H2.1"]
    # 365.25 / 14 = 26.09 visits a year, 365.25 / 21 = 17.39; one hour each at 380 kr
    assert h21["nu"] == {"besoeg": 26.1, "timer": 26.1, "kroner": round(365.25 / 14 * 380)}
    assert h21["efter"] == {"besoeg": 17.4, "timer": 17.4, "kroner": round(365.25 / 21 * 380)}
    assert h21["forskel"]["kroner"] == round(365.25 / 21 * 380 - 365.25 / 14 * 380)
    h13 = r["indsatser"]["H1.3"]
    assert (
        h13["nu"]
        == h13["efter"]
        == {
            "besoeg": round(2 * UGER_PR_AAR, 1),
            "timer": round(UGER_PR_AAR, 1),
            "kroner": round(UGER_PR_AAR * 450),
        }
    )
    assert h13["forskel"] == {"besoeg": 0.0, "timer": 0.0, "kroner": 0}
    assert r["i_alt"]["forskel"]["kroner"] == h21["forskel"]["kroner"]
    assert r["aktive_bevillinger"] == 2


def test_bath_frequency_and_minutes_by_category_with_rates_by_code() -> None:
    aendring = Aendring(kategori="personlig", besoeg_pr_uge=1, minutter_pr_besoeg=45)
    r = hvad_hvis([BAD, BAD, RENGOERING], [aendring], {"H1.3": 500.0}, 300.0)
    h13 = r["indsatser"]["H1.3"]
    assert h13["bevillinger"] == 2
    # two grants: 2 x 2 x 30 min/week -> 2 x 1 x 45 min/week, at the code's own rate
    assert h13["nu"]["timer"] == round(2 * UGER_PR_AAR, 1)
    assert h13["efter"]["timer"] == round(1.5 * UGER_PR_AAR, 1)
    assert h13["efter"]["kroner"] == round(1.5 * UGER_PR_AAR * 500)
    # the cleaning is untouched and priced at the standard rate
    assert r["indsatser"]["H2.1"]["nu"]["kroner"] == round(0.5 * UGER_PR_AAR * 300)


def test_only_grants_at_the_given_frequency_and_first_change_wins() -> None:
    ugentlig = Bevilget("H2.1", "praktisk", 1.0, 60)
    r = hvad_hvis(
        [RENGOERING, ugentlig],
        [
            Aendring(indsats_kode="H2.1", kun_besoeg_pr_uge=0.5, interval_dage=21),
            Aendring(indsats_kode="H2.1", besoeg_pr_uge=0),
        ],
        PRISER,
        0,
    )
    # the fortnightly one goes to every 21 days, the weekly one is cut by the second change
    assert r["indsatser"]["H2.1"]["efter"]["besoeg"] == round(7 / 21 * UGER_PR_AAR, 1)


def test_active_grants_come_from_the_folded_events() -> None:
    events, ids = forloeb()
    slut = env(
        "BevillingOphoert",
        {
            "borger_id": BORGER,
            "bevilling_ids": [ids["bev"]],
            "ophoersdato": "2026-11-30",
            "aarsag": "udloeb",
        },
    )
    anden = {**bevilling("b2", "hjem-og-hjerte"), "indsats_kode": "H2.1", "kategori": "praktisk"}
    anden["hyppighed"] = {"antal": 1, "periode": "anden_uge"}
    ny = env(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": "a2",
            "borger_id": BORGER,
            "truffet_dato": "2026-11-20",
            "udfald": [],
            "bevillinger": [anden],
        },
    )
    tal = Tilsynstal()
    for e in [*events, ny, slut]:
        tal.registrer(e)
    # the bath grant ended on 30 November; the last event is from 15 December
    assert fra_perioder(tal.aktive_perioder()) == [Bevilget("H2.1", "praktisk", 0.5, 30)]
