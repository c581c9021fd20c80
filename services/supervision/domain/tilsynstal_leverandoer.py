"""Tilsyn figures: the fold steps for the providers' events (orders, plans, deliveries,
cancellations, replacements, pauses and change reports)."""

from __future__ import annotations

from typing import Any

from services.supervision.domain.fold import Haendelse, dato, haandterer, maaned
from services.supervision.domain.tilsynstal_grundlag import STANDARD_REGLER, TilsynstalGrundlag
from services.supervision.domain.tilsynstal_tal import Besoeg, Erstatning, _tael
from shared.contracts.bevilget_tid import Pauser
from shared.kernel.tidsramme import plus_dage


class LeverandoerernesTal(TilsynstalGrundlag):
    @haandterer("BestillingModtaget")
    def _bestilling(self, h: Haendelse) -> None:
        d = h["data"]
        self.bestilling[d["bestilling_id"]] = d["bevilling_id"]

    @haandterer("BesoegPlanlagt")
    def _planlagt(self, h: Haendelse) -> None:
        d = h["data"]
        leverandoer = d["leverandoer_id"]
        besoeg = self.besoeg
        for b in d["besoeg"]:
            month = b["dato"][:7]
            self._for(leverandoer, month)
            kendt = besoeg.get(b["besoeg_id"])
            if kendt is None:
                besoeg[b["besoeg_id"]] = Besoeg(
                    leverandoer, month, b["dato"], b["planlagte_minutter"], planlagt=True
                )
            else:  # delivered or cancelled before supervision saw the plan
                kendt.maaned, kendt.dato, kendt.minutter = month, b["dato"], b["planlagte_minutter"]
                kendt.planlagt = True

    def _besoegets(self, d: dict[str, Any], fallback: str) -> Besoeg:
        b = self.besoeg.get(d["besoeg_id"])
        if b is None:
            b = self.besoeg[d["besoeg_id"]] = Besoeg(d["leverandoer_id"], fallback[:7], "", 0)
        return b

    def _erstatning(self, besoeg_id: str, leverandoer_id: str, fallback: str) -> Erstatning:
        e = self.erstatninger.get(besoeg_id)
        if e is None:
            b = self.besoeg.get(besoeg_id)
            lev, month = (b.leverandoer_id, b.maaned) if b else (leverandoer_id, fallback[:7])
            self._for(lev, month)
            e = self.erstatninger[besoeg_id] = Erstatning(lev, month)
        return e

    @haandterer("IndsatsLeveret")
    def _leveret(self, h: Haendelse) -> None:
        d = h["data"]
        b = self._besoegets(d, d["leveret_tidspunkt"])
        t = self._for(b.leverandoer_id, b.maaned)
        t.leverede_besoeg += 1
        t.leverede_minutter += d["faktiske_minutter"]
        t.afviklede_planlagte_minutter += b.minutter
        b.status = "leveret"
        noegle = (b.leverandoer_id, b.maaned, h["case_id"])
        hjaelpere = self.hjaelpere.get(noegle)
        if hjaelpere is None:
            hjaelpere = self.hjaelpere[noegle] = {}
        _tael(hjaelpere, d["medarbejder_id"])
        if b.erstatning:
            erstattet = self.erstatninger[self.erstatter[d["besoeg_id"]]]
            erstattet.leveret_dag = dato(d["leveret_tidspunkt"]).isoformat()
        bevilling_id = self.bestilling.get(d["bestilling_id"])
        if bevilling_id is None or bevilling_id in self.iverksat:
            return
        self.iverksat.add(bevilling_id)
        frist = self.regler.get(bevilling_id, STANDARD_REGLER)["iverksaettelsesfrist_dage"]
        if frist is None or bevilling_id not in self.afgjort:
            return
        truffet = self.afgjort[bevilling_id]
        start = self._for(d["leverandoer_id"], maaned(truffet))
        if dato(d["leveret_tidspunkt"]) <= plus_dage(truffet, frist):
            start.iverksat_inden_frist += 1
        else:
            start.iverksat_efter_frist += 1

    @haandterer("BesoegAflyst")
    def _aflyst(self, h: Haendelse) -> None:
        d = h["data"]
        b = self._besoegets(d, h["occurred_at"])
        b.status = "aflyst"
        t = self._for(b.leverandoer_id, b.maaned)
        # Counted by who cancelled and whether in time, never by the reason: that is the
        # citizen's free text (health, family), personal data that has no place in figures
        # and is stored encrypted (it reads as ciphertext on the rebuild's fast path).
        per_varsel = t.aflysninger.setdefault(d["aflyst_af"], {})
        _tael(per_varsel, "rettidig" if d["rettidig"] else "for_sent")
        t.afviklede_planlagte_minutter += b.minutter
        if not d["rettidig"]:
            t.aflysninger_for_sent += 1
        regler = self.regler.get(self.bestilling.get(d["bestilling_id"], ""), STANDARD_REGLER)
        if d["aflyst_af"] == "leverandoer":
            skyldt = regler["erstatning_ved_leverandoeraflysning"]
        else:
            skyldt = not d["rettidig"] or regler["erstatning_ved_rettidig_borgeraflysning"]
        if skyldt and not b.erstatning:
            t.erstatning_skyldt += 1
            self._erstatning(d["besoeg_id"], d["leverandoer_id"], h["occurred_at"])

    @haandterer("ErstatningsbesoegPlanlagt")
    def _erstatning_planlagt(self, h: Haendelse) -> None:
        d = h["data"]
        e = self._erstatning(d["erstatter_besoeg_id"], d["leverandoer_id"], d["dato"])
        e.planlagt, e.frist = True, d["erstatning_frist"]
        self.erstatter[d["besoeg_id"]] = d["erstatter_besoeg_id"]
        self.besoeg[d["besoeg_id"]] = Besoeg(
            d["leverandoer_id"],
            d["dato"][:7],
            d["dato"],
            d["planlagte_minutter"],
            planlagt=True,
            erstatning=True,
        )

    @haandterer("LeveringSvigtet")
    def _svigtet(self, h: Haendelse) -> None:
        d = h["data"]
        e = self._erstatning(d["besoeg_id"], d["leverandoer_id"], d["oprindelig_dato"])
        e.svigtet = True
        e.frist = e.frist or d["erstatning_frist"]

    @haandterer("BesoegForgaeves")
    def _forgaeves(self, h: Haendelse) -> None:
        d = h["data"]
        b = self._besoegets(d, d["tidspunkt"])
        b.status = "forgaeves"
        t = self._for(b.leverandoer_id, b.maaned)
        _tael(t.forgaeves, d["aarsag"])
        t.afviklede_planlagte_minutter += b.minutter

    def _skift_status(self, besoeg_ids: list[str], fra: tuple[str, ...], til: str) -> None:
        for besoeg_id in besoeg_ids:
            b = self.besoeg.get(besoeg_id)
            if b is not None and b.status in fra:
                b.status = til

    def _ordrens_pauser(self, d: dict[str, Any]) -> Pauser | None:
        bevilling_id = self.bestilling.get(d["bestilling_id"])
        return None if bevilling_id is None else self._pauser(bevilling_id, d["leverandoer_id"])

    @haandterer("BesoegPauset")
    def _pauset(self, h: Haendelse) -> None:
        # The paused days leave the grant's granted minutes (bevilget_tid.Pauser).
        self._skift_status(h["data"]["besoeg_ids"], ("planlagt",), "pauset")
        pauser = self._ordrens_pauser(h["data"])
        if pauser is not None:
            pauser.pauset(dato(h["data"]["fra"]))

    @haandterer("BesoegGenoptaget")
    def _genoptaget(self, h: Haendelse) -> None:
        self._skift_status(h["data"]["besoeg_ids"], ("pauset",), "planlagt")
        pauser = self._ordrens_pauser(h["data"])
        if pauser is not None:
            pauser.genoptaget(dato(h["data"]["fra"]))

    @haandterer("BestillingAfsluttet")
    def _bestilling_afsluttet(self, h: Haendelse) -> None:
        d = h["data"]
        self._skift_status(d["afsluttede_besoeg"], ("planlagt", "pauset"), "afsluttet")
        # An order ended while paused: its pause ends with it, so a later order of the
        # same provider for the grant starts unpaused.
        pauser = self._ordrens_pauser(d)
        if pauser is not None:
            pauser.genoptaget(plus_dage(dato(d["sidste_dag"]), 1))

    @haandterer("AendringIFunktionsevneIndberettet")
    def _aendring(self, h: Haendelse) -> None:
        self._for(
            h["data"]["leverandoer_id"], maaned(h["occurred_at"])
        ).aendringsindberetninger += 1
