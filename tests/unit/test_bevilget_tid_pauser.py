"""Issue 20: paused days (indlæggelse) are not granted, by the one definition of granted
time, in tilsyn's monthly granted minutes (the provider's share delivered) and in
settlement's granted minutes; a helhedspleje forløb settles on its own line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

from services.provider.domain.afregning import (
    HELHEDSPLEJE,
    Takst,
    Udfald,
    afregn,
    afregningskategori,
)
from services.provider.domain.takster import TAKSTER
from shared.contracts.bevilget_tid import (
    Pauser,
    bevilgede_dage,
    bevilget_i_perioden,
    helhedspleje_tid,
)
from tests.unit.test_supervision_folds import env
from tests.unit.test_supervision_helhedspleje import LEV, foldet, helhedspleje_forloeb

DEC, JAN = date(2026, 12, 1), date(2026, 12, 31)


def test_a_pause_runs_from_its_day_to_the_day_before_the_resumption() -> None:
    p = Pauser()
    p.pauset(date(2026, 12, 10))
    p.pauset(date(2026, 12, 10))  # redelivered: one pause
    assert p.pausede_dage(DEC, JAN) == 22  # still open: to the end of the period asked
    p.genoptaget(date(2026, 12, 20))
    assert p.perioder == [(date(2026, 12, 10), date(2026, 12, 19))]
    assert (p.er_pauset(date(2026, 12, 19)), p.er_pauset(date(2026, 12, 20))) == (True, False)
    assert bevilgede_dage(DEC, JAN, p) == 31 - 10
    assert bevilgede_dage(DEC, JAN) == 31
    resumed_same_day = Pauser()
    resumed_same_day.pauset(DEC)
    resumed_same_day.genoptaget(DEC)
    assert resumed_same_day.perioder == []


def test_a_forloebs_granted_minutes_leave_out_paused_days() -> None:
    frame = {
        "forloeb_id": str(uuid4()),
        "leverandoer_id": LEV,
        "ramme": "timer_pr_uge",
        "timer_pr_uge": 3.5,
        "startdato": "2026-12-01",
    }
    tid = helhedspleje_tid(frame)
    assert bevilget_i_perioden(tid, DEC, JAN)[1] == 930.0  # 210 min a week over 31 days
    p = Pauser()
    p.pauset(date(2026, 12, 8))
    p.genoptaget(date(2026, 12, 15))  # seven days in hospital
    assert bevilget_i_perioden(tid, DEC, JAN, p)[1] == 930.0 - 210.0


def pause_events(forloeb: list[dict[str, Any]], sag: str, fra: str, til: str) -> list[Any]:
    best = next(e for e in forloeb if e["event_type"] == "BestillingModtaget")["data"]
    lev = {"source": "provider", "actor": "sosu-maria", "case_id": sag}
    data = {"bestilling_id": best["bestilling_id"], "leverandoer_id": LEV, "besoeg_ids": []}
    return [
        env("BesoegPauset", data | {"fra": fra}, at=f"{fra}T09:00:00+00:00", **lev),
        env("BesoegGenoptaget", data | {"fra": til}, at=f"{til}T09:00:00+00:00", **lev),
    ]


def test_tilsyn_does_not_count_paused_days_as_granted() -> None:
    sag = str(uuid4())
    events, _ = helhedspleje_forloeb(sag)
    tal, _ = foldet(events + pause_events(events, sag, "2026-12-08", "2026-12-15"))
    dec = tal.resultat()["leverandoerer"][LEV]["2026-12"]
    assert dec["bevilgede_minutter"] == 930.0 - 210.0 and dec["bevilgede_besoeg"] == 24.0
    assert dec["leveret_af_bevilget"] == round(30 / 720, 3)


def test_an_order_ended_while_paused_ends_its_pause() -> None:
    sag = str(uuid4())
    events, _ = helhedspleje_forloeb(sag)
    pauset = pause_events(events, sag, "2026-12-08", "2026-12-15")[0]
    best = pauset["data"]["bestilling_id"]
    tal, _ = foldet([*events, pauset])
    assert tal.resultat()["leverandoerer"][LEV]["2026-12"]["bevilgede_minutter"] == 210.0
    afsluttet = env(
        "BestillingAfsluttet",
        {
            "bestilling_id": best,
            "bevilling_id": events[0]["data"]["helhedspleje"]["forloeb_id"],
            "leverandoer_id": LEV,
            "sidste_dag": "2026-12-09",
            "aarsag": "doedsfald",
            "afsluttede_besoeg": [],
        },
        at="2026-12-09T10:00:00+00:00",
        source="provider",
        actor="sosu-maria",
        case_id=sag,
    )
    tal.registrer(afsluttet)
    assert tal.pauser[(afsluttet["data"]["bevilling_id"], LEV)].perioder == [
        (date(2026, 12, 8), date(2026, 12, 9))
    ]


TAKST_UDEN = (Takst("gammel", date(2026, 1, 1), {"personlig": Decimal("400")}),)


def test_helhedspleje_settles_on_its_own_line_at_its_own_rate() -> None:
    assert afregningskategori("personlig", "AEL10") == HELHEDSPLEJE
    assert afregningskategori("personlig", "H1.3") == "personlig"
    udfald = [Udfald(HELHEDSPLEJE, "leveret", 30, 30), Udfald("personlig", "leveret", 30, 30)]
    visiteret = {HELHEDSPLEJE: 720, "personlig": 300}
    a = afregn("lev", DEC, udfald, visiteret, TAKSTER)
    h = next(x for x in a.linjer if x.kategori == HELHEDSPLEJE)
    p = next(x for x in a.linjer if x.kategori == "personlig")
    assert a.takst_version == "2026.2"
    assert (h.visiterede_minutter, h.leverede_minutter, h.afregnede_minutter) == (720, 30, 30)
    assert (h.takst_kategori, h.kr_pr_time, h.beloeb) == (
        HELHEDSPLEJE,
        Decimal("395.00"),
        Decimal("197.50"),
    )
    assert (p.visiterede_minutter, p.afregnede_minutter, p.takst_kategori) == (
        300,
        30,
        "personlig",
    )


def test_a_rate_table_without_helhedspleje_prices_it_at_personal_care_and_says_so() -> None:
    a = afregn("lev", DEC, [Udfald(HELHEDSPLEJE, "leveret", 30, 30)], {}, TAKST_UDEN)
    h = next(x for x in a.linjer if x.kategori == HELHEDSPLEJE)
    assert (h.takst_kategori, h.kr_pr_time, h.beloeb) == ("personlig", Decimal("400"), 200)
    nov = afregn("lev", date(2026, 11, 1), [Udfald(HELHEDSPLEJE, "leveret", 30, 30)], {}, TAKSTER)
    assert nov.takst_version == "2026" and nov.linjer[0].takst_kategori == "personlig"


def test_a_month_without_helhedspleje_has_no_such_line() -> None:
    a = afregn("lev", DEC, [Udfald("personlig", "leveret", 30, 30)], {}, TAKSTER)
    assert HELHEDSPLEJE not in {x.kategori for x in a.linjer}
