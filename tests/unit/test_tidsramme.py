"""Bounded input, total rules: the window every API accepts (`shared.kernel.tidsramme`,
`shared.infra.datotyper`), and the deadline and planning rules giving an answer, never an
`OverflowError`, for dates at the very edge of what Python holds (as an event stored
before the window existed may carry)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from pydantic import TypeAdapter, ValidationError

from services.provider.application.afregning import maanedens_dage
from services.provider.domain import regler
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.planning import planlaeg
from services.provider.domain.values import Leveringsregler
from services.supervision.api.tid import fra_tidspunkt, som_kendt_pr
from services.supervision.domain.arbejdsdage import arbejdsdage_efter
from services.supervision.domain.sagstilstand import sag_som_kendt
from services.supervision.domain.tilsynstal import Tilsynstal
from services.supervision.domain.tilsynstal_tal import Periode, bevilget_pr_maaned
from services.visitation.domain import kalender
from shared.infra.datotyper import Dato, Maaned, Tidspunkt
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.tidsramme import (
    FOERSTE_DATO,
    SIDSTE_DATO,
    dato_i_rammen,
    plus_dage,
    tidspunkt_i_rammen,
)
from tests.unit.test_supervision_folds import SAG, forloeb

VEST = timezone(timedelta(hours=-12))
OEST = timezone(timedelta(hours=14))
#: The two moments from issue 14 that gave a 500: beyond `datetime.max` in UTC, and
#: before `datetime.min`.
SIDSTE_MOMENT = datetime(9999, 12, 31, 23, 59, 59, tzinfo=VEST)
FOERSTE_MOMENT = datetime(1, 1, 1, 0, 0, tzinfo=OEST)


@pytest.mark.parametrize("dag", ["1900-01-01", "2026-12-04", "2199-12-31"])
def test_dates_in_the_window_are_accepted(dag: str) -> None:
    assert TypeAdapter(Dato).validate_python(dag) == date.fromisoformat(dag)


@pytest.mark.parametrize("dag", ["1899-12-31", "2200-01-01", "9999-12-31", "0001-01-01"])
def test_dates_outside_the_window_are_refused(dag: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Dato).validate_python(dag)


@pytest.mark.parametrize(
    "moment",
    [
        "1900-01-01T00:00:00Z",
        "2199-12-31T23:59:59Z",
        "2026-12-04T09:00:00+14:00",
        "2026-12-04T09:00:00-12:00",
        "2199-12-31T09:00:00-12:00",
    ],
)
def test_moments_in_the_window_are_accepted(moment: str) -> None:
    parsed = TypeAdapter(Tidspunkt).validate_python(moment)
    assert tidspunkt_i_rammen(parsed)


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "2199-12-31T23:00:00-12:00",  # 2200 in UTC
        "1900-01-01T00:30:00+01:00",  # 1899 in UTC
        "2026-12-04T09:00:00+14:30",  # no such offset
        "2026-12-04T09:00:00-23:59",
        "2026-12-04T09:00:00",  # no zone
    ],
)
def test_moments_outside_the_window_are_refused(moment: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Tidspunkt).validate_python(moment)


@pytest.mark.parametrize("maaned", ["9999-12", "1899-12", "2200-01", "2026-13", "2026-00"])
def test_months_outside_the_window_are_refused(maaned: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Maaned).validate_python(maaned)


def test_the_window_is_in_the_json_schema() -> None:
    schema = TypeAdapter(Dato).json_schema()
    assert schema["formatMinimum"] == FOERSTE_DATO.isoformat()
    assert schema["formatMaximum"] == SIDSTE_DATO.isoformat()
    assert "2199-12-31" in schema["description"]
    assert "14:00" in TypeAdapter(Tidspunkt).json_schema()["description"]


def test_edges_of_python_are_outside_the_window() -> None:
    assert not dato_i_rammen(date.max) and not dato_i_rammen(date.min)
    assert not tidspunkt_i_rammen(SIDSTE_MOMENT)
    assert not tidspunkt_i_rammen(FOERSTE_MOMENT)


def test_plus_dage_saturates() -> None:
    assert plus_dage(date(9999, 12, 20), 28) == date.max
    assert plus_dage(date(1, 1, 3), -7) == date.min
    assert plus_dage(date(9999, 12, 20), uger=4) == date.max
    assert plus_dage(date(2026, 12, 4), -1, uger=1) == date(2026, 12, 10)


@pytest.mark.parametrize(
    "as_of",
    [
        "9999-12-31",
        "0001-01-01",
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59:59",
    ],
)
def test_supervision_as_of_outside_the_window_is_a_rule_violation(as_of: str) -> None:
    for parse in (som_kendt_pr, fra_tidspunkt):
        with pytest.raises(DomainRuleViolation):
            parse(as_of)


def test_visitation_calendar_is_total_at_date_max() -> None:
    d = date(9999, 12, 31)
    assert kalender.naeste_arbejdsdag(d) == d
    assert kalender.plus_arbejdsdage(d, 3) == date.max
    assert kalender.plus_uger(date(9999, 12, 20), 4) == date.max
    assert kalender.plus_maaneder(date(9999, 11, 30), 6) == date.max
    assert kalender.plus_maaneder(date(1, 2, 1), -3) == date.min
    assert kalender.foerste_i_maaneden_efter_naeste(date(9999, 12, 1)) == date.max
    # And unchanged inside the window: 31 Jan + 1 month is the end of February.
    assert kalender.plus_maaneder(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_provider_rules_are_total_at_the_edges() -> None:
    rules = Leveringsregler()
    assert regler.dansk_dato(SIDSTE_MOMENT) == date(9999, 12, 31)
    assert regler.dansk_dato(FOERSTE_MOMENT) == date(1, 1, 1)
    assert regler.varsel_timer(date.max, "dag", SIDSTE_MOMENT) < 0
    assert regler.varsel_timer(date.min, "dag", FOERSTE_MOMENT) > 0
    assert regler.er_rettidig(date.min, FOERSTE_MOMENT, rules) is False
    assert regler.erstatningsfrist(date.max, SIDSTE_MOMENT, rules) == date.max
    # Inside the window the elapsed time still counts a DST change (29 March 2026).
    aflyst = datetime(2026, 3, 28, 19, 0, tzinfo=UTC)  # 20:00 Danish winter time
    assert regler.varsel_timer(date(2026, 3, 29), "dag", aflyst) == pytest.approx(
        regler.varsel_timer(date(2026, 3, 29), "dag", aflyst.astimezone(regler.DANMARK))
    )


@pytest.mark.parametrize("kategori", ["personlig", "praktisk"])
def test_planning_near_date_max_plans_what_fits(kategori: str) -> None:
    plan = planlaeg(2, "uge", date(9999, 12, 20), None, date(9999, 12, 20), date.max, kategori)
    assert plan and all(d <= date.max for d, _ in plan)


def test_an_order_starting_near_date_max_can_be_planned() -> None:
    """Issue 14: a grant with startdato 9999-12-20 dead-lettered in the provider's consumer."""
    planner = Aktoer("p-1", "planlaegger", "hjemmeplejen-nord")
    start = date(9999, 12, 20)
    order = Bestilling(
        bevilling_id=uuid4(),
        sag_id=uuid4(),
        borger_id=uuid4(),
        leverandoer_id="hjemmeplejen-nord",
        indsats_kode="PS-BAD",
        indsats_navn="Bad",
        kategori="personlig",
        antal=2,
        periode="uge",
        minutter_pr_besoeg=25,
        startdato=start,
        slutdato=None,
        aktoer=planner,
        occurred_at=datetime(2026, 12, 4, 12, tzinfo=UTC),
    )
    order.planlaeg_besoeg(start, planner, datetime(2026, 12, 4, 12, tzinfo=UTC))
    assert order.besoeg and min(b.dato for b in order.besoeg.values()) == start


def test_supervision_working_days_are_total_at_date_max() -> None:
    assert arbejdsdage_efter(date(9999, 12, 30), 7) == date.max
    assert arbejdsdage_efter(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday -> Monday


def test_granted_per_month_stops_at_date_max() -> None:
    periode = Periode("omsorg-plus-aps", date(9999, 12, 1), None, 7.0, 30)
    bevilget = bevilget_pr_maaned([[periode]], "9999-12")
    assert bevilget[("omsorg-plus-aps", "9999-12")][0] == pytest.approx(31.0)


@pytest.mark.parametrize("maaned", ["9999-12", "0001-01"])
def test_settlement_refuses_a_month_outside_the_window(maaned: str) -> None:
    with pytest.raises(DomainRuleViolation) as refused:
        maanedens_dage(maaned)
    assert refused.value.rule == "ugyldig-maaned"


def test_supervision_folds_a_case_lived_in_year_9999() -> None:
    """What the other services accepted before issue 14 reaches supervision's consumer: its
    folds must take it (a failure there dead-letters the event and parks the case)."""
    events, _ = forloeb()
    text = re.sub(r'"2026-1[012]-\d\d"', '"9999-12-31"', json.dumps(events))
    text = re.sub(r'"2026-1[012]-\d\dT[0-9:]+\+00:00"', f'"{SIDSTE_MOMENT.isoformat()}"', text)
    aar_9999 = json.loads(text)
    for e in aar_9999:
        for b in e["data"].get("bevillinger", []):
            b["startdato"] = "9999-12-20"
    tal = Tilsynstal()
    for e in aar_9999:
        tal.registrer(e)
    assert "9999-12" in tal.resultat()["leverandoerer"]["omsorg-plus"]
    assert sag_som_kendt(SAG, aar_9999)["status"] == "afgjort"
