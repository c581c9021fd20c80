"""Tilsyn's complaint figures: complaints received, the municipality's genvurdering and
Ankestyrelsen's outcome, in the month the complaint was received (a fold step of
VisitationensTal)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.supervision.domain.fold import Haendelse, dato, haandterer, maaned
from services.supervision.domain.tilsynstal_grundlag import KLAGEFRIST
from services.supervision.domain.tilsynstal_tal import _tael
from shared.kernel.tidsramme import plus_dage

if TYPE_CHECKING:
    from services.supervision.domain.tilsynstal_tal import Frister, Maanedstal


class Klagetal:
    if TYPE_CHECKING:
        klager: dict[str, tuple[str, str]]
        afgoerelsesdato: dict[str, date]
        klagefrist: dict[str, date]
        leverandoerer: dict[str, set[str]]
        opfyldt: list[tuple[str, str, str]]

        def _frister(self, month: str) -> Frister: ...
        def _for(self, leverandoer_id: str, month: str) -> Maanedstal: ...

    @haandterer("KlageOprettet")
    def _klage(self, h: Haendelse) -> None:
        d = h["data"]
        month = maaned(d["modtaget_dato"])
        self.klager[d["klage_id"]] = (h["case_id"], month)
        afgoerelse_id = d.get("afgoerelse_id") or ""
        afgoerelse = self.afgoerelsesdato.get(afgoerelse_id)
        if d["klagetype"] == "afgoerelse" and afgoerelse is not None:
            frister = self._frister(month)
            # From the day the decision reached the citizen when visitation published it
            # (AfgoerelseMeddelt), else 4 weeks from the decision as before.
            sidste = self.klagefrist.get(afgoerelse_id) or plus_dage(afgoerelse, KLAGEFRIST.days)
            if dato(d["modtaget_dato"]) > sidste:
                frister.klager_for_sent += 1
            else:
                frister.klager_rettidige += 1
        for leverandoer in sorted(self.leverandoerer.get(h["case_id"], ())):
            _tael(self._for(leverandoer, month).klager, d["klagetype"])

    @haandterer("AfgoerelseMeddelt")
    def _meddelt(self, h: Haendelse) -> None:
        d = h["data"]
        self.klagefrist[d["afgoerelse_id"]] = dato(d["klagefrist"])

    @haandterer("KlageGenvurderet")
    def _genvurderet(self, h: Haendelse) -> None:
        d = h["data"]
        # Counted in the month the complaint was received (the month the item concerns).
        sag_id, month = self.klager.get(d["klage_id"], (h["case_id"], maaned(d["dato"])))
        _tael(self._frister(month).klageudfald, d["udfald"])
        for leverandoer in sorted(self.leverandoerer.get(sag_id, ())):
            _tael(self._for(leverandoer, month).klageudfald, d["udfald"])
        self._frister(maaned(d["dato"]))
        self.opfyldt.append((maaned(d["dato"]), h["case_id"], "genvurdering"))

    @haandterer("AnkestyrelsensAfgoerelse")
    def _ankestyrelsen(self, h: Haendelse) -> None:
        # Beside the municipality's own medhold/fastholdt, in the complaint's month.
        d = h["data"]
        sag_id, month = self.klager.get(d["klage_id"], (h["case_id"], maaned(d["dato"])))
        udfald = f"ankestyrelsen_{d['udfald']}"
        _tael(self._frister(month).klageudfald, udfald)
        for leverandoer in sorted(self.leverandoerer.get(sag_id, ())):
            _tael(self._for(leverandoer, month).klageudfald, udfald)
