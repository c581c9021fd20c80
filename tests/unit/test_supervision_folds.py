"""Unit tests of supervision's pure folds over hand-built public event envelopes (no I/O)."""

from __future__ import annotations

import json
from itertools import count
from typing import Any
from uuid import uuid4

from services.supervision.domain.leveringsgrad import Leveringsgrad
from services.supervision.domain.sagstilstand import Sagstilstand, sag_som_kendt
from services.supervision.domain.tilsynstal import Tilsynstal

SAG = str(uuid4())
BORGER = str(uuid4())
_seq = count(1)


def env(
    event_type: str,
    data: dict[str, Any],
    *,
    source: str = "visitation",
    at: str = "2026-11-02T09:00:00+00:00",
    case_id: str = SAG,
    actor: str = "vis-anne",
) -> dict[str, Any]:
    return {
        "event_id": str(uuid4()),
        "event_type": event_type,
        "schema_version": 1,
        "source": source,
        "case_id": case_id,
        "sequence": next(_seq),
        "case_sequence": 1,
        "occurred_at": at,
        "recorded_at": at,
        "actor": {"id": actor, "rolle": "visitator", "organisation": "kommunen"},
        "legal_basis": "Serviceloven § 83",
        "data": data,
    }


def bevilling(bevilling_id: str, leverandoer: str = "omsorg-plus", **regler: Any) -> dict[str, Any]:
    b: dict[str, Any] = {
        "bevilling_id": bevilling_id,
        "anmodning_id": str(uuid4()),
        "indsats_kode": "H1.3",
        "indsats_navn": "Bad",
        "kategori": "personlig",
        "hyppighed": {"antal": 2, "periode": "uge"},
        "minutter_pr_besoeg": 30,
        "leverandoer_id": leverandoer,
        "startdato": "2026-11-02",
        "slutdato": None,
    }
    if regler:
        b["leveringsregler"] = {"katalog_version": "herlev-2013", **regler}
    return b


def forloeb(iverksaettelse: int | None = 3) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Application, decision, order, three planned visits: one delivered, two cancelled."""
    ids = {k: str(uuid4()) for k in ("bev", "afg", "best", "v1", "v2", "v3", "klage")}
    regler = {"iverksaettelsesfrist_dage": iverksaettelse} if iverksaettelse else {}
    lev = {"source": "provider", "actor": "sosu-maria"}
    events = [
        env(
            "AnsoegningModtaget",
            {
                "borger_id": BORGER,
                "modtaget_dato": "2026-10-26",
                "kanal": "telefon",
                "henvendelse_fra": "borger",
                "anmodninger": [
                    {"anmodning_id": str(uuid4()), "beskrivelse": "Bad", "kategori": "personlig"}
                ],
            },
            at="2026-10-26T09:00:00+00:00",
        ),
        env(
            "AfgoerelseTruffet",
            {
                "afgoerelse_id": ids["afg"],
                "borger_id": BORGER,
                "truffet_dato": "2026-11-02",
                "udfald": [],
                "bevillinger": [bevilling(ids["bev"], **regler)],
            },
        ),
        env(
            "BestillingModtaget",
            {
                "bestilling_id": ids["best"],
                "bevilling_id": ids["bev"],
                "leverandoer_id": "omsorg-plus",
                "indsats_kode": "H1.3",
                "kategori": "personlig",
                "minutter_pr_besoeg": 30,
            },
            at="2026-11-02T09:05:00+00:00",
            **lev,
        ),
        env(
            "BesoegPlanlagt",
            {
                "bestilling_id": ids["best"],
                "leverandoer_id": "omsorg-plus",
                "besoeg": [
                    {
                        "besoeg_id": ids[v],
                        "dato": d,
                        "tidsvindue": "morgen",
                        "planlagte_minutter": 30,
                    }
                    for v, d in (("v1", "2026-11-04"), ("v2", "2026-11-06"), ("v3", "2026-12-01"))
                ],
            },
            at="2026-11-02T09:05:01+00:00",
            **lev,
        ),
        env(
            "IndsatsLeveret",
            {
                "besoeg_id": ids["v1"],
                "bestilling_id": ids["best"],
                "leverandoer_id": "omsorg-plus",
                "leveret_tidspunkt": "2026-11-04T08:00:00+00:00",
                "faktiske_minutter": 25,
                "medarbejder_id": "sosu-maria",
            },
            at="2026-11-04T09:00:00+00:00",
            **lev,
        ),
        env(
            "BesoegAflyst",
            {
                "besoeg_id": ids["v2"],
                "bestilling_id": ids["best"],
                "leverandoer_id": "omsorg-plus",
                "aflyst_af": "leverandoer",
                "aarsag": "Sygdom",
                "varsel_timer": 2.0,
                "rettidig": False,
            },
            at="2026-11-06T06:00:00+00:00",
            **lev,
        ),
        env(
            "LeveringSvigtet",
            {
                "besoeg_id": ids["v2"],
                "bestilling_id": ids["best"],
                "leverandoer_id": "omsorg-plus",
                "oprindelig_dato": "2026-11-06",
                "erstatning_frist": "2026-11-14",
                "aarsag": "Ingen erstatning",
            },
            at="2026-11-15T06:00:00+00:00",
            **lev,
        ),
        env(
            "KlageOprettet",
            {
                "klage_id": ids["klage"],
                "klagetype": "afgoerelse",
                "afgoerelse_id": ids["afg"],
                "modtaget_dato": "2026-12-15",
                "beskrivelse": "For lidt hjælp",
            },
            at="2026-12-15T10:00:00+00:00",
            actor="borger",
        ),
    ]
    return events, ids


def test_case_state_folds_every_known_type() -> None:
    events, ids = forloeb()
    state = sag_som_kendt(SAG, events)
    assert state["status"] == "afgjort"
    assert state["borger_id"] == BORGER
    assert [b["bevilling_id"] for b in state["bevillinger"]] == [ids["bev"]]
    assert state["bestillinger"][0]["bevilling_id"] == ids["bev"]
    assert state["besoeg_optalt"] == {"aflyst": 1, "leveret": 1, "planlagt": 1}
    aflyst = next(b for b in state["besoeg"] if b["besoeg_id"] == ids["v2"])
    assert aflyst["aflyst_af"] == "leverandoer" and aflyst["svigtet"] is True
    assert state["klager"][0]["oprettet_af"] == "borger"
    assert state["oevrige_haendelser"] == []
    assert state["antal_haendelser"] == len(events)


def test_case_state_as_of_an_earlier_moment_is_the_prefix() -> None:
    events, _ = forloeb()
    state = sag_som_kendt(SAG, events[:2])
    assert state["status"] == "afgjort" and state["besoeg"] == [] and state["bestillinger"] == []
    assert sag_som_kendt(SAG, events[:1])["status"] == "modtaget"
    assert sag_som_kendt(SAG, [])["status"] == "ukendt"


def test_unknown_event_type_is_kept_and_changes_no_figure() -> None:
    events, _ = forloeb()
    ukendt = env("AnkeAfgoerelseFremtidig", {"frist": "afgoerelse", "dage": 3})
    state = sag_som_kendt(SAG, [*events, ukendt])
    assert state["oevrige_haendelser"] == [
        {
            "haendelse": "AnkeAfgoerelseFremtidig",
            "kilde": "visitation",
            "tidspunkt": ukendt["occurred_at"],
            "data": {"frist": "afgoerelse", "dage": 3},
        }
    ]
    with_unknown, without = Tilsynstal(), Tilsynstal()
    for e in events:
        with_unknown.registrer(e)
        without.registrer(e)
    with_unknown.registrer(ukendt)
    assert with_unknown.resultat() == without.resultat()


def test_ophoer_and_switch_change_the_grants() -> None:
    events, ids = forloeb()
    skift = env(
        "LeverandoerSkiftet",
        {
            "borger_id": BORGER,
            "kategori": "personlig",
            "fra_leverandoer_id": "omsorg-plus",
            "til_leverandoer_id": "hjem-og-hjerte",
            "gyldig_fra": "2026-12-01",
            "bevillinger": [{**bevilling(ids["bev"], "hjem-og-hjerte"), "startdato": "2026-12-01"}],
        },
    )
    ophoer = env(
        "BevillingOphoert",
        {
            "borger_id": BORGER,
            "bevilling_ids": [ids["bev"]],
            "ophoersdato": "2026-12-14",
            "aarsag": "plejebolig",
        },
    )
    state = sag_som_kendt(SAG, [*events, skift, ophoer])
    assert state["status"] == "ophoert"
    assert state["bevillinger"][0]["leverandoer_id"] == "hjem-og-hjerte"
    assert state["bevillinger"][0]["ophoer"]["aarsag"] == "plejebolig"
    assert state["leverandoerskift"][0]["til_leverandoer_id"] == "hjem-og-hjerte"

    tal = Tilsynstal()
    for e in [*events, skift, ophoer]:
        tal.registrer(e)
    r = tal.resultat()["leverandoerer"]
    # 2 visits/week x 30 min: November 2-30 (29 days) with the first provider ...
    assert r["omsorg-plus"]["2026-11"]["bevilgede_minutter"] == round(60 * 29 / 7, 1)
    # ... December 1-14 with the new one, nothing after the ophør
    assert r["hjem-og-hjerte"]["2026-12"]["bevilgede_minutter"] == 120.0
    assert r["omsorg-plus"]["2026-12"]["bevilgede_minutter"] == 0.0


def test_tilsyn_figures_per_provider_and_month() -> None:
    events, _ = forloeb(iverksaettelse=3)
    tal = Tilsynstal()
    for e in events:
        tal.registrer(e)
    r = tal.resultat()
    nov = r["leverandoerer"]["omsorg-plus"]["2026-11"]
    assert nov["planlagte_besoeg"] == 2 and nov["planlagte_minutter"] == 60
    assert nov["leverede_besoeg"] == 1 and nov["leverede_minutter"] == 25
    assert nov["leveret_af_afviklet_planlagt"] == round(25 / 60, 3)
    # Counted by who cancelled and whether in time, never by the free-text reason.
    assert nov["aflysninger"] == {"leverandoer": {"for_sent": 1}}
    assert nov["aflysninger_for_sent"] == 1
    assert nov["erstatning"] == {
        "skyldt": 1,
        "planlagt": 0,
        "leveret_inden_frist": 0,
        "leveret_efter_frist": 0,
        "svigtet": 1,
        "aabne": 0,
        "inden_frist_andel": 0.0,
    }
    assert nov["iverksaettelse"] == {"inden_frist": 1, "efter_frist": 0, "overholdt_andel": 1.0}
    dec = r["leverandoerer"]["omsorg-plus"]["2026-12"]
    assert dec["planlagte_besoeg"] == 1 and dec["klager"] == {"afgoerelse": 1}
    assert r["frister"]["2026-11"]["dage_fra_ansoegning_til_afgoerelse"] == {
        "median": 7,
        "max": 7,
    }
    # 15 December is more than 4 weeks after the decision of 2 November
    assert r["frister"]["2026-12"]["klager_indgivet_for_sent"] == 1


def test_a_complaint_is_late_from_the_published_klagefrist_when_the_notice_is_known() -> None:
    events, ids = forloeb(iverksaettelse=3)
    *foer, klage = events
    meddelt = env(
        "AfgoerelseMeddelt",
        {
            "borger_id": BORGER,
            "afgoerelse_id": ids["afg"],
            "meddelt_dato": "2026-11-20",
            "kanal": "brev",
            "klagefrist": "2026-12-18",
        },
        at="2026-11-23T09:00:00+00:00",
    )
    tal = Tilsynstal()
    for e in [*foer, meddelt, klage]:
        tal.registrer(e)
    frister = tal.resultat()["frister"]["2026-12"]
    # 15 December: late counted from the decision, in time from the notice
    assert frister["klager_indgivet_for_sent"] == 0
    assert frister["klager_indgivet_rettidigt"] == 1
    tilstand = Sagstilstand(SAG)
    for e in [*foer, meddelt]:
        tilstand.registrer(e)
    assert tilstand.oevrige_haendelser == []
    (afgoerelse,) = tilstand.afgoerelser
    assert afgoerelse["meddelt"] == {
        "dato": "2026-11-20",
        "kanal": "brev",
        "klagefrist": "2026-12-18",
    }


def test_late_start_counts_against_the_decision_month() -> None:
    events, _ = forloeb(iverksaettelse=1)  # delivered on day 2 after the decision
    tal = Tilsynstal()
    for e in events:
        tal.registrer(e)
    nov = tal.resultat()["leverandoerer"]["omsorg-plus"]["2026-11"]
    assert nov["iverksaettelse"] == {"inden_frist": 0, "efter_frist": 1, "overholdt_andel": 0.0}


def test_folds_are_deterministic_byte_for_byte() -> None:
    events, _ = forloeb()
    results = []
    for _ in range(2):
        tal, grad = Tilsynstal(), Leveringsgrad()
        for e in json.loads(json.dumps(events)):
            tal.registrer(e)
            grad.registrer(e)
        results.append(json.dumps([tal.resultat(), grad.resultat()], sort_keys=True))
    assert results[0] == results[1]


def test_leveringsgrad_over_all_time() -> None:
    events, _ = forloeb()
    grad = Leveringsgrad()
    for e in events:
        grad.registrer(e)
    assert grad.resultat() == [
        {
            "leverandoer_id": "omsorg-plus",
            "bevilgede_minutter_pr_uge": 60.0,
            "planlagte_besoeg": 3,
            "planlagte_minutter": 90,
            "leverede_besoeg": 1,
            "leverede_minutter": 25,
            "aflyste_besoeg": {"leverandoer": 1},
            "leveringsgrad": round(25 / 60, 3),
        }
    ]


def test_delivery_before_plan_is_still_counted() -> None:
    events, _ = forloeb()
    state = Sagstilstand(SAG)
    state.registrer(events[4])  # IndsatsLeveret without its plan
    assert state.som_dict()["besoeg"][0]["status"] == "leveret"
