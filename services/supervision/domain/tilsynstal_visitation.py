"""Tilsyn figures: the fold steps for visitation's events (applications, decisions,
switches, ophør and missed deadlines; complaints are in tilsynstal_klager.py).

A decision's grants, of every kind (single services and a helhedspleje forløb), and their
granted time come from `shared.contracts.bevilget_tid`, the one definition of granted time."""

from __future__ import annotations

from datetime import date

from services.supervision.domain.fold import Haendelse, dato, haandterer, maaned
from services.supervision.domain.tilsynstal_grundlag import (
    STANDARD_REGLER,
    TilsynstalGrundlag,
)
from services.supervision.domain.tilsynstal_klager import Klagetal
from services.supervision.domain.tilsynstal_tal import Periode, _tael
from shared.contracts.bevilget_tid import BevilgetTid, bevilget_tid, bevilling_tid
from shared.kernel.tidsramme import plus_dage


class VisitationensTal(Klagetal, TilsynstalGrundlag):
    @haandterer("AnsoegningModtaget")
    def _ansoegning(self, h: Haendelse) -> None:
        self.ansoegt.setdefault(h["case_id"], dato(h["data"]["modtaget_dato"]))

    @haandterer("KvitteringSendt")
    def _kvittering(self, h: Haendelse) -> None:
        sendt = dato(h["data"]["dato"])
        frister = self._frister(maaned(sendt))
        frister.kvitteringer += 1
        if h["case_id"] in self.ansoegt:
            frister.dage_til_kvittering.append((sendt - self.ansoegt[h["case_id"]]).days)
        self.opfyldt.append((maaned(sendt), h["case_id"], "kvittering"))

    @haandterer("AfgoerelseTruffet")
    def _afgoerelse(self, h: Haendelse) -> None:
        d = h["data"]
        truffet = dato(d["truffet_dato"])
        self.afgoerelsesdato[d["afgoerelse_id"]] = truffet
        frister = self._frister(maaned(truffet))
        frister.afgoerelser += 1
        if h["case_id"] in self.ansoegt:
            frister.dage_til_afgoerelse.append((truffet - self.ansoegt[h["case_id"]]).days)
        self.opfyldt.append((maaned(truffet), h["case_id"], "afgoerelse"))
        regler = {b["bevilling_id"]: b.get("leveringsregler") or {} for b in d["bevillinger"]}
        for t in bevilget_tid(d):  # every kind of grant, a helhedspleje forløb too
            self._ny_periode(t, t.startdato)
            self.regler[t.bevilling_id] = {**STANDARD_REGLER, **regler.get(t.bevilling_id, {})}
            self.afgjort[t.bevilling_id] = truffet
            self.leverandoerer.setdefault(h["case_id"], set()).add(t.leverandoer_id)

    def _ny_periode(self, t: BevilgetTid, fra: date) -> None:
        self.perioder.setdefault(t.bevilling_id, []).append(
            Periode(
                t.leverandoer_id,
                fra,
                t.slutdato,
                t.besoeg_pr_uge,
                t.minutter_pr_besoeg,
                t.indsats_kode,
                t.kategori,
                dict(t.hyppighed),
                self._pauser(t.bevilling_id, t.leverandoer_id),
            )
        )

    def _luk(self, bevilling_id: str, sidste_dag: date) -> None:
        for p in self.perioder.get(bevilling_id, []):
            if p.til is None or p.til > sidste_dag:
                p.til = sidste_dag

    @haandterer("LeverandoerSkiftet")
    def _skift(self, h: Haendelse) -> None:
        d = h["data"]
        fra = dato(d["gyldig_fra"])
        for b in d["bevillinger"]:
            self._luk(b["bevilling_id"], plus_dage(fra, -1))
            self._ny_periode(bevilling_tid(b), fra)
        self.leverandoerer.setdefault(h["case_id"], set()).add(d["til_leverandoer_id"])

    @haandterer("BevillingOphoert")
    def _ophoer(self, h: Haendelse) -> None:
        d = h["data"]
        for bevilling_id in d["bevilling_ids"]:
            self._luk(bevilling_id, dato(d["ophoersdato"]))

    @haandterer("LeverandoerValgt")
    def _valgt(self, h: Haendelse) -> None:
        # The grant waited for the citizen's choice: its whole period belongs to the provider
        # chosen (or assigned), from the start the choice gives it.
        d = h["data"]
        for b in d["bevillinger"]:
            t = bevilling_tid(b)
            self.perioder[t.bevilling_id] = []
            self._ny_periode(t, t.startdato)
        self.leverandoerer.setdefault(h["case_id"], set()).add(d["leverandoer_id"])

    @haandterer("FristOverskredet")
    def _frist_overskredet(self, h: Haendelse) -> None:
        d = h["data"]
        noegle = (h["case_id"], d["frist_id"])
        if noegle in self.overskredne_id:  # published once per deadline; be safe anyway
            return
        self.overskredne_id.add(noegle)
        self.overskredet.add((h["case_id"], d["fristtype"]))
        _tael(self._frister(maaned(d["frist"])).overskredet, d["fristtype"])
