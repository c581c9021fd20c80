"""The provider-side register view: kinds, CVR, categories; several providers at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.provider.application.register import godkendt, profil, register


def test_several_providers_active_for_one_category() -> None:
    praktisk = register(date(2026, 11, 1), "praktisk")
    assert len(praktisk) >= 2
    assert all("praktisk" in p["godkendt_pr_dato"] for p in praktisk)
    for p in register(date(2026, 11, 1)):
        assert p["type"] in ("kommunal", "privat", "selvejende")
        assert (p["cvr"] is None) == (p["type"] == "kommunal")


@dataclass(frozen=True)
class _Vindue:
    kategori: str
    fra: date
    til: date | None


@dataclass(frozen=True)
class _MedVinduer:
    """The shape visitation is moving the reference data to (approval windows)."""

    leverandoer_id: str = "selv"
    navn: str = "Selvejende Antvorskov"
    type: str = "selvejende"
    cvr: str | None = "11223344"
    godkendelser: tuple[_Vindue, ...] = (_Vindue("personlig", date(2026, 1, 1), date(2026, 6, 30)),)

    @property
    def kategorier(self) -> frozenset[str]:
        return frozenset(g.kategori for g in self.godkendelser)

    def godkendt(self, kategori: str, dato: date) -> bool:
        return any(
            g.kategori == kategori and g.fra <= dato and (g.til is None or dato <= g.til)
            for g in self.godkendelser
        )


def test_approval_windows_when_the_reference_has_them() -> None:
    lev = _MedVinduer()
    assert godkendt(lev, "personlig", date(2026, 3, 1))
    assert not godkendt(lev, "personlig", date(2026, 7, 1))
    p = profil(lev, date(2026, 7, 1))
    assert p["aktiv"] is False and p["godkendelser"][0]["til"] == date(2026, 6, 30)
    assert profil(lev, date(2026, 3, 1))["godkendt_pr_dato"] == ["personlig"]
