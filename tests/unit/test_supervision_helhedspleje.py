"""Issue 20: a helhedspleje forløb counts in every tilsyn figure, the what-if and the sample.

Before, supervision folded only a decision's `bevillinger`: the provider of a helhedspleje
citizen showed 0 granted against 840 planned minutes in December, leveringsgrad against the
grant was null, the what-if left the forløb out and an inspection found no case to sample.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.supervision.domain.hvadhvis import (
    UGER_PR_AAR,
    Aendring,
    Bevilget,
    fra_perioder,
    hvad_hvis,
)
from services.supervision.domain.leveringsgrad import Leveringsgrad
from services.supervision.domain.sagstilstand import sag_som_kendt
from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg
from services.supervision.domain.tilsynstal import Tilsynstal
from tests.unit.test_supervision_folds import env

LEV = "hjemmeplejen-nord"
OLE = {"id": "tilsyn-ole", "rolle": "tilsyn", "organisation": "kommunen"}


def helhedspleje_forloeb(
    sag: str, *, bevillinger: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], str]:
    """A decision granting 3.5 hours a week of helhedspleje from 1 December, the provider's
    order (the forløb's id), 28 half-hour visits planned in December and one delivered."""
    forloeb_id, best = str(uuid4()), str(uuid4())
    borger = str(uuid4())
    lev = {"source": "provider", "actor": "sosu-maria", "case_id": sag}
    besoeg = [str(uuid4()) for _ in range(28)]
    events = [
        env(
            "AfgoerelseTruffet",
            {
                "afgoerelse_id": str(uuid4()),
                "borger_id": borger,
                "truffet_dato": "2026-11-28",
                "udfald": [],
                "bevillinger": bevillinger or [],
                "helhedspleje": {
                    "forloeb_id": forloeb_id,
                    "anmodning_ids": [str(uuid4())],
                    "ramme": "timer_pr_uge",
                    "timer_pr_uge": 3.5,
                    "pakke": None,
                    "retningsgivende_maal": "Klare sig i eget hjem",
                    "individuelle_maal": ["Selv tage bad med støtte"],
                    "leverandoer_id": LEV,
                    "startdato": "2026-12-01",
                    "slutdato": None,
                },
                "katalog_version": "soroe-2025",
            },
            at="2026-11-28T09:00:00+00:00",
            case_id=sag,
        ),
        env(
            "BestillingModtaget",
            {
                "bestilling_id": best,
                "bevilling_id": forloeb_id,
                "leverandoer_id": LEV,
                "indsats_kode": "AEL10",
                "kategori": "personlig",
                "minutter_pr_besoeg": 30,
            },
            at="2026-11-28T09:05:00+00:00",
            **lev,
        ),
        env(
            "BesoegPlanlagt",
            {
                "bestilling_id": best,
                "leverandoer_id": LEV,
                "besoeg": [
                    {
                        "besoeg_id": b,
                        "dato": (date(2026, 12, 1) + timedelta(days=i)).isoformat(),
                        "tidsvindue": "morgen",
                        "planlagte_minutter": 30,
                    }
                    for i, b in enumerate(besoeg)
                ],
            },
            at="2026-11-28T09:05:01+00:00",
            **lev,
        ),
        env(
            "IndsatsLeveret",
            {
                "besoeg_id": besoeg[0],
                "bestilling_id": best,
                "leverandoer_id": LEV,
                "leveret_tidspunkt": "2026-12-01T08:00:00+00:00",
                "faktiske_minutter": 30,
                "medarbejder_id": "sosu-maria",
            },
            at="2026-12-01T09:00:00+00:00",
            **lev,
        ),
    ]
    return events, forloeb_id


def foldet(events: list[dict[str, Any]]) -> tuple[Tilsynstal, Leveringsgrad]:
    tal, grad = Tilsynstal(), Leveringsgrad()
    for e in events:
        tal.registrer(e)
        grad.registrer(e)
    return tal, grad


def test_the_forloeb_frame_is_granted_minutes_in_the_month() -> None:
    tal, _ = foldet(helhedspleje_forloeb(str(uuid4()))[0])
    dec = tal.resultat()["leverandoerer"][LEV]["2026-12"]
    # 210 minutes a week over December's 31 days, against 28 planned half hours
    assert dec["bevilgede_minutter"] == 930.0 and dec["bevilgede_besoeg"] == 31.0
    assert dec["planlagte_minutter"] == 840
    assert dec["leveret_af_bevilget"] == round(30 / 930, 3)


def test_leveringsgrad_has_the_frame_and_a_rate() -> None:
    _, grad = foldet(helhedspleje_forloeb(str(uuid4()))[0])
    (linje,) = grad.resultat()
    assert linje["leverandoer_id"] == LEV
    assert linje["bevilgede_minutter_pr_uge"] == 210.0
    assert linje["leveringsgrad"] == 1.0


def test_single_services_and_a_forloeb_in_one_decision_both_count() -> None:
    bad = {
        "bevilling_id": str(uuid4()),
        "anmodning_id": str(uuid4()),
        "indsats_kode": "H1.3",
        "indsats_navn": "Bad",
        "kategori": "personlig",
        "hyppighed": {"antal": 2, "periode": "uge"},
        "minutter_pr_besoeg": 30,
        "leverandoer_id": "omsorg-plus",
        "startdato": "2026-12-01",
        "slutdato": None,
    }
    tal, grad = foldet(helhedspleje_forloeb(str(uuid4()), bevillinger=[bad])[0])
    r = tal.resultat()["leverandoerer"]
    assert r[LEV]["2026-12"]["bevilgede_minutter"] == 930.0
    assert r["omsorg-plus"]["2026-12"]["bevilgede_minutter"] == round(60 * 31 / 7, 1)
    assert {x["leverandoer_id"]: x["bevilgede_minutter_pr_uge"] for x in grad.resultat()} == {
        LEV: 210.0,
        "omsorg-plus": 60.0,
    }


def test_the_forloebs_provider_has_it_as_a_sample_candidate() -> None:
    sag = str(uuid4())
    tal, _ = foldet(helhedspleje_forloeb(sag)[0])
    assert tal.sager_for(LEV) == [sag]
    besoeg = Tilsynsbesoeg.planlaeg(
        LEV,
        False,
        "hjem",
        date(2026, 12, 10),
        tal.sager_for(LEV),
        3,
        7,
        OLE,
        kendte_leverandoerer=tal.kendte_leverandoerer(),
    )
    assert besoeg.kandidater == 1 and besoeg.stikproeve == [sag]


def test_the_what_if_includes_the_forloeb() -> None:
    tal, _ = foldet(helhedspleje_forloeb(str(uuid4()))[0])
    bevillinger = fra_perioder(tal.aktive_perioder())
    assert bevillinger == [Bevilget("AEL10", "personlig", 7.0, 30.0)]
    r = hvad_hvis(bevillinger, [Aendring(indsats_kode="AEL10", besoeg_pr_uge=5)], {}, 400.0)
    nu = r["indsatser"]["AEL10"]["nu"]
    assert round(nu["timer"]) == 183  # issue 20: about 183 hours a year for one citizen
    assert nu["timer"] == pytest.approx(round(3.5 * UGER_PR_AAR, 1))


def test_an_ophoer_of_the_forloeb_ends_its_granted_time() -> None:
    sag = str(uuid4())
    events, forloeb_id = helhedspleje_forloeb(sag)
    ophoer = env(
        "BevillingOphoert",
        {
            "borger_id": str(uuid4()),
            "bevilling_ids": [forloeb_id],
            "ophoersdato": "2026-12-14",
            "aarsag": "doedsfald",
        },
        at="2026-12-15T09:00:00+00:00",
        case_id=sag,
    )
    tal, _ = foldet([*events, ophoer])
    assert tal.resultat()["leverandoerer"][LEV]["2026-12"]["bevilgede_minutter"] == 420.0
    assert fra_perioder(tal.aktive_perioder()) == []


def test_the_case_state_shows_the_forloeb_as_a_grant_that_an_ophoer_ends() -> None:
    sag = str(uuid4())
    events, forloeb_id = helhedspleje_forloeb(sag)
    (grant,) = sag_som_kendt(sag, events)["bevillinger"]
    assert grant["bevilling_id"] == forloeb_id and grant["indsats_kode"] == "AEL10"
    assert grant["bevilgede_minutter_pr_uge"] == 210.0 and grant["status"] == "aktiv"
    ophoer = env(
        "BevillingOphoert",
        {
            "borger_id": str(uuid4()),
            "bevilling_ids": [forloeb_id],
            "ophoersdato": "2026-12-14",
            "aarsag": "doedsfald",
        },
        at="2026-12-15T09:00:00+00:00",
        case_id=sag,
    )
    state = sag_som_kendt(sag, [*events, ophoer])
    assert state["status"] == "ophoert" and state["bevillinger"][0]["status"] == "ophoert"
