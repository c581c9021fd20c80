"""Kørelister: each helper's day in start order, from the provider's work lists (so an
offline copy can be printed or saved from the CSV)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.provider.application.bemanding import FRIGIVET
from services.provider.application.read_model import BesoegLinje
from services.provider.domain.planning import vindue_interval
from shared.infra.csv_eksport import som_csv as csv_tabel

KOLONNER = (
    "medarbejder_id",
    "start",
    "slut",
    "tidsvindue",
    "borger_id",
    "indsats_kode",
    "indsats_navn",
    "minutter",
    "status",
    "besoeg_id",
    "bestilling_id",
)


def klokken(minut: int) -> str:
    return f"{minut // 60:02d}:{minut % 60:02d}"


def _linje(b: BesoegLinje) -> dict[str, Any]:
    # Data minimisation: what a helper needs on the road; no case id, no delivery detail.
    start = b.start_minut if b.start_minut is not None else vindue_interval(b.tidsvindue)[0]
    return {
        "medarbejder_id": b.medarbejder_id,
        "start": klokken(start) if b.start_minut is not None else None,
        "slut": klokken(start + b.planlagte_minutter) if b.start_minut is not None else None,
        "tidsvindue": b.tidsvindue,
        "borger_id": str(b.borger_id),
        "indsats_kode": b.indsats_kode,
        "indsats_navn": b.indsats_navn,
        "minutter": b.planlagte_minutter,
        "status": b.status,
        "besoeg_id": str(b.besoeg_id),
        "bestilling_id": str(b.bestilling_id),
        "_sort": start,
    }


def koerelister(linjer: Iterable[BesoegLinje], medarbejder_id: str | None) -> list[dict[str, Any]]:
    """One list per helper (unstaffed visits last, under medarbejder_id None)."""
    rows = [
        _linje(b)
        for b in linjer
        if b.status not in FRIGIVET
        and (medarbejder_id is None or b.medarbejder_id == medarbejder_id)
    ]
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r["_sort"], r["besoeg_id"])):
        del r["_sort"]
        grouped.setdefault(r["medarbejder_id"], []).append(r)
    return [
        {"medarbejder_id": m, "antal_besoeg": len(v), "besoeg": v}
        for m, v in sorted(grouped.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    ]


def som_csv(lister: list[dict[str, Any]]) -> str:
    # Names and ids come from other systems' input: written as text, never as formulas.
    return csv_tabel(KOLONNER, (b for liste in lister for b in liste["besoeg"]))
