"""The kommune's closed days arrive with the order and move its working-day deadlines, on
both stores and after a reload (issue 16 item 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.provider.application.provider_app import ProviderApplication
from shared.infra.eventstore import store_env
from shared.kernel.lukkedage import Lukkedage
from tests.conftest import SettingsFactory
from tests.integration.test_provider_operations import BEVILLING, OMSORG, apply, decision

#: The application clock at E2E_NU (2027-02-01): the check-ins, cancellations and checks
#: below lie before it whatever day the suite runs.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("ur")]


@pytest.fixture
def app(store_settings: SettingsFactory) -> ProviderApplication:
    return ProviderApplication(env=store_env(store_settings("provider"), "provider"))


@pytest.mark.parametrize(
    ("lukkedage", "frist"),
    [(None, date(2026, 12, 24)), ({"aarlige": ["12-24", "12-31"]}, date(2026, 12, 28))],
)
def test_a_kommune_closing_24_december_moves_the_working_day_deadline(
    app: ProviderApplication, lukkedage: dict[str, Any] | None, frist: date
) -> None:
    regler: dict[str, Any] = {
        "katalog_version": "test-2026",
        "erstatningsfrist": {"vaerdi": 1, "enhed": "arbejdsdage"},
    }
    if lukkedage is not None:
        regler["lukkedage"] = lukkedage
    e = decision()
    e.data["bevillinger"][0]["leveringsregler"] = regler
    e.data["bevillinger"][0]["startdato"] = "2026-12-21"  # a Monday
    apply(app, e)
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    reloaded = ProviderApplication(env=app.env).hent_bestilling(order.id)
    forventet = None if lukkedage is None else Lukkedage(("12-24", "12-31"))
    assert reloaded.regler.lukkedage == forventet
    first = min(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    assert first.dato == date(2026, 12, 21)
    # Cancelled by the provider on Wednesday the 23rd: one working day for the replacement.
    aflyst = datetime(2026, 12, 23, 8, tzinfo=UTC)
    a = app.aflys_besoeg(order.id, first.besoeg_id, "leverandoer", "Syg", aflyst, OMSORG)
    assert a.erstatning_skyldig and a.erstatningsfrist == frist
