"""Ankestyrelsen's outcome and the application case's new types in tilsyn's complaint
figures, the case state and the aktindsigt answer."""

from __future__ import annotations

from uuid import uuid4

from services.supervision.domain.aktindsigt_poster import POSTER
from services.supervision.domain.sagstilstand import sag_som_kendt
from tests.unit.test_supervision_folds import SAG, env, forloeb
from tests.unit.test_supervision_nye_typer import fold


def test_ankestyrelsen_counts_beside_genvurdering_and_joins_the_complaint() -> None:
    events, ids = forloeb()
    genvurderet = env(
        "KlageGenvurderet",
        {"klage_id": ids["klage"], "dato": "2027-01-05", "udfald": "fastholdt", "begrundelse": "x"},
    )
    anke = env(
        "AnkestyrelsensAfgoerelse",
        {
            "klage_id": ids["klage"],
            "dato": "2027-03-01",
            "udfald": "hjemvist",
            "begrundelse": "Sagen er ikke tilstrækkeligt oplyst.",
        },
    )
    r = fold([*events, genvurderet, anke])
    dec = r["frister"]["2026-12"]  # the month the complaint was received
    assert dec["klageudfald"] == {"ankestyrelsen_hjemvist": 1, "fastholdt": 1}
    assert r["leverandoerer"]["omsorg-plus"]["2026-12"]["klageudfald"] == {
        "ankestyrelsen_hjemvist": 1,
        "fastholdt": 1,
    }
    state = sag_som_kendt(SAG, [*events, genvurderet, anke])
    assert state["oevrige_haendelser"] == []
    assert state["klager"][0]["ankestyrelsen"]["udfald"] == "hjemvist"
    titel = POSTER["AnkestyrelsensAfgoerelse"](anke["data"])[1]
    assert titel == "Ankestyrelsens afgørelse 2027-03-01: hjemvist"


def test_withdrawn_case_is_closed_in_the_case_state() -> None:
    events, _ = forloeb()
    ansoegning = [e for e in events if e["event_type"] == "AnsoegningModtaget"]
    trukket = env("AnsoegningTilbagetrukket", {"dato": "2026-10-28", "begrundelse": "Klarer sig"})
    hoering = env(
        "PartshoeringSendt",
        {
            "partshoering_id": str(uuid4()),
            "sendt_dato": "2026-10-27",
            "svarfrist": "2026-11-03",
            "oplysninger": "Lægens notat",
        },
    )
    state = sag_som_kendt(SAG, [*ansoegning, hoering, trukket])
    assert state["status"] == "lukket" and state["oevrige_haendelser"] == []
    assert [s["haendelse"] for s in state["sagsbehandling"]] == [
        "PartshoeringSendt",
        "AnsoegningTilbagetrukket",
    ]
