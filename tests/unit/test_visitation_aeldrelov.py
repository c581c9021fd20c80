"""Ældreloven: pension age from the CPR number, and the helhedspleje shape of a decision."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from services.visitation.catalogue import loader
from services.visitation.domain.aeldrelov import (
    Helhedspleje,
    aeldreloven_gaelder,
    foedselsdato_fra_cpr,
    folkepensionsalder_naaet,
)
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Afgoerelse, Anmodning, Udfald
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import eje, fritekst
from tests.leverandoerer import DEMO_LEVERANDOERER
from tests.unit.test_visitation_domain import bevilling, vurdering

SOROE_2025 = loader.load("soroe", "2025")
SOROE_2024 = loader.load("soroe", "2024")
DAG = date(2026, 3, 2)
NU = datetime(2026, 3, 2, 9, tzinfo=UTC)
VIS = Aktoer("v-1", "visitator", "soroe-kommune")
PENSIONIST = date(1940, 1, 1)


@pytest.mark.parametrize(
    ("cpr", "foedt"),
    [
        ("010140-1234", date(1940, 1, 1)),
        ("0101554234", date(1955, 1, 1)),
        ("0101704000", date(1970, 1, 1)),
        ("0101204000", date(2020, 1, 1)),
        ("0101585000", date(1858, 1, 1)),
        ("3102401234", None),
        ("[slettet]", None),
    ],
)
def test_birth_date_from_cpr(cpr: str, foedt: date | None) -> None:
    assert foedselsdato_fra_cpr(cpr) == foedt


@pytest.mark.parametrize(
    ("foedt", "naaet"),
    [
        (date(1940, 1, 1), date(2005, 1, 1)),
        (date(1954, 3, 1), date(2019, 9, 1)),
        (date(1954, 8, 31), date(2020, 8, 31)),
        (date(1955, 3, 31), date(2021, 9, 30)),
        (date(1960, 5, 15), date(2027, 5, 15)),
        (date(1963, 2, 1), date(2031, 2, 1)),
        (date(1975, 6, 1), date(2045, 6, 1)),
    ],
)
def test_folkepensionsalder(foedt: date, naaet: date) -> None:
    assert folkepensionsalder_naaet(foedt) == naaet


def test_when_the_elderly_act_applies() -> None:
    assert aeldreloven_gaelder(PENSIONIST, DAG, SOROE_2025)
    assert not aeldreloven_gaelder(PENSIONIST, date(2025, 6, 30), SOROE_2025)
    assert not aeldreloven_gaelder(date(1960, 5, 15), DAG, SOROE_2025)  # not yet 67
    assert not aeldreloven_gaelder(PENSIONIST, DAG, SOROE_2024)  # kommune not moved over
    assert not aeldreloven_gaelder(None, DAG, SOROE_2025)


def klar_sag() -> tuple[Sag, Anmodning, Anmodning, Anmodning]:
    bad = Anmodning(uuid4(), fritekst("Bad"), "personlig")
    rent = Anmodning(uuid4(), fritekst("Rengøring"), "praktisk")
    mad = Anmodning(uuid4(), fritekst("Mad"), "madservice")
    s = Sag.modtag_ansoegning(uuid4(), DAG, "telefon", "borger", (bad, rent, mad), VIS, NU)
    s.registrer_funktionsvurdering(vurdering(vurderet_dato=DAG), VIS, NU)
    s.vurder_rehabilitering(DAG, False, "Varigt nedsat funktionsevne", VIS, NU)
    return s, bad, rent, mad


def helhedspleje(*anmodninger: Anmodning, **aendr: object) -> Helhedspleje:
    h = Helhedspleje(
        uuid4(),
        tuple(a.anmodning_id for a in anmodninger),
        "timer_pr_uge",
        4.5,
        None,
        "fastholde",
        (fritekst("Kan selv klare morgentoilettet med støtte"),),
        "hjemmeplejen-nord",
        DAG,
    )
    return dataclasses.replace(h, **aendr)  # type: ignore[arg-type]


def afgoerelse(s: Sag, h: Helhedspleje | None, *bevillinger: object) -> Afgoerelse:
    return Afgoerelse(
        uuid4(),
        DAG,
        tuple(Udfald(a.anmodning_id, "bevilget", None) for a in s.anmodninger),
        tuple(bevillinger),  # type: ignore[arg-type]
        None,
        None,
        helhedspleje=h,
    )


def regel(s: Sag, a: Afgoerelse, foedt: date | None = PENSIONIST) -> str:
    with pytest.raises(DomainRuleViolation) as e:
        s.traef_afgoerelse(
            a, VIS, NU, SOROE_2025, foedselsdato=foedt, leverandoerer=DEMO_LEVERANDOERER
        )
    return e.value.rule


def test_pension_age_gets_one_helhedspleje_course_not_single_services() -> None:
    s, bad, rent, mad = klar_sag()
    # Madservice stays a single service (outside the forløb); Sorø's catalogue has no
    # entry for it, so it carries an individual reason.
    madservice = dataclasses.replace(
        bevilling(mad, startdato=DAG), individuel_begrundelse=fritekst("Kan ikke lave mad")
    )
    enkelt = afgoerelse(s, None, bevilling(bad, startdato=DAG), madservice)
    assert regel(s, enkelt) == "aeldrelov-ikke-enkeltydelser"
    assert regel(s, afgoerelse(s, None, madservice)) == "aeldrelov-helhedspleje-paakraevet"
    assert regel(s, afgoerelse(s, helhedspleje(bad), madservice)) == "helhedspleje-anmodninger"
    for forkert in (
        {"timer_pr_uge": 36.0},
        {"ramme": "pakke"},
        {"ramme": "pakke", "timer_pr_uge": None, "pakke": "kæmpe"},
    ):
        h = helhedspleje(bad, rent, **forkert)
        assert regel(s, afgoerelse(s, h, madservice)) == "helhedspleje-ramme", forkert
    h = helhedspleje(bad, rent, individuelle_maal=())
    assert regel(s, afgoerelse(s, h, madservice)) == "helhedspleje-maal"
    h = helhedspleje(bad, rent, leverandoer_id="rent-hjem-as")
    assert regel(s, afgoerelse(s, h, madservice)) == "leverandoer-ikke-godkendt"
    # A younger citizen keeps the serviceloven shape.
    assert regel(s, afgoerelse(s, helhedspleje(bad, rent)), date(1970, 1, 1)) == (
        "helhedspleje-kun-efter-aeldreloven"
    )

    pakke = helhedspleje(bad, rent, ramme="pakke", timer_pr_uge=None, pakke="mellem")
    truffet = s.traef_afgoerelse(
        afgoerelse(s, pakke, madservice),
        VIS,
        NU,
        SOROE_2025,
        foedselsdato=PENSIONIST,
        leverandoerer=DEMO_LEVERANDOERER,
    )
    # Recorded with the goals owned by the citizen: their key encrypts them in the store.
    assert truffet.helhedspleje == eje(pakke, s.borger_id)
    assert truffet.katalog_version == "soroe-2025"


def test_helhedspleje_needs_the_83a_consideration_first() -> None:
    bad = Anmodning(uuid4(), fritekst("Bad"), "personlig")
    s = Sag.modtag_ansoegning(uuid4(), DAG, "telefon", "borger", (bad,), VIS, NU)
    s.registrer_funktionsvurdering(vurdering(vurderet_dato=DAG), VIS, NU)
    a = Afgoerelse(
        uuid4(),
        DAG,
        (Udfald(bad.anmodning_id, "bevilget", None),),
        (),
        None,
        None,
        helhedspleje=helhedspleje(bad),
    )
    assert regel(s, a) == "83a-vurdering-foer-83"
