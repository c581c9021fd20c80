"""Unit tests of aktindsigt: working-day deadline, the request aggregate, the answer."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.supervision.adapters.aktindsigt_dokument import som_html, som_pdf
from services.supervision.domain.aktindsigt import Aktindsigtsanmodning
from services.supervision.domain.aktindsigt_poster import POSTER
from services.supervision.domain.aktindsigt_svar import byg_svar
from services.supervision.domain.arbejdsdage import arbejdsdage_efter
from shared.contracts import CONTRACTS
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import SLETTET_TEKST, ejere, sagens_ejer, som_visning
from tests.unit.test_supervision_folds import SAG, env, forloeb

BORGER = {"id": "borger", "rolle": "borger", "organisation": "borger"}


@pytest.mark.parametrize(
    ("modtaget", "frist"),
    [
        (date(2026, 11, 2), date(2026, 11, 11)),  # Monday: the next Wednesday but one
        (date(2026, 12, 21), date(2026, 12, 31)),  # over Christmas (25 and 26 December)
        (date(2026, 3, 30), date(2026, 4, 13)),  # over Easter (2, 3 and 6 April)
        (date(2026, 11, 7), date(2026, 11, 17)),  # received on a Saturday
    ],
)
def test_deadline_is_seven_danish_working_days(modtaget: date, frist: date) -> None:
    assert arbejdsdage_efter(modtaget, 7) == frist
    anmodning = Aktindsigtsanmodning.anmod(uuid4(), "Jens", "part", "Hele sagen", modtaget, BORGER)
    assert anmodning.frist == frist


def test_request_is_answered_once_and_timeliness_is_recorded() -> None:
    a = Aktindsigtsanmodning.anmod(uuid4(), "Jens", "part", "Hele sagen", date(2026, 11, 2), BORGER)
    a.besvar(date(2026, 11, 12), "2026-11-12T10:00:00+00:00", 5, [], BORGER)
    assert a.besvaret is not None and a.besvaret["rettidig"] is False
    with pytest.raises(DomainRuleViolation):
        a.besvar(date(2026, 11, 12), "2026-11-12T10:00:00+00:00", 5, [], BORGER)
    with pytest.raises(DomainRuleViolation):
        Aktindsigtsanmodning.anmod(uuid4(), "Jens", "nabo", "", date(2026, 11, 2), BORGER)
    copy = None
    for e in a.collect_events():
        copy = e.mutate(copy)
    assert copy is not None and copy.som_dict() == a.som_dict()


def test_who_asks_and_what_for_are_the_citizens_sealed_data() -> None:
    sag_id, borger_id = uuid4(), str(uuid4())
    kendt = Aktindsigtsanmodning.anmod(
        sag_id, "Værgen Lise", "repraesentant", "Alt om faldet", date(2026, 11, 2), BORGER,
        borger_id,
    )  # fmt: skip
    assert (kendt.anmoder.vis(), kendt.omfang.vis()) == ("Værgen Lise", "Alt om faldet")
    assert ejere(kendt.som_dict()) == {borger_id}
    # Before supervision has heard who the citizen is: the case's own subject, which the
    # citizen's erasure deletes as well.
    ukendt = Aktindsigtsanmodning.anmod(sag_id, "Lise", "part", "", date(2026, 11, 2), BORGER)
    assert ejere(ukendt.som_dict()) == {sagens_ejer(sag_id)}
    vist = som_visning(kendt.som_dict(), lambda ejer: ejer == borger_id)
    assert vist["anmoder"] == vist["omfang"] == SLETTET_TEKST


def test_every_published_contract_has_an_entry() -> None:
    assert {event_type for event_type, _ in CONTRACTS} <= set(POSTER)


def test_answer_lists_every_event_and_withholds_unknown_types_with_reason() -> None:
    events, _ = forloeb()
    ukendt = env("EndnuIkkeBeskrevet", {"frist": "afgoerelse"})
    anmodning = Aktindsigtsanmodning.anmod(
        uuid4(), "Jens Hansen", "part", "Hele sagen", date(2026, 12, 16), BORGER
    ).som_dict()
    anmodning["sag_id"] = SAG
    opslag = [
        {
            "tidspunkt": "2026-12-01T10:00:00+00:00",
            "hvem": {"id": "tilsyn-ole", "rolle": "tilsyn", "organisation": "kommunen"},
            "endpoint": "historik",
            "formaal": "stikprøve",
            "adgang_id": str(uuid4()),
        }
    ]
    svar = byg_svar(
        anmodning,
        [*events, ukendt],
        opslag,
        "2026-12-16T00:00:00+00:00",
        "2026-12-16T09:00:00+00:00",
    )
    assert svar["antal_medtaget"] == len(events) + 1
    assert [u["haendelse"] for u in svar["undtaget"]] == ["EndnuIkkeBeskrevet"]
    assert "Forvaltningsloven" in svar["undtaget"][0]["grund"]
    by_key = {a["noegle"]: a["poster"] for a in svar["afsnit"]}
    assert by_key["bestilling"][0]["titel"] == "Bestilling sendt til omsorg-plus"
    assert by_key["adgang"][0]["linjer"] == ["tilsyn-ole (tilsyn, kommunen), formål: stikprøve"]
    assert any("aflyst af leverandøren" in p["titel"] for p in by_key["besoeg"])

    html = som_html(svar)
    assert "Aktindsigt i din sag om hjemmehjælp" in html
    assert "Undtaget fra aktindsigt" in html and "EndnuIkkeBeskrevet" in html
    pdf = som_pdf(svar)
    assert pdf.startswith(b"%PDF")
    assert b"Aktindsigt i din sag om hjemmehj" in pdf and b"EndnuIkkeBeskrevet" in pdf
    assert som_pdf(svar) == pdf  # same answer, same bytes
