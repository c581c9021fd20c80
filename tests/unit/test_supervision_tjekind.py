"""Supervision folds the provider's check-in, check-out and late-visit events (issue 16
item 2) into the case history and the citizen's aktindsigt list."""

from __future__ import annotations

from typing import Any

from services.supervision.domain.aktindsigt_poster import POSTER
from services.supervision.domain.sagstilstand import sag_som_kendt
from shared.contracts import CONTRACTS
from tests.unit.test_supervision_folds import SAG, env, forloeb

LEV = {"source": "provider", "actor": "sosu-maria"}


def tjek(event_type: str, ids: dict[str, str], v: str, tidspunkt: str) -> dict[str, Any]:
    return env(
        event_type,
        {
            "besoeg_id": ids[v],
            "bestilling_id": ids["best"],
            "leverandoer_id": "omsorg-plus",
            "tidspunkt": tidspunkt,
            "medarbejder_id": "sosu-maria",
        },
        at=tidspunkt,
        **LEV,
    )


def forsinket(ids: dict[str, str], v: str, **data: Any) -> dict[str, Any]:
    return env(
        "BesoegForsinket",
        {
            "besoeg_id": ids[v],
            "bestilling_id": ids["best"],
            "leverandoer_id": "omsorg-plus",
            "seneste_start": "2026-11-06T11:00:00+01:00",
            **data,
        },
        at="2026-11-06T10:05:00+00:00",
        **LEV,
    )


def nye(ids: dict[str, str]) -> list[dict[str, Any]]:
    return [
        tjek("BesoegPaabegyndt", ids, "v1", "2026-11-04T07:10:00+00:00"),
        tjek("BesoegAfsluttet", ids, "v1", "2026-11-04T07:40:00+00:00"),
        forsinket(
            ids,
            "v2",
            erstatning_skyldig=True,
            erstatning_frist="2026-11-06",
            erstatning_frist_tidspunkt="2026-11-06T14:00:00+01:00",
        ),
        forsinket(ids, "v3", erstatning_skyldig=False, paabegyndt="2026-12-01T11:30:00+01:00"),
    ]


def test_the_new_events_are_valid_contracts() -> None:
    _, ids = forloeb()
    for e in nye(ids):
        CONTRACTS[(e["event_type"], 1)].model_validate(e["data"])


def test_check_in_out_and_late_visits_in_the_case_history() -> None:
    events, ids = forloeb()
    sag = sag_som_kendt(SAG, [*events, *nye(ids)])
    kendte = {o["haendelse"] for o in sag["oevrige_haendelser"]}
    assert not kendte & {"BesoegPaabegyndt", "BesoegAfsluttet", "BesoegForsinket"}
    besoeg = {b["besoeg_id"]: b for b in sag["besoeg"]}
    v1, v2, v3 = (besoeg[ids[v]] for v in ("v1", "v2", "v3"))
    assert v1["paabegyndt"] == "2026-11-04T07:10:00+00:00"
    assert v1["afsluttet"] == "2026-11-04T07:40:00+00:00"
    assert v1["paabegyndt_af"] == "sosu-maria" and v1["status"] == "leveret"
    assert v2["forsinket"] and v2["erstatning_skyldig"]
    assert v2["erstatning_frist_tidspunkt"] == "2026-11-06T14:00:00+01:00"
    assert v3["forsinket"] and not v3["erstatning_skyldig"]


def test_check_in_out_and_late_visits_in_the_aktindsigt_list() -> None:
    _, ids = forloeb()
    ind, ud, sen, sen_startet = nye(ids)
    assert POSTER["BesoegPaabegyndt"](ind["data"]) == (
        "besoeg",
        "Besøg påbegyndt",
        ["2026-11-04T07:10:00+00:00 af sosu-maria"],
    )
    assert POSTER["BesoegAfsluttet"](ud["data"])[1] == "Besøg afsluttet"
    sektion, titel, linjer = POSTER["BesoegForsinket"](sen["data"])
    assert (sektion, titel) == ("besoeg", "Besøg forsinket")
    assert linjer[-1] == "Du har ret til et erstatningsbesøg senest 2026-11-06T14:00:00+01:00."
    assert POSTER["BesoegForsinket"](sen_startet["data"])[2][-1].startswith("Det blev påbegyndt")
