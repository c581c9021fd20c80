"""Unit tests of the inspection report's wording (issue 20, item 6): the conclusion from the
worst rating, Danish dates and local time, the provider's name, findings per sampled case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from services.supervision.adapters.tilsynsrapport import (
    _data,
    konklusion,
    leverandoernavn,
)
from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg
from shared.kernel.personoplysning import som_visning
from shared.reference.dansk import dansk_tidspunkt
from shared.reference.kommunedata import kommunenavn

OLE = {"id": "tilsyn-ole", "rolle": "tilsyn", "organisation": "kommunen"}
SAGER = ["sag-a", "sag-b", "sag-c"]


def rapport(*fund: tuple[str | None, str], lukket: bool = False) -> dict[str, Any]:
    b = Tilsynsbesoeg.planlaeg(
        "omsorg-plus-aps",
        True,
        "hjem",
        date(2026, 11, 20),
        SAGER,
        3,
        1,
        OLE,
        kendte_leverandoerer={"omsorg-plus-aps"},
    )
    for sag, vurdering in fund:
        b.registrer_fund(sag, vurdering, f"{vurdering} om {sag}", OLE)
    p = b.opret_opfoelgning("Plan", date(2026, 12, 15), "Leder", OLE)
    if lukket:
        b.luk_opfoelgning(p, date(2026, 12, 1), "ok", OLE, idag=date(2026, 12, 4))
    vist: dict[str, Any] = som_visning(b.rapport(date(2026, 12, 4)), lambda _: False)
    return vist


def test_the_conclusion_follows_the_worst_rating() -> None:
    assert konklusion(rapport()).startswith("Tilsynet har ikke registreret fund.")
    assert konklusion(rapport(("sag-a", "tilfredsstillende"), lukket=True)) == (
        "Tilsynet fandt forholdene tilfredsstillende. Alle opfølgningspunkter er lukket."
    )
    assert konklusion(rapport(("sag-a", "mindre_mangler"), ("sag-b", "vaesentlige_mangler"))) == (
        "Tilsynet fandt væsentlige mangler. "
        "Opfølgningspunktet skal være rettet senest 15. december 2026."
    )
    assert konklusion(rapport((None, "kritisk"))).startswith(
        "Tilsynet fandt kritiske forhold, som skal rettes straks."
    )


def test_danish_local_time_names_and_findings_per_case() -> None:
    vinter = datetime(2026, 12, 4, 13, 5, 42, 123456, tzinfo=UTC)
    sommer = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # CEST: already the next day
    assert dansk_tidspunkt(vinter) == "4. december 2026 kl. 14.05"
    assert dansk_tidspunkt(sommer) == "2. juli 2026 kl. 00.30"
    assert kommunenavn("soroe") == "Sorø Kommune"  # from its data file, not from code
    assert kommunenavn("ukendt-by") == "Ukendt By"
    # Names from the provider register as visitation published it (LeverandoerregisterAendret)
    registret = {"omsorg-plus-aps": {"navn": "Omsorg Plus ApS", "cvr": "12345678"}}
    assert leverandoernavn("omsorg-plus-aps", registret) == "Omsorg Plus ApS"
    assert leverandoernavn("ukendt-aps", registret) == "ukendt-aps"

    r = _data(
        rapport(("sag-b", "mindre_mangler"), (None, "kritisk")), vinter, "Sorø Kommune", registret
    )
    assert r["kommune"] == "Sorø Kommune" and r["genereret"] == "4. december 2026 kl. 14.05"
    assert [s["tekst"] for s in r["soejler"]] == [
        "Kritiske forhold",
        "Væsentlige mangler",
        "Mindre mangler",
        "Tilfredsstillende",
    ]
    assert [(g["sag_id"], [f["vurdering"] for f in g["fund"]]) for g in r["grupper"]] == [
        ("sag-a", []),
        ("sag-b", ["mindre_mangler"]),
        ("sag-c", []),
        (None, ["kritisk"]),
    ]
    assert r["punkter"][0]["frist_tekst"] == "15. december 2026"
