"""Settlement rules (pure): what counts, at which rate, rounded how."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.provider.application.afregning import maanedens_dage
from services.provider.domain.afregning import Takst, Udfald, afregn, gaeldende_takst
from services.provider.domain.takster import TAKSTER
from shared.kernel import DomainRuleViolation

NOV = date(2026, 11, 1)
TAKST = (Takst("t1", date(2026, 1, 1), {"personlig": Decimal("400"), "praktisk": Decimal("360")}),)


def linje(a, kategori: str):  # type: ignore[no-untyped-def]
    return next(x for x in a.linjer if x.kategori == kategori)


def test_each_outcome_by_its_rule() -> None:
    udfald = [
        Udfald("personlig", "leveret", 30, 25),  # actual minutes
        Udfald("personlig", "delvist_leveret", 30, 10),  # partial: actual minutes
        Udfald("personlig", "forgaeves", 30),  # planned minutes
        Udfald("personlig", "aflyst", 30, None, "borger", False),  # late: planned
        Udfald("personlig", "aflyst", 30, None, "borger", True),  # timely: nothing
        Udfald("personlig", "aflyst", 30, None, "leverandoer", False),  # provider: nothing
        Udfald("personlig", "planlagt", 30),
        Udfald("personlig", "afsluttet", 30),
        Udfald("personlig", "pauset", 30),
    ]
    a = afregn("lev", NOV, udfald, {"personlig": 300}, TAKST)
    p = linje(a, "personlig")
    assert (p.leverede_besoeg, p.leverede_minutter) == (2, 35)
    assert (p.forgaeves_besoeg, p.forgaeves_minutter) == (1, 30)
    assert (p.sent_aflyste_besoeg, p.sent_aflyste_minutter) == (1, 30)
    assert p.afregnede_minutter == 95
    assert (p.planlagte_besoeg, p.planlagte_minutter, p.visiterede_minutter) == (7, 210, 300)
    assert p.beloeb == Decimal("633.33")  # 95 min at 400 kr/h, rounded to øre
    assert a.beloeb == Decimal("633.33") and a.takst_version == "t1"
    assert {x.kategori for x in a.linjer} == {
        "personlig",
        "praktisk",
        "madservice",
        "rehabilitering",
    }


def test_rate_valid_on_the_first_day_of_the_month() -> None:
    assert gaeldende_takst(TAKSTER, date(2026, 1, 1)).version == "2026"
    assert gaeldende_takst(TAKSTER, date(2025, 12, 1)).version == "2025"
    with pytest.raises(DomainRuleViolation) as exc:
        gaeldende_takst(TAKSTER, date(2024, 12, 1))
    assert exc.value.rule == "ingen-takst"


def test_month_parsing() -> None:
    assert maanedens_dage("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    with pytest.raises(DomainRuleViolation):
        maanedens_dage("2026-13")
