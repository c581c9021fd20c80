"""A grant that waited for the citizen's choice reaches the provider only with
LeverandoerValgt (the choice, or the municipal provider after the deadline)."""

from __future__ import annotations

import pytest

from services.provider.application.provider_app import ProviderApplication
from tests.integration.test_provider_operations import (
    BEVILLING,
    BORGER,
    app,
    apply,
    bevilling,
    decision,
    message,
)

pytestmark = pytest.mark.integration
__all__ = ["app"]


def test_order_only_once_a_provider_is_chosen(app: ProviderApplication) -> None:
    apply(app, decision("afventer-valg"))
    assert app.find_bestilling(BEVILLING) is None
    valgt = message(
        "LeverandoerValgt",
        {
            "borger_id": str(BORGER),
            "kategori": "praktisk",
            "leverandoer_id": "hjemmeplejen-nord",
            "dato": "2026-11-05",
            "aarsag": "valgfrist_overskredet",
            "bevillinger": [bevilling("hjemmeplejen-nord")],
        },
    )
    apply(app, valgt)
    apply(app, valgt)  # redelivered: still one order
    order = app.find_bestilling(BEVILLING)
    assert order is not None and order.leverandoer_id == "hjemmeplejen-nord"
    assert app.hel_besoegsplan(order).besoeg
