"""Orders for a provider not approved for the category on the start date are refused with
BestillingAfvist, never planned; visitation records the refusal on the case."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.visitation.adapters.public_events import to_public as visitation_public
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.integration.test_applications import published as published_from
from tests.integration.test_provider_operations import BORGER, SAG, apply, message, published
from tests.leverandoerer import med_demo_register
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
#: Diakonien's approval for personlig ended 2025-12-31 (the kommune's leverandoerer.yaml,
#: published by visitation's register and copied by the provider: med_demo_register).
DIAKONIEN = "diakonien-selvejende"
START = date(2026, 11, 2)


def personlig(bevilling_id: uuid.UUID, leverandoer: str, start: date = START) -> dict[str, Any]:
    return {
        "bevilling_id": str(bevilling_id),
        "anmodning_id": str(uuid.uuid4()),
        "indsats_kode": "H1.3",
        "indsats_navn": "Bad",
        "kategori": "personlig",
        "hyppighed": {"antal": 2, "periode": "uge"},
        "minutter_pr_besoeg": 30,
        "leverandoer_id": leverandoer,
        "startdato": start.isoformat(),
    }


def afgoerelse(*bevillinger: dict[str, Any]) -> PublicEvent:
    return message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(BORGER),
            "truffet_dato": "2026-10-30",
            "udfald": [],
            "bevillinger": list(bevillinger),
        },
    )


@pytest.fixture
def app(store_settings: SettingsFactory) -> ProviderApplication:
    return med_demo_register(
        ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    )


def test_decision_outside_the_window_is_refused_once(app: ProviderApplication) -> None:
    refused, inside = uuid.uuid4(), uuid.uuid4()
    # within the window (before 2026) the same provider and category is accepted
    decision = afgoerelse(
        personlig(refused, DIAKONIEN), personlig(inside, DIAKONIEN, date(2025, 12, 1))
    )
    apply(app, decision)
    apply(app, decision)  # a redelivery refuses nothing twice
    assert app.find_bestilling(refused) is None
    assert app.find_bestilling(inside) is not None
    afvist = [e for e in published(app) if e.event_type == "BestillingAfvist"]
    assert len(afvist) == 1 and afvist[0].case_id == SAG
    assert afvist[0].data == {
        "bevilling_id": str(refused),
        "leverandoer_id": DIAKONIEN,
        "kategori": "personlig",
        "startdato": "2026-11-02",
        "aarsag": "ikke_godkendt_paa_startdato",
        "begrundelse": afvist[0].data["begrundelse"],
    }
    assert "ikke godkendt til personlig" in afvist[0].data["begrundelse"]


def test_switch_to_a_provider_outside_its_window_keeps_the_old_order(
    app: ProviderApplication,
) -> None:
    bevilling_id = uuid.uuid4()
    apply(app, afgoerelse(personlig(bevilling_id, "omsorg-plus-aps")))
    skift = message(
        "LeverandoerSkiftet",
        {
            "borger_id": str(BORGER),
            "kategori": "personlig",
            "fra_leverandoer_id": "omsorg-plus-aps",
            "til_leverandoer_id": DIAKONIEN,
            "gyldig_fra": "2027-01-01",
            "bevillinger": [personlig(bevilling_id, DIAKONIEN, date(2027, 1, 1))],
        },
    )
    apply(app, skift)
    current = app.aktiv_bestilling(bevilling_id)
    assert current is not None and current.aktiv and current.leverandoer_id == "omsorg-plus-aps"
    types = [e.event_type for e in published(app)]
    assert "BestillingAfsluttet" not in types and types.count("BestillingAfvist") == 1
    assert ProviderPolicy(app)(skift) == []  # redelivered: nothing new


def test_visitation_records_the_refusal_on_the_case(store_settings: SettingsFactory) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    sag_id = decided_case(visitation, START)
    sag = visitation.hent_sag(sag_id)
    bevilling = sag.afgoerelser[0].bevillinger[0]
    afvist = message(
        "BestillingAfvist",
        {
            "bevilling_id": str(bevilling.bevilling_id),
            "leverandoer_id": bevilling.leverandoer_id,
            "kategori": "personlig",
            "startdato": START.isoformat(),
            "aarsag": "ikke_godkendt_paa_startdato",
            "begrundelse": "ikke godkendt",
        },
    ).model_copy(update={"case_id": sag_id, "source": "provider"})
    policy = VisitationPolicy(visitation)
    visitation.save(*policy(afvist))
    assert all(not a.collect_events() for a in policy(afvist))  # a redelivery adds nothing
    sag = visitation.hent_sag(sag_id)
    assert visitation.afviste_bestillinger(sag) == {  # noted beside the case (noter.py)
        (bevilling.bevilling_id, bevilling.leverandoer_id, START): "ikke godkendt"
    }
    # a system event: not published again
    types = [e.event_type for e in published_from(visitation, "visitation", visitation_public)]
    assert "BestillingAfvist" not in types
