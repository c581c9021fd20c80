"""Unit tests of inspections: reproducible sample, findings, follow-ups, the report."""

from __future__ import annotations

from datetime import date

import pytest

from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg, udtraek_stikproeve
from services.supervision.domain.tilsynsfund import Tilsynsfund
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import ejere

OLE = {"id": "tilsyn-ole", "rolle": "tilsyn", "organisation": "kommunen"}
SAGER = [f"sag-{i:02d}" for i in range(20)]


def test_sample_is_reproducible_and_independent_of_candidate_order() -> None:
    first = udtraek_stikproeve(SAGER, 5, seed=42)
    assert first == udtraek_stikproeve(list(reversed(SAGER)), 5, seed=42)
    assert len(set(first)) == 5 and set(first) <= set(SAGER)
    assert udtraek_stikproeve(SAGER, 5, seed=43) != first
    assert udtraek_stikproeve(SAGER[:3], 5, seed=42) == sorted(SAGER[:3])


IDAG = date(2026, 12, 4)


def besoeg() -> Tilsynsbesoeg:
    return Tilsynsbesoeg.planlaeg(
        "omsorg-plus",
        False,
        "hjem",
        date(2026, 11, 10),
        SAGER,
        3,
        7,
        OLE,
        kendte_leverandoerer={"omsorg-plus", "rent-hjem"},
    )


def test_findings_follow_ups_and_report() -> None:
    b = besoeg()
    sag = b.stikproeve[0]
    b.registrer_fund(sag, "mindre_mangler", "Hjælpemidler ikke rengjort", OLE)
    b.registrer_fund(None, "tilfredsstillende", "Instrukser opdateret", OLE)
    p1 = b.opret_opfoelgning("Rengøringsplan", date(2026, 11, 24), "omsorg-plus", OLE)
    p2 = b.opret_opfoelgning("Instruks om ID-kort", date(2026, 11, 17), "omsorg-plus", OLE)
    b.luk_opfoelgning(p1, date(2026, 11, 20), "Plan modtaget", OLE, idag=IDAG)
    with pytest.raises(DomainRuleViolation):
        b.luk_opfoelgning(p1, date(2026, 11, 21), "igen", OLE, idag=IDAG)
    with pytest.raises(DomainRuleViolation):
        b.opret_opfoelgning("For tidligt", date(2026, 11, 1), "x", OLE)
    with pytest.raises(DomainRuleViolation):
        b.registrer_fund(sag, "fint", "x", OLE)

    r = b.rapport(date(2026, 11, 18))
    assert r["stikproeve"] == {
        "seed": 7,
        "kandidater": 20,
        "sager": udtraek_stikproeve(SAGER, 3, 7),
    }
    assert r["fund_optalt"] == {"mindre_mangler": 1, "tilfredsstillende": 1}
    assert {p["punkt_id"]: p["status"] for p in r["opfoelgning"]} == {
        p2: "overskredet",
        p1: "lukket",
    }
    assert r["varslet"] is False and r["sted"] == "hjem"

    copy = None
    events = b.collect_events()
    for e in events:
        copy = e.mutate(copy)
    assert copy is not None and copy.rapport(date(2026, 11, 18)) == r

    index = Tilsynsfund()
    for e in events:
        index.egen(e)
    (fund,) = index.for_sag(sag)
    assert fund["beskrivelse"].vis() == "Hjælpemidler ikke rengjort"
    # Sealed: the finding about a case under its subject (the citizen is not known here),
    # the rest of the inspection's text under the inspection's own.
    assert fund["beskrivelse"].ejer == f"sag:{sag}"
    assert ejere(r) == {f"sag:{sag}", f"tilsyn:{b.id}"}
    assert "beskrivelse" not in str(index.resultat())  # the fingerprinted figures hold none


def _regel(fn: object) -> str:
    with pytest.raises(DomainRuleViolation) as fejl:
        fn()  # type: ignore[operator]
    return fejl.value.rule


def test_findings_only_on_cases_in_the_sample() -> None:
    """Regression (issue 20, item 3): a finding was accepted on another provider's case and
    on an id that exists nowhere."""
    b = besoeg()
    uden_for = next(s for s in SAGER if s not in b.stikproeve)  # a candidate not drawn
    for sag in (uden_for, "en-anden-leverandoers-sag", "findes-ikke"):
        regel = _regel(lambda sag=sag: b.registrer_fund(sag, "kritisk", "x", OLE))
        assert regel == "fund-uden-for-stikproeve", sag
    assert b.fund == []
    b.registrer_fund(b.stikproeve[0], "kritisk", "Medicin ikke givet", OLE)
    b.registrer_fund(None, "tilfredsstillende", "Hos leverandøren", OLE)  # no case: allowed
    assert len(b.fund) == 2


def test_an_unknown_provider_is_not_inspected() -> None:
    """Regression (issue 20, item 3): an inspection of an unknown provider was planned."""
    regel = _regel(
        lambda: Tilsynsbesoeg.planlaeg(
            "findes-ikke", True, "hjem", IDAG, [], 3, 7, OLE, kendte_leverandoerer={"omsorg-plus"}
        )
    )
    assert regel == "ukendt-leverandoer"


def test_a_follow_up_is_not_closed_in_the_future() -> None:
    """Regression (issue 20, item 3): a follow-up was closed on a date in the future."""
    b = besoeg()
    p = b.opret_opfoelgning("Plan", date(2026, 12, 20), "leder", OLE)
    regel = _regel(lambda: b.luk_opfoelgning(p, date(2026, 12, 5), "x", OLE, idag=IDAG))
    assert regel == "lukning-i-fremtiden"
    assert b.opfoelgning[p]["lukket"] is None
    b.luk_opfoelgning(p, IDAG, "Plan modtaget", OLE, idag=IDAG)  # today itself is fine
    assert b.opfoelgning[p]["lukket"]["dato"] == "2026-12-04"
