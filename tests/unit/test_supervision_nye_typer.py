"""The event types visitation and provider added (replacements, forgæves, pause, ended
orders, deadlines, genvurdering, receipts) in the tilsyn figures and the case state."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from services.supervision.domain.leveringsgrad import Leveringsgrad
from services.supervision.domain.sagstilstand import sag_som_kendt
from services.supervision.domain.tilsynstal import Tilsynstal
from tests.unit.test_supervision_folds import BORGER, SAG, env, forloeb

LEV = {"source": "provider", "actor": "sosu-maria"}


def fold(events: list[dict[str, Any]]) -> dict[str, Any]:
    tal = Tilsynstal()
    for e in events:
        tal.registrer(e)
    return tal.resultat()


def uden_svigt() -> tuple[list[dict[str, Any]], dict[str, str]]:
    events, ids = forloeb()
    return [e for e in events if e["event_type"] != "LeveringSvigtet"], ids


def erstatning(ids: dict[str, str], dato: str = "2026-11-10") -> dict[str, Any]:
    ids["r2"] = str(uuid4())
    return env(
        "ErstatningsbesoegPlanlagt",
        {
            "besoeg_id": ids["r2"],
            "bestilling_id": ids["best"],
            "leverandoer_id": "omsorg-plus",
            "erstatter_besoeg_id": ids["v2"],
            "dato": dato,
            "tidsvindue": "morgen",
            "planlagte_minutter": 30,
            "erstatning_frist": "2026-11-14",
        },
        at="2026-11-06T07:00:00+00:00",
        **LEV,
    )


def leveret(
    ids: dict[str, str],
    besoeg: str,
    tidspunkt: str,
    medarbejder: str = "sosu-maria",
    case_id: str = SAG,
) -> dict[str, Any]:
    return env(
        "IndsatsLeveret",
        {
            "besoeg_id": ids.get(besoeg, besoeg),
            "bestilling_id": ids["best"],
            "leverandoer_id": "omsorg-plus",
            "leveret_tidspunkt": tidspunkt,
            "faktiske_minutter": 30,
            "medarbejder_id": medarbejder,
        },
        at=tidspunkt,
        case_id=case_id,
        **LEV,
    )


def besoeg_ids(event_type: str, ids: list[str], **data: Any) -> dict[str, Any]:
    return env(
        event_type,
        {"bestilling_id": str(uuid4()), "leverandoer_id": "omsorg-plus", **data},
        at="2026-11-20T08:00:00+00:00",
        **LEV,
    )


def test_replacement_delivered_on_or_before_its_deadline_counts_within() -> None:
    events, ids = uden_svigt()
    r = fold([*events, erstatning(ids), leveret(ids, "r2", "2026-11-14T15:00:00+00:00")])
    nov = r["leverandoerer"]["omsorg-plus"]["2026-11"]
    assert nov["erstatning"] == {
        "skyldt": 1,
        "planlagt": 1,
        "leveret_inden_frist": 1,
        "leveret_efter_frist": 0,
        "svigtet": 0,
        "aabne": 0,
        "inden_frist_andel": 1.0,
    }
    # the replacement is delivered work, but not a second planned visit
    assert nov["leverede_besoeg"] == 2 and nov["planlagte_besoeg"] == 2


def test_late_or_missing_replacement() -> None:
    events, ids = uden_svigt()
    late = fold([*events, erstatning(ids), leveret(ids, "r2", "2026-11-16T08:00:00+00:00")])
    e = late["leverandoerer"]["omsorg-plus"]["2026-11"]["erstatning"]
    assert (e["leveret_efter_frist"], e["inden_frist_andel"]) == (1, 0.0)
    open_ = fold([*events, erstatning(ids)])["leverandoerer"]["omsorg-plus"]["2026-11"]
    assert open_["erstatning"]["aabne"] == 1 and open_["erstatning"]["inden_frist_andel"] is None


def test_paused_and_ended_visits_are_not_missing() -> None:
    events, ids = uden_svigt()
    dec = fold(events)["leverandoerer"]["omsorg-plus"]["2026-12"]
    # v3 (1 December) is neither delivered nor cancelled by 15 December, the last event
    assert (dec["manglende"], dec["pauset"]) == (1, 0)

    pause = besoeg_ids("BesoegPauset", [ids["v3"]], fra="2026-11-20", besoeg_ids=[ids["v3"]])
    dec = fold([*events, pause])["leverandoerer"]["omsorg-plus"]["2026-12"]
    assert (dec["manglende"], dec["pauset"]) == (0, 1)

    igen = besoeg_ids("BesoegGenoptaget", [ids["v3"]], fra="2026-11-25", besoeg_ids=[ids["v3"]])
    dec = fold([*events, pause, igen])["leverandoerer"]["omsorg-plus"]["2026-12"]
    assert (dec["manglende"], dec["pauset"]) == (1, 0)

    slut = besoeg_ids(
        "BestillingAfsluttet",
        [ids["v3"]],
        bevilling_id=ids["bev"],
        sidste_dag="2026-11-30",
        aarsag="plejebolig",
        afsluttede_besoeg=[ids["v3"]],
    )
    dec = fold([*events, pause, slut])["leverandoerer"]["omsorg-plus"]["2026-12"]
    assert (dec["manglende"], dec["pauset"], dec["afsluttet_uden_levering"]) == (0, 0, 1)
    assert dec["planlagte_besoeg"] == 0


def test_forgaeves_visit_is_settled_not_missing() -> None:
    events, ids = uden_svigt()
    forgaeves = env(
        "BesoegForgaeves",
        {
            "besoeg_id": ids["v3"],
            "bestilling_id": ids["best"],
            "leverandoer_id": "omsorg-plus",
            "tidspunkt": "2026-12-01T08:00:00+00:00",
            "medarbejder_id": "sosu-maria",
            "aarsag": "ikke_hjemme",
        },
        at="2026-12-01T08:10:00+00:00",
        **LEV,
    )
    dec = fold([*events, forgaeves])["leverandoerer"]["omsorg-plus"]["2026-12"]
    assert dec["forgaeves"] == {"ikke_hjemme": 1} and dec["manglende"] == 0
    assert dec["leveret_af_afviklet_planlagt"] == 0.0


def test_fixed_helper_share_and_helpers_per_citizen() -> None:
    events, ids = uden_svigt()
    other = str(uuid4())
    extra = [
        leveret(ids, str(uuid4()), "2026-11-10T08:00:00+00:00"),
        leveret(ids, str(uuid4()), "2026-11-12T08:00:00+00:00"),
        leveret(ids, str(uuid4()), "2026-11-13T08:00:00+00:00", medarbejder="sosu-per"),
        leveret(ids, str(uuid4()), "2026-11-13T09:00:00+00:00", "sosu-ole", case_id=other),
    ]
    nov = fold([*events, *extra])["leverandoerer"]["omsorg-plus"]["2026-11"]
    # SAG: maria 3 (with v1), per 1; the other citizen: ole 1 -> 4 of 5 by the fixed helper
    assert nov["faste_hjaelpere"] == {
        "borgere": 2,
        "fast_hjaelper_andel": 0.8,
        "hjaelpere_pr_borger": {"median": 2, "max": 2, "gennemsnit": 1.5},
    }


def frist(fristtype: str, frist_dato: str, frist_id: str | None = None) -> dict[str, Any]:
    return env(
        "FristOverskredet",
        {
            "borger_id": BORGER,
            "frist_id": frist_id or f"{fristtype}-1",
            "fristtype": fristtype,
            "frist": frist_dato,
            "konstateret_dato": frist_dato,
        },
    )


def test_legal_clocks_met_and_missed_and_complaint_outcomes() -> None:
    events, ids = forloeb()
    kvittering = env("KvitteringSendt", {"dato": "2026-10-28", "forventet_afgoerelse": None})
    genvurderet = env(
        "KlageGenvurderet",
        {
            "klage_id": ids["klage"],
            "dato": "2027-01-05",
            "udfald": "fastholdt",
            "begrundelse": "Afgørelsen fastholdes.",
        },
    )
    nye = [
        kvittering,
        frist("afgoerelse", "2026-10-30"),
        frist("afgoerelse", "2026-10-30"),  # the same deadline again: counted once
        frist("revurdering", "2026-12-01"),
        genvurderet,
    ]
    r = fold([*events, *nye])
    okt, dec, jan = (r["frister"][m] for m in ("2026-10", "2026-12", "2027-01"))
    assert okt["kvitteringer"] == 1 and okt["dage_fra_ansoegning_til_kvittering"]["max"] == 2
    assert okt["frister_overskredet"] == {"afgoerelse": 1}
    assert okt["frister_overholdt"] == {"kvittering": 1}
    # the decision came after its deadline was reported missed: not counted as met
    assert r["frister"]["2026-11"]["frister_overholdt"] == {}
    assert dec["revurderinger_overskredet"] == 1
    assert dec["klageudfald"] == {"fastholdt": 1}
    assert jan["frister_overholdt"] == {"genvurdering": 1}
    assert r["leverandoerer"]["omsorg-plus"]["2026-12"]["klageudfald"] == {"fastholdt": 1}

    state = sag_som_kendt(SAG, [*events, *nye])
    assert state["oevrige_haendelser"] == []
    assert state["klager"][0]["genvurdering"]["udfald"] == "fastholdt"
    assert state["kvitteringer"] == [kvittering["data"]]
    assert [f["fristtype"] for f in state["overskredne_frister"]] == [
        "afgoerelse",
        "afgoerelse",
        "revurdering",
    ]


def test_case_state_folds_the_provider_types() -> None:
    events, ids = uden_svigt()
    pause = besoeg_ids("BesoegPauset", [], fra="2026-11-20", besoeg_ids=[ids["v3"]])
    slut = env(
        "BestillingAfsluttet",
        {
            "bestilling_id": ids["best"],
            "bevilling_id": ids["bev"],
            "leverandoer_id": "omsorg-plus",
            "sidste_dag": "2026-11-30",
            "aarsag": "plejebolig",
            "afsluttede_besoeg": [ids["v3"]],
        },
        **LEV,
    )
    state = sag_som_kendt(
        SAG,
        [*events, erstatning(ids), leveret(ids, "r2", "2026-11-10T09:00:00+00:00"), pause, slut],
    )
    assert state["oevrige_haendelser"] == []
    besoeg = {b["besoeg_id"]: b for b in state["besoeg"]}
    assert besoeg[ids["v2"]]["erstattet_af"] == ids["r2"]
    assert besoeg[ids["r2"]]["status"] == "leveret"
    assert besoeg[ids["r2"]]["erstatter_besoeg_id"] == ids["v2"]
    assert besoeg[ids["v3"]]["status"] == "afsluttet"
    assert state["bestillinger"][0]["afsluttet"]["aarsag"] == "plejebolig"


def alle_typer() -> list[dict[str, Any]]:
    events, ids = uden_svigt()
    return [
        *events,
        erstatning(ids),
        leveret(ids, "r2", "2026-11-16T08:00:00+00:00", medarbejder="sosu-per"),
        besoeg_ids("BesoegPauset", [], fra="2026-11-20", besoeg_ids=[ids["v3"]]),
        frist("kvittering", "2026-10-29"),
        env("KvitteringSendt", {"dato": "2026-10-30", "forventet_afgoerelse": "2026-11-02"}),
        env(
            "KlageGenvurderet",
            {
                "klage_id": ids["klage"],
                "dato": "2027-01-05",
                "udfald": "medhold",
                "begrundelse": "-",
            },
        ),
    ]


def test_every_fold_is_byte_identical_when_replayed_from_json() -> None:
    results = []
    for _ in range(2):
        tal, grad = Tilsynstal(), Leveringsgrad()
        for e in json.loads(json.dumps(alle_typer())):
            tal.registrer(e)
            grad.registrer(e)
        results.append(json.dumps([tal.resultat(), grad.resultat()], sort_keys=True))
    assert results[0] == results[1]


def test_an_unknown_later_type_moves_no_figure() -> None:
    # Not even the "latest day" that decides which planned visits count as missing.
    events = alle_typer()
    senere = env("AnkestyrelsenAfgoerelse", {"udfald": "stadfaestet"}, at="2027-06-01T09:00:00Z")
    assert fold([*events, senere]) == fold(events)
