"""Settlement from the provider's work lists: the projection folds the event log, so the
figures are reproducible from the event history alone (a fresh projection gives the same).

What is paid and on which line: `services.provider.domain.afregning`. Granted minutes per
line, counted here by the one definition tilsyn uses too (`shared.contracts.bevilget_tid`):
the grant's weekly time over the month's days of the order that were not paused, rounded
to whole minutes per order:
- a single service: its frequency times its minutes per visit (a visit every other week
  is half a visit's minutes a week, whatever weekdays the month's calendar holds);
- a helhedspleje forløb: its frame. An order received before the provider kept the frame
  (`Helhedsplejeramme`) has none; it counts its spread's visits like a single service.
Both stop at the order's end (ophør, leverandørskift).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.afregning import (
    Afregning,
    Takst,
    Udfald,
    afregn,
    afregningskategori,
)
from services.provider.domain.takster import TAKSTER
from shared.contracts.bevilget_tid import bevilget_i_perioden, bevilling_tid, helhedspleje_tid
from shared.infra.csv_eksport import som_csv as csv_tabel
from shared.kernel import DomainRuleViolation
from shared.kernel.tidsramme import FOERSTE_DATO, SIDSTE_DATO, dato_i_rammen


def maanedens_dage(maaned: str) -> tuple[date, date]:
    """ "2026-11" -> (first day, first day of the next month)."""
    try:
        aar, md = (int(x) for x in maaned.split("-"))
        foerste = date(aar, md, 1)
    except ValueError:
        raise DomainRuleViolation(
            "ugyldig-maaned",
            "Måneden skal angives som ÅÅÅÅ-MM.",
            "The month must be given as YYYY-MM.",
        ) from None
    if not dato_i_rammen(foerste):  # the API refuses it too; 9999-12 has no next month
        raise DomainRuleViolation(
            "ugyldig-maaned",
            f"Måneden skal ligge mellem {FOERSTE_DATO:%Y-%m} og {SIDSTE_DATO:%Y-%m}.",
            f"The month must be between {FOERSTE_DATO:%Y-%m} and {SIDSTE_DATO:%Y-%m}.",
        )
    naeste = (foerste + timedelta(days=32)).replace(day=1)
    return foerste, naeste


def _visiteret(
    lists: ProviderWorkLists, leverandoer_id: str, fra: date, til: date
) -> dict[str, int]:
    """Granted minutes per settlement line in [fra, til) (module docstring)."""
    out: dict[str, int] = defaultdict(int)
    for o in lists.bestillinger_for(leverandoer_id):
        slut = o["slutdato"]
        if o["sidste_dag"] is not None:
            slut = o["sidste_dag"] if slut is None else min(slut, o["sidste_dag"])
        pauser = lists.pauser_for(o["bestilling_id"])
        linje = afregningskategori(o["kategori"], o["indsats_kode"])
        ramme = lists.ramme_for(o["bevilling_id"]) if linje != o["kategori"] else None
        if ramme is not None:
            tid = dataclasses.replace(helhedspleje_tid(ramme), startdato=o["startdato"])
        else:
            tid = bevilling_tid({**o, "leverandoer_id": leverandoer_id})
        tid = dataclasses.replace(tid, slutdato=slut)
        _, minutter = bevilget_i_perioden(tid, fra, til - timedelta(days=1), pauser)
        out[linje] += round(minutter)
    return out


def afregning(
    lists: ProviderWorkLists,
    leverandoer_id: str,
    maaned: str,
    takster: tuple[Takst, ...] = TAKSTER,
) -> Afregning:
    fra, til = maanedens_dage(maaned)
    udfald = [
        Udfald(
            afregningskategori(b.kategori, b.indsats_kode),
            b.status,
            b.planlagte_minutter,
            b.detaljer.get("faktiske_minutter"),
            b.detaljer.get("aflyst_af"),
            b.detaljer.get("rettidig"),
        )
        for b in lists.besoeg_for(leverandoer_id, fra, til - timedelta(days=1))
    ]
    visiteret = _visiteret(lists, leverandoer_id, fra, til)
    return afregn(leverandoer_id, fra, udfald, visiteret, takster)


KOLONNER = (
    "leverandoer_id",
    "maaned",
    "takst_version",
    "kategori",
    "visiterede_minutter",
    "planlagte_besoeg",
    "planlagte_minutter",
    "leverede_besoeg",
    "leverede_minutter",
    "forgaeves_besoeg",
    "forgaeves_minutter",
    "sent_aflyste_besoeg",
    "sent_aflyste_minutter",
    "afregnede_minutter",
    "kr_pr_time",
    "takst_kategori",
    "beloeb",
)


def som_dict(a: Afregning) -> dict[str, Any]:
    return {
        "leverandoer_id": a.leverandoer_id,
        "maaned": a.maaned,
        "takst_version": a.takst_version,
        "linjer": [
            {**vars(linje), "kr_pr_time": str(linje.kr_pr_time), "beloeb": str(linje.beloeb)}
            for linje in a.linjer
        ],
        "i_alt": {"afregnede_minutter": a.afregnede_minutter, "beloeb": str(a.beloeb)},
    }


def som_csv(a: Afregning) -> str:
    # The lines' own values (Decimal amounts, int minutes), not som_dict's strings: numbers
    # stay numbers in the spreadsheet, and only text cells are neutralised.
    hoved = {
        "leverandoer_id": a.leverandoer_id,
        "maaned": a.maaned,
        "takst_version": a.takst_version,
    }
    return csv_tabel(KOLONNER, (hoved | vars(linje) for linje in a.linjer))
