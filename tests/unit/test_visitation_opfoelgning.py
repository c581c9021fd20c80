"""Frit valg switches, ophør of grants and recorded delivery failures on the case."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.visitation.domain.noter import Leveringsnoter, maaned
from services.visitation.domain.opfoelgning import Opfoelgningsdel, skifte_dato
from shared.kernel import DomainRuleViolation
from tests.leverandoerer import DEMO_LEVERANDOERER
from tests.unit.test_visitation_domain import NU, TRUFFET, VISITATOR, afgjort_sag


def regel(exc: pytest.ExceptionInfo[DomainRuleViolation]) -> str:
    assert exc.value.dansk and exc.value.english
    return exc.value.rule


@pytest.mark.parametrize(
    ("anmodet", "gyldig_fra"),
    [
        (date(2024, 3, 1), date(2024, 5, 1)),
        (date(2024, 3, 31), date(2024, 5, 1)),
        (date(2024, 11, 15), date(2025, 1, 1)),
        (date(2024, 12, 31), date(2025, 2, 1)),
    ],
)
def test_switch_takes_effect_first_day_of_month_after_next(anmodet: date, gyldig_fra: date) -> None:
    assert skifte_dato(anmodet) == gyldig_fra


def test_approval_windows_and_kinds() -> None:
    assert DEMO_LEVERANDOERER.er_godkendt("diakonien-selvejende", "personlig", date(2025, 12, 31))
    assert not DEMO_LEVERANDOERER.er_godkendt("diakonien-selvejende", "personlig", date(2026, 1, 1))
    assert not DEMO_LEVERANDOERER.er_godkendt("rent-hjem-as", "personlig", date(2026, 1, 1))
    assert not DEMO_LEVERANDOERER.er_godkendt("ukendt", "praktisk", date(2026, 1, 1))
    assert {lev.type for lev in DEMO_LEVERANDOERER.leverandoerer.values()} == {
        "kommunal",
        "privat",
        "selvejende",
    }
    assert all(
        (lev.type == "kommunal") == (lev.cvr is None)
        for lev in DEMO_LEVERANDOERER.leverandoerer.values()
    )
    assert "diakonien-selvejende" not in {
        lev.leverandoer_id for lev in DEMO_LEVERANDOERER.godkendte("personlig", date(2026, 1, 1))
    }
    # The provider service's view: every category ever approved.
    assert DEMO_LEVERANDOERER.leverandoerer["diakonien-selvejende"].kategorier == {
        "personlig",
        "praktisk",
    }


class TestLeverandoerskift:
    def test_switch_moves_the_grant_from_the_effective_date(self) -> None:
        sag, afg = afgjort_sag()
        sag.collect_events()
        gyldig_fra = sag.skift_leverandoer(
            "personlig", "omsorg-plus-aps", TRUFFET, VISITATOR, NU, leverandoerer=DEMO_LEVERANDOERER
        )
        assert gyldig_fra == date(2024, 5, 1)
        (event,) = sag.collect_events()
        assert isinstance(event, Opfoelgningsdel.LeverandoerSkiftet)
        assert (event.fra_leverandoer_id, event.til_leverandoer_id) == (
            "hjemmeplejen-nord",
            "omsorg-plus-aps",
        )
        (b,) = event.bevillinger
        assert b.bevilling_id == afg.bevillinger[0].bevilling_id
        assert (b.leverandoer_id, b.startdato) == ("omsorg-plus-aps", gyldig_fra)
        assert sag.aktive_bevillinger[b.bevilling_id].leverandoer_id == "omsorg-plus-aps"

    @pytest.mark.parametrize(
        ("kategori", "til", "rule"),
        [
            ("praktisk", "rent-hjem-as", "leverandoerskift-uden-bevilling"),
            ("personlig", "hjemmeplejen-nord", "leverandoerskift-samme-leverandoer"),
            ("personlig", "rent-hjem-as", "leverandoer-ikke-godkendt"),
        ],
    )
    def test_invalid_switch_refused(self, kategori: str, til: str, rule: str) -> None:
        sag, _ = afgjort_sag()
        with pytest.raises(DomainRuleViolation) as exc:
            sag.skift_leverandoer(
                kategori, til, TRUFFET, VISITATOR, NU, leverandoerer=DEMO_LEVERANDOERER
            )
        assert regel(exc) == rule

    def test_provider_must_be_approved_on_the_effective_date(self) -> None:
        sag, _ = afgjort_sag(truffet_dato=date(2025, 10, 1))
        with pytest.raises(DomainRuleViolation) as exc:  # effective 2026-01-01: window closed
            sag.skift_leverandoer(
                "personlig",
                "diakonien-selvejende",
                date(2025, 11, 3),
                VISITATOR,
                NU,
                leverandoerer=DEMO_LEVERANDOERER,
            )
        assert regel(exc) == "leverandoer-ikke-godkendt"
        assert sag.skift_leverandoer(
            "personlig",
            "diakonien-selvejende",
            date(2025, 10, 31),
            VISITATOR,
            NU,
            leverandoerer=DEMO_LEVERANDOERER,
        ) == date(2025, 12, 1)


class TestOphoer:
    def test_death_ends_every_active_grant(self) -> None:
        sag, afg = afgjort_sag()
        sag.collect_events()
        ids = sag.ophoer_bevillinger((), TRUFFET + timedelta(30), "doedsfald", VISITATOR, NU)
        assert ids == (afg.bevillinger[0].bevilling_id,)
        (event,) = sag.collect_events()
        assert isinstance(event, Opfoelgningsdel.BevillingOphoert)
        assert event.aarsag == "doedsfald" and event.borger_id == sag.borger_id
        assert sag.aktive_bevillinger == {}
        with pytest.raises(DomainRuleViolation) as exc:
            sag.ophoer_bevillinger((), TRUFFET + timedelta(31), "fraflytning", VISITATOR, NU)
        assert regel(exc) == "ophoer-ukendt-bevilling"

    @pytest.mark.parametrize(
        ("aarsag", "dage", "rule"),
        [
            ("keder_sig", 3, "ukendt-ophoersaarsag"),
            ("udloeb", 3, "udloeb-kun-paa-slutdato"),
            ("plejebolig", -1, "ophoer-foer-afgoerelse"),
        ],
    )
    def test_invalid_ophoer_refused(self, aarsag: str, dage: int, rule: str) -> None:
        sag, _ = afgjort_sag()
        with pytest.raises(DomainRuleViolation) as exc:
            sag.ophoer_bevillinger((), TRUFFET + timedelta(dage), aarsag, VISITATOR, NU)
        assert regel(exc) == rule

    def test_unknown_grant_refused(self) -> None:
        sag, _ = afgjort_sag()
        with pytest.raises(DomainRuleViolation) as exc:
            sag.ophoer_bevillinger((uuid4(),), TRUFFET, "andet", VISITATOR, NU)
        assert regel(exc) == "ophoer-ukendt-bevilling"


def test_delivery_failure_recorded_once_and_replayed() -> None:
    """Noted beside the case, in the month of the visit (domain/noter.py)."""
    sag, _ = afgjort_sag()
    besoeg = uuid4()
    noter = Leveringsnoter(sag.id, maaned(TRUFFET))
    assert noter.noter_leveringssvigt(
        sag, besoeg, "hjemmeplejen-nord", TRUFFET, "personalemangel", VISITATOR, NU
    )
    assert not noter.noter_leveringssvigt(
        sag, besoeg, "hjemmeplejen-nord", TRUFFET, "igen", VISITATOR, NU
    )
    copy: Leveringsnoter | None = None
    for e in noter.collect_events():
        copy = e.mutate(copy)
    assert copy is not None and copy.leveringssvigt == {besoeg: ("hjemmeplejen-nord", TRUFFET)}
