"""A decision in the Ældreloven shape (one helhedspleje forløb, no single services) gives
the chosen provider one order with planned visits from the forløb's first day."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.provider.application.afregning import afregning
from services.provider.application.policies import ny_bestilling
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.helhedspleje import INDSATS_KODE, som_bevilling
from services.provider.domain.helhedsplejeramme import Helhedsplejeramme
from shared.contracts.visitation import HelhedsplejeV1
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.integration.test_provider_operations import BORGER, apply, message

pytestmark = pytest.mark.integration


@pytest.fixture
def app(store_settings: SettingsFactory) -> ProviderApplication:
    return ProviderApplication(env=store_env(store_settings("provider"), "provider"))


def test_a_helhedspleje_decision_becomes_one_planned_order(app: ProviderApplication) -> None:
    forloeb_id = uuid.uuid4()
    decision = message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(BORGER),
            "truffet_dato": "2026-11-20",
            "udfald": [],
            "bevillinger": [],
            "helhedspleje": {
                "forloeb_id": str(forloeb_id),
                "anmodning_ids": [str(uuid.uuid4())],
                "ramme": "timer_pr_uge",
                "timer_pr_uge": 3.5,
                "retningsgivende_maal": "Klare sig i eget hjem",
                "individuelle_maal": ["Selv tage bad med støtte"],
                "leverandoer_id": "hjemmeplejen-nord",
                "startdato": "2026-12-01",
            },
        },
    )
    apply(app, decision)
    apply(app, decision)  # a redelivery plans nothing twice
    order = app.find_bestilling(forloeb_id)
    assert order is not None
    assert (order.indsats_kode, order.leverandoer_id) == (INDSATS_KODE, "hjemmeplejen-nord")
    besoeg = app.hel_besoegsplan(order).besoeg
    assert besoeg and min(b.dato for b in besoeg.values()) >= date(2026, 12, 1)
    assert {b.planlagte_minutter for b in besoeg.values()} == {30}  # 3.5 h as 7 half hours
    # The frame itself is kept beside the order (once), for settlement's granted minutes.
    ramme = app.repository.get(Helhedsplejeramme.create_id(forloeb_id))
    assert isinstance(ramme, Helhedsplejeramme) and ramme.minutter_pr_uge == 210
    assert ramme.version == 1


def forloeb(timer: float) -> HelhedsplejeV1:
    return HelhedsplejeV1(
        forloeb_id=uuid.uuid4(),
        anmodning_ids=[uuid.uuid4()],
        ramme="timer_pr_uge",
        timer_pr_uge=timer,
        retningsgivende_maal="fastholde",
        individuelle_maal=[],
        leverandoer_id="hjemmeplejen-nord",
        startdato=date(2026, 12, 1),
    )


def test_settlement_counts_the_frame_and_an_old_order_its_spread(app: ProviderApplication) -> None:
    """Five hours a week is spread as 7 visits of 43 minutes (301 a week): the grant is the
    frame, 300 minutes a week. An order received before the provider kept the frame (here:
    made as the old policy did, without it) counts the spread's visits instead."""
    h = forloeb(5)
    decision = message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(BORGER),
            "truffet_dato": "2026-11-20",
            "udfald": [],
            "bevillinger": [],
            "helhedspleje": h.model_dump(mode="json"),
        },
    )
    apply(app, decision)
    gammel = som_bevilling(forloeb(5))
    assert gammel is not None
    app.save(*ny_bestilling(gammel, decision.case_id, BORGER, decision.recorded_at))

    linje = next(
        x
        for x in afregning(ProviderWorkLists(app), "hjemmeplejen-nord", "2026-12").linjer
        if x.kategori == "helhedspleje"
    )
    # December: the frame 300 x 31 / 7 = 1328.6, and the old order's 31 visits of 43 minutes
    assert linje.visiterede_minutter == round(300 * 31 / 7) + 31 * 43
    assert linje.takst_kategori == "helhedspleje" and str(linje.kr_pr_time) == "395.00"
