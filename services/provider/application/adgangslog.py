"""Whose data a provider read shows, for the access log (shared/infra/adgangslog.py).

A kørelist names citizens by borger_id only (data minimisation); the log also wants the
case, which the work list knows for every visit. One entry per citizen on the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from services.provider.application.read_model import BesoegLinje


def paa_koerelisten(
    lister: list[dict[str, Any]], linjer: Iterable[BesoegLinje]
) -> list[tuple[UUID, UUID]]:
    """(sag_id, borger_id) of every visit the kørelister show."""
    vist = {r["besoeg_id"] for liste in lister for r in liste["besoeg"]}
    return [(b.sag_id, b.borger_id) for b in linjer if str(b.besoeg_id) in vist]
