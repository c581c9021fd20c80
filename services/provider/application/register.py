"""The provider register as this service sees it: kind, CVR, approved categories and
approval windows of every provider, several active at once.

Visitation owns `shared/reference/leverandoerer.py` and is extending it with kinds
(kommunal, privat, selvejende), CVR and approval windows (`godkendelser`, `godkendt()`).
This view reads either shape, so the provider side works before and after that lands:
without approval windows a provider counts as approved for its categories without end.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.reference.leverandoerer import GODKENDTE_LEVERANDOERER

TYPER = ("kommunal", "privat", "selvejende")


def godkendt(leverandoer: Any, kategori: str, dato: date) -> bool:
    check = getattr(leverandoer, "godkendt", None)
    if callable(check):
        return bool(check(kategori, dato))
    return kategori in leverandoer.kategorier


def _godkendelser(leverandoer: Any) -> list[dict[str, Any]]:
    windows = getattr(leverandoer, "godkendelser", None)
    if windows is None:
        return [{"kategori": k, "fra": None, "til": None} for k in sorted(leverandoer.kategorier)]
    return [{"kategori": g.kategori, "fra": g.fra, "til": g.til} for g in windows]


def profil(leverandoer: Any, dato: date) -> dict[str, Any]:
    kategorier = sorted(leverandoer.kategorier)
    aktive = [k for k in kategorier if godkendt(leverandoer, k, dato)]
    return {
        "leverandoer_id": leverandoer.leverandoer_id,
        "navn": leverandoer.navn,
        "type": leverandoer.type,
        "cvr": leverandoer.cvr,
        "kategorier": kategorier,
        "godkendelser": _godkendelser(leverandoer),
        "dato": dato,
        "godkendt_pr_dato": aktive,
        "aktiv": bool(aktive),
    }


def register(dato: date, kategori: str | None = None) -> list[dict[str, Any]]:
    """Every provider with its approvals as of `dato`; with `kategori`, only those approved
    for it on that day (the providers a citizen can choose between)."""
    return [
        profil(lev, dato)
        for lev in GODKENDTE_LEVERANDOERER.values()
        if kategori is None or godkendt(lev, kategori, dato)
    ]
