"""The provider register as this service sees it: kind, CVR, approved categories and
approval windows of every provider, several active at once (its copy of visitation's
register, leverandoerkopi.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.reference.leverandoerer import GodkendtLeverandoer, Leverandoerregister

TYPER = ("kommunal", "privat", "selvejende")


def _godkendelser(leverandoer: GodkendtLeverandoer) -> list[dict[str, Any]]:
    return [{"kategori": g.kategori, "fra": g.fra, "til": g.til} for g in leverandoer.godkendelser]


def profil(leverandoer: GodkendtLeverandoer, dato: date) -> dict[str, Any]:
    kategorier = sorted(leverandoer.kategorier)
    aktive = [k for k in kategorier if leverandoer.godkendt(k, dato)]
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


def register(
    leverandoerer: Leverandoerregister, dato: date, kategori: str | None = None
) -> list[dict[str, Any]]:
    """Every provider with its approvals as of `dato`; with `kategori`, only those approved
    for it on that day (the providers a citizen can choose between)."""
    return [
        profil(lev, dato)
        for lev in leverandoerer.leverandoerer.values()
        if kategori is None or lev.godkendt(kategori, dato)
    ]
