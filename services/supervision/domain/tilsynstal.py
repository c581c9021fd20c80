"""Tilsyn's figures per provider and month, folded from every service's public events.

Month means the month the thing concerns: a visit's planned date, a decision's date, a
complaint's receipt, a deadline's last day. Granted minutes come from the grants' periods
with each provider (a switch closes one period and opens the next, an ophør ends it) and are
spread over the months up to the latest month any event mentions, so the figures depend on
the events alone and never on today's date. "Missing" visits likewise are judged against the
latest day any event occurred, never the clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.supervision.domain.fold import Fold, Haendelse, dato, haandterer, maaned
from services.supervision.domain.tilsynstal_klager import Klagetal
from services.supervision.domain.tilsynstal_tal import (
    BESOEG_PR_UGE,
    Afledt,
    Besoeg,
    Erstatning,
    Frister,
    Maanedstal,
    Periode,
    _tael,
    bevilget_pr_maaned,
    maaned_som_dict,
)

__all__ = ["BESOEG_PR_UGE", "STANDARD_REGLER", "Tilsynstal"]

#: The catalogue's defaults when a grant carries no delivery rules (see LeveringsreglerV1).
STANDARD_REGLER = {
    "erstatning_ved_rettidig_borgeraflysning": False,
    "erstatning_ved_leverandoeraflysning": True,
    "erstatningsfrist_dage": 8,
    "iverksaettelsesfrist_dage": None,
}
#: The public event that meets each kind of visitation deadline.
OPFYLDER = {
    "KvitteringSendt": "kvittering",
    "AfgoerelseTruffet": "afgoerelse",
    "KlageGenvurderet": "genvurdering",
}


class Tilsynstal(Klagetal, Fold):
    def __init__(self) -> None:
        self.tal: dict[tuple[str, str], Maanedstal] = {}
        self.frister: dict[str, Frister] = {}
        self.perioder: dict[str, list[Periode]] = {}  # bevilling_id -> periods
        self.regler: dict[str, dict[str, Any]] = {}  # bevilling_id -> delivery rules
        self.afgjort: dict[str, date] = {}  # bevilling_id -> decision date
        self.afgoerelsesdato: dict[str, date] = {}  # afgoerelse_id -> date
        self.ansoegt: dict[str, date] = {}  # sag_id -> first application date
        self.bestilling: dict[str, str] = {}  # bestilling_id -> bevilling_id
        self.iverksat: set[str] = set()  # bevilling ids with a first delivery
        self.besoeg: dict[str, Besoeg] = {}
        self.erstatninger: dict[str, Erstatning] = {}  # replaced visit id -> replacement
        self.erstatter: dict[str, str] = {}  # replacement visit id -> replaced visit id
        self.hjaelpere: dict[tuple[str, str, str], dict[str, int]] = {}  # (lev, md, sag)
        self.klager: dict[str, tuple[str, str]] = {}  # klage_id -> (sag_id, month received)
        self.opfyldt: list[tuple[str, str, str]] = []  # (month, sag_id, fristtype)
        self.overskredet: set[tuple[str, str]] = set()  # (sag_id, fristtype)
        self.overskredne_id: set[tuple[str, str]] = set()  # (sag_id, frist_id)
        self.leverandoerer: dict[str, set[str]] = {}  # sag_id -> providers (for complaints)
        self.seneste_maaned = ""
        self.seneste_dag = ""

    def registrer(self, h: Haendelse) -> None:
        handler = self._handlers.get(h["event_type"])
        if handler is None:  # an unknown type moves not even the "latest day"
            return
        dag = h["occurred_at"][:10]
        if dag > self.seneste_dag:
            self.seneste_dag = dag
        handler(self, h)

    def _for(self, leverandoer_id: str, month: str) -> Maanedstal:
        if month > self.seneste_maaned:
            self.seneste_maaned = month
        t = self.tal.get((leverandoer_id, month))
        if t is None:
            t = self.tal[(leverandoer_id, month)] = Maanedstal()
        return t

    def _frister(self, month: str) -> Frister:
        self.seneste_maaned = max(self.seneste_maaned, month)
        return self.frister.setdefault(month, Frister())

    # -- visitation ------------------------------------------------------------------------

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
        for b in d["bevillinger"]:
            self._ny_periode(b, dato(b["startdato"]))
            self.regler[b["bevilling_id"]] = {**STANDARD_REGLER, **(b.get("leveringsregler") or {})}
            self.afgjort[b["bevilling_id"]] = truffet
            self.leverandoerer.setdefault(h["case_id"], set()).add(b["leverandoer_id"])

    def _ny_periode(self, b: dict[str, Any], fra: date) -> None:
        hyppighed = b["hyppighed"]
        slut = dato(b["slutdato"]) if b.get("slutdato") else None
        self.perioder.setdefault(b["bevilling_id"], []).append(
            Periode(
                b["leverandoer_id"],
                fra,
                slut,
                BESOEG_PR_UGE[hyppighed["periode"]] * hyppighed["antal"],
                b["minutter_pr_besoeg"],
                b["indsats_kode"],
                b["kategori"],
                dict(hyppighed),
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
            self._luk(b["bevilling_id"], fra - timedelta(days=1))
            self._ny_periode(b, fra)
        self.leverandoerer.setdefault(h["case_id"], set()).add(d["til_leverandoer_id"])

    @haandterer("LeverandoerValgt")
    def _valgt(self, h: Haendelse) -> None:
        # The grant waited for the citizen's choice: its whole period belongs to the provider
        # chosen (or assigned), from the start the choice gives it.
        d = h["data"]
        for b in d["bevillinger"]:
            self.perioder[b["bevilling_id"]] = []
            self._ny_periode(b, dato(b["startdato"]))
        self.leverandoerer.setdefault(h["case_id"], set()).add(d["leverandoer_id"])

    @haandterer("BevillingOphoert")
    def _ophoer(self, h: Haendelse) -> None:
        d = h["data"]
        for bevilling_id in d["bevilling_ids"]:
            self._luk(bevilling_id, dato(d["ophoersdato"]))

    @haandterer("FristOverskredet")
    def _frist_overskredet(self, h: Haendelse) -> None:
        d = h["data"]
        noegle = (h["case_id"], d["frist_id"])
        if noegle in self.overskredne_id:  # published once per deadline; be safe anyway
            return
        self.overskredne_id.add(noegle)
        self.overskredet.add((h["case_id"], d["fristtype"]))
        _tael(self._frister(maaned(d["frist"])).overskredet, d["fristtype"])

    # -- providers -------------------------------------------------------------------------

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
        if dato(d["leveret_tidspunkt"]) <= truffet + timedelta(days=frist):
            start.iverksat_inden_frist += 1
        else:
            start.iverksat_efter_frist += 1

    @haandterer("BesoegAflyst")
    def _aflyst(self, h: Haendelse) -> None:
        d = h["data"]
        b = self._besoegets(d, h["occurred_at"])
        b.status = "aflyst"
        t = self._for(b.leverandoer_id, b.maaned)
        per_aarsag = t.aflysninger.setdefault(d["aflyst_af"], {})
        _tael(per_aarsag, d["aarsag"])
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

    @haandterer("BesoegPauset")
    def _pauset(self, h: Haendelse) -> None:
        self._skift_status(h["data"]["besoeg_ids"], ("planlagt",), "pauset")

    @haandterer("BesoegGenoptaget")
    def _genoptaget(self, h: Haendelse) -> None:
        self._skift_status(h["data"]["besoeg_ids"], ("pauset",), "planlagt")

    @haandterer("BestillingAfsluttet")
    def _bestilling_afsluttet(self, h: Haendelse) -> None:
        self._skift_status(h["data"]["afsluttede_besoeg"], ("planlagt", "pauset"), "afsluttet")

    @haandterer("AendringIFunktionsevneIndberettet")
    def _aendring(self, h: Haendelse) -> None:
        self._for(
            h["data"]["leverandoer_id"], maaned(h["occurred_at"])
        ).aendringsindberetninger += 1

    # -- reading ---------------------------------------------------------------------------

    def sager_for(self, leverandoer_id: str) -> list[str]:
        """The cases that have or had a grant with this provider (sample candidates)."""
        return sorted(s for s, levs in self.leverandoerer.items() if leverandoer_id in levs)

    def aktive_perioder(self) -> list[Periode]:
        """Per grant, its period running on (or starting after) the latest day any event
        mentions: after a switch that is the new provider's period."""
        if not self.seneste_dag:
            return []
        dag = date.fromisoformat(self.seneste_dag)
        aktive = []
        for _, perioder in sorted(self.perioder.items()):
            loebende = [p for p in perioder if p.til is None or p.til >= dag]
            if loebende:
                aktive.append(loebende[-1])
        return aktive

    def _afledt(self) -> dict[tuple[str, str], Afledt]:
        afledt: dict[tuple[str, str], Afledt] = {}
        for b in self.besoeg.values():
            if b.erstatning:  # counted through the outcome of the visit it replaces
                continue
            a = afledt.setdefault((b.leverandoer_id, b.maaned), Afledt())
            if b.planlagt and b.status != "afsluttet":
                a.planlagte_besoeg += 1
                a.planlagte_minutter += b.minutter
            if b.status == "pauset":
                a.pauset += 1
            elif b.status == "afsluttet":
                a.afsluttet += 1
            elif b.status == "planlagt" and b.planlagt and b.dato < self.seneste_dag:
                a.manglende += 1
        for e in self.erstatninger.values():
            a = afledt.setdefault((e.leverandoer_id, e.maaned), Afledt())
            _tael(a.erstatning, e.udfald())
            if e.planlagt:
                _tael(a.erstatning, "planlagt")
        for (leverandoer, month, sag_id), pr_hjaelper in self.hjaelpere.items():
            afledt.setdefault((leverandoer, month), Afledt()).hjaelpere[sag_id] = pr_hjaelper
        return afledt

    def resultat(self) -> dict[str, Any]:
        bevilget = bevilget_pr_maaned(self.perioder.values(), self.seneste_maaned)
        afledt = self._afledt()
        noegler = sorted(set(self.tal) | set(bevilget) | set(afledt))
        leverandoerer: dict[str, dict[str, Any]] = {}
        for leverandoer, month in noegler:
            b, m = bevilget.get((leverandoer, month), (0.0, 0.0))
            leverandoerer.setdefault(leverandoer, {})[month] = maaned_som_dict(
                self.tal.get((leverandoer, month), Maanedstal()),
                afledt.get((leverandoer, month), Afledt()),
                b,
                m,
            )
        overholdt: dict[str, dict[str, int]] = {}
        for month, sag_id, fristtype in self.opfyldt:
            if (sag_id, fristtype) not in self.overskredet:
                _tael(overholdt.setdefault(month, {}), fristtype)
        return {
            "leverandoerer": leverandoerer,
            "frister": {
                k: self.frister[k].som_dict(overholdt.get(k, {})) for k in sorted(self.frister)
            },
        }
