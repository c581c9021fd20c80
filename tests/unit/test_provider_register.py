"""The provider-side register view: kinds, CVR, categories; several providers at once."""

from __future__ import annotations

from datetime import date

from services.provider.application.register import profil, register
from shared.reference.leverandoerer import Godkendelse, GodkendtLeverandoer
from tests.leverandoerer import DEMO_LEVERANDOERER


def test_several_providers_active_for_one_category() -> None:
    praktisk = register(DEMO_LEVERANDOERER, date(2026, 11, 1), "praktisk")
    assert len(praktisk) >= 2
    assert all("praktisk" in p["godkendt_pr_dato"] for p in praktisk)
    for p in register(DEMO_LEVERANDOERER, date(2026, 11, 1)):
        assert p["type"] in ("kommunal", "privat", "selvejende")
        assert (p["cvr"] is None) == (p["type"] == "kommunal")


def test_approval_windows() -> None:
    lev = GodkendtLeverandoer(
        "selv",
        "Selvejende Antvorskov",
        "selvejende",
        "11223344",
        (Godkendelse("personlig", date(2026, 1, 1), date(2026, 6, 30)),),
    )
    assert lev.godkendt("personlig", date(2026, 3, 1))
    assert not lev.godkendt("personlig", date(2026, 7, 1))
    p = profil(lev, date(2026, 7, 1))
    assert p["aktiv"] is False and p["godkendelser"][0]["til"] == date(2026, 6, 30)
    assert profil(lev, date(2026, 3, 1))["godkendt_pr_dato"] == ["personlig"]
