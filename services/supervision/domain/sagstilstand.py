"""The state of one case as a caseworker would read it, folded from its public events.

Folding only the events recorded up to a moment gives "what was known then" (the auditor's
replay). Every public event type of visitation and the providers has a step here; a type
this fold does not know yet is listed under `oevrige_haendelser`, never dropped.
"""

from __future__ import annotations

from typing import Any

from services.supervision.domain.fold import Fold, Haendelse, haandterer
from shared.contracts.bevilget_tid import HELHEDSPLEJE_NAVN, helhedspleje_tid


class Sagstilstand(Fold):
    def __init__(self, sag_id: str) -> None:
        self.sag_id = sag_id
        self.borger_id: str | None = None
        self.ansoegninger: list[dict[str, Any]] = []
        self.funktionsvurderinger: list[dict[str, Any]] = []
        self.afgoerelser: list[dict[str, Any]] = []
        self.bevillinger: dict[str, dict[str, Any]] = {}
        self.leverandoerskift: list[dict[str, Any]] = []
        self.bestillinger: dict[str, dict[str, Any]] = {}
        self.besoeg: dict[str, dict[str, Any]] = {}
        self.aendringsindberetninger: list[dict[str, Any]] = []
        self.klager: list[dict[str, Any]] = []
        self.kvitteringer: list[dict[str, Any]] = []
        self.overskredne_frister: list[dict[str, Any]] = []
        #: samtykke, partshøring, manglende medvirken, tilbagetrækning (before the decision)
        self.sagsbehandling: list[dict[str, Any]] = []
        self.lukket_uden_afgoerelse = False
        self.oevrige_haendelser: list[dict[str, Any]] = []
        self.antal_haendelser = 0
        self.senest_registreret: str | None = None

    def registrer(self, h: Haendelse) -> None:
        self.antal_haendelser += 1
        self.senest_registreret = h["recorded_at"]
        if not self.kender(h["event_type"]):
            self.oevrige_haendelser.append(
                {
                    "haendelse": h["event_type"],
                    "kilde": h["source"],
                    "tidspunkt": h["occurred_at"],
                    "data": h["data"],
                }
            )
        super().registrer(h)

    @haandterer("AnsoegningModtaget")
    def _ansoegning(self, h: Haendelse) -> None:
        d = h["data"]
        self.borger_id = d["borger_id"]
        self.ansoegninger.append(
            {
                "modtaget_dato": d["modtaget_dato"],
                "kanal": d["kanal"],
                "henvendelse_fra": d["henvendelse_fra"],
                "anmodninger": d["anmodninger"],
            }
        )

    @haandterer("FunktionsvurderingRegistreret")
    def _vurdering(self, h: Haendelse) -> None:
        self.funktionsvurderinger.append(h["data"])

    @haandterer("AfgoerelseMeddelt")
    def _meddelt(self, h: Haendelse) -> None:
        # When and how the decision reached the citizen: beside the decision it concerns.
        d = h["data"]
        for a in self.afgoerelser:
            if a["afgoerelse_id"] == d["afgoerelse_id"]:
                a["meddelt"] = {
                    "dato": d["meddelt_dato"],
                    "kanal": d["kanal"],
                    "klagefrist": d["klagefrist"],
                }

    @haandterer("AfgoerelseTruffet")
    def _afgoerelse(self, h: Haendelse) -> None:
        d = h["data"]
        self.afgoerelser.append(
            {
                "afgoerelse_id": d["afgoerelse_id"],
                "truffet_dato": d["truffet_dato"],
                "udfald": d["udfald"],
                "begrundelse": d.get("begrundelse"),
                "klagevejledning": d.get("klagevejledning"),
                "truffet_af": h["actor"]["id"],
            }
        )
        for b in d["bevillinger"]:
            self.bevillinger[b["bevilling_id"]] = {
                **b,
                "afgoerelse_id": d["afgoerelse_id"],
                "status": "aktiv",
                "ophoer": None,
            }
        if h_ := d.get("helhedspleje"):
            # Ældreloven: the forløb is a grant of the case too (its id is its order's), with
            # its frame as granted time, so a sampled case shows it and an ophør ends it.
            t = helhedspleje_tid(h_)
            self.bevillinger[t.bevilling_id] = {
                **h_,
                "bevilling_id": t.bevilling_id,
                "indsats_kode": t.indsats_kode,
                "indsats_navn": HELHEDSPLEJE_NAVN,
                "kategori": t.kategori,
                "bevilgede_minutter_pr_uge": round(t.minutter_pr_uge, 1),
                "afgoerelse_id": d["afgoerelse_id"],
                "status": "aktiv",
                "ophoer": None,
            }

    @haandterer("LeverandoerSkiftet")
    def _skift(self, h: Haendelse) -> None:
        d = h["data"]
        self.leverandoerskift.append(
            {
                "kategori": d["kategori"],
                "fra_leverandoer_id": d["fra_leverandoer_id"],
                "til_leverandoer_id": d["til_leverandoer_id"],
                "gyldig_fra": d["gyldig_fra"],
            }
        )
        for b in d["bevillinger"]:
            gammel = self.bevillinger.get(b["bevilling_id"], {})
            self.bevillinger[b["bevilling_id"]] = {
                **gammel,
                **b,
                "status": gammel.get("status", "aktiv"),
                "ophoer": gammel.get("ophoer"),
            }

    @haandterer("LeverandoerValgt")
    def _valgt(self, h: Haendelse) -> None:
        d = h["data"]
        self.leverandoerskift.append(
            {
                "kategori": d["kategori"],
                "fra_leverandoer_id": None,
                "til_leverandoer_id": d["leverandoer_id"],
                "gyldig_fra": d["dato"],
                "aarsag": d["aarsag"],
            }
        )
        for b in d["bevillinger"]:
            gammel = self.bevillinger.get(b["bevilling_id"], {})
            self.bevillinger[b["bevilling_id"]] = {**gammel, **b, "status": "aktiv"}

    @haandterer("BevillingOphoert")
    def _ophoer(self, h: Haendelse) -> None:
        d = h["data"]
        for bevilling_id in d["bevilling_ids"]:
            if bevilling_id in self.bevillinger:
                self.bevillinger[bevilling_id]["status"] = "ophoert"
                self.bevillinger[bevilling_id]["ophoer"] = {
                    "ophoersdato": d["ophoersdato"],
                    "aarsag": d["aarsag"],
                }

    @haandterer("BestillingModtaget")
    def _bestilling(self, h: Haendelse) -> None:
        d = h["data"]
        self.bestillinger[d["bestilling_id"]] = {
            "bestilling_id": d["bestilling_id"],
            "bevilling_id": d["bevilling_id"],
            "leverandoer_id": d["leverandoer_id"],
            "indsats_kode": d["indsats_kode"],
            "modtaget": h["occurred_at"],
            "kvitteret": False,
        }

    @haandterer("BestillingKvitteret")
    def _kvittering(self, h: Haendelse) -> None:
        d = h["data"]
        for bestilling in self.bestillinger.values():
            if (
                bestilling["bevilling_id"] == d["bevilling_id"]
                and bestilling["leverandoer_id"] == d["leverandoer_id"]
            ):
                bestilling["kvitteret"] = True

    @haandterer("BesoegPlanlagt")
    def _planlagt(self, h: Haendelse) -> None:
        d = h["data"]
        for b in d["besoeg"]:
            self.besoeg[b["besoeg_id"]] = {
                "besoeg_id": b["besoeg_id"],
                "bestilling_id": d["bestilling_id"],
                "leverandoer_id": d["leverandoer_id"],
                "dato": b["dato"],
                "tidsvindue": b["tidsvindue"],
                "planlagte_minutter": b["planlagte_minutter"],
                "status": "planlagt",
            }

    def _besoeg(self, d: dict[str, Any]) -> dict[str, Any]:
        # A delivery can be published before supervision saw the plan (another partition
        # order); the visit is then known from the delivery alone.
        return self.besoeg.setdefault(
            d["besoeg_id"],
            {
                "besoeg_id": d["besoeg_id"],
                "bestilling_id": d["bestilling_id"],
                "leverandoer_id": d["leverandoer_id"],
                "dato": None,
                "status": "ukendt",
            },
        )

    @haandterer("IndsatsLeveret")
    def _leveret(self, h: Haendelse) -> None:
        d = h["data"]
        self._besoeg(d).update(
            status="leveret",
            leveret_tidspunkt=d["leveret_tidspunkt"],
            faktiske_minutter=d["faktiske_minutter"],
            medarbejder_id=d["medarbejder_id"],
        )

    @haandterer("BesoegAflyst")
    def _aflyst(self, h: Haendelse) -> None:
        d = h["data"]
        self._besoeg(d).update(
            status="aflyst",
            aflyst_af=d["aflyst_af"],
            aarsag=d["aarsag"],
            varsel_timer=d["varsel_timer"],
            rettidig=d["rettidig"],
        )

    @haandterer("LeveringSvigtet")
    def _svigtet(self, h: Haendelse) -> None:
        d = h["data"]
        self._besoeg(d).update(
            svigtet=True, erstatning_frist=d["erstatning_frist"], svigt_aarsag=d["aarsag"]
        )
        if d.get("erstatning_frist_tidspunkt"):
            self._besoeg(d)["erstatning_frist_tidspunkt"] = d["erstatning_frist_tidspunkt"]

    # Check-in and check-out (issue 16 item 2): the visit's real times beside its plan. The
    # status stays the plan's until the delivery (IndsatsLeveret) or another outcome.
    @haandterer("BesoegPaabegyndt")
    def _paabegyndt(self, h: Haendelse) -> None:
        d = h["data"]
        self._besoeg(d).update(paabegyndt=d["tidspunkt"], paabegyndt_af=d["medarbejder_id"])

    @haandterer("BesoegAfsluttet")
    def _tjekket_ud(self, h: Haendelse) -> None:
        d = h["data"]
        self._besoeg(d).update(afsluttet=d["tidspunkt"], afsluttet_af=d["medarbejder_id"])

    @haandterer("BesoegForsinket")
    def _forsinket(self, h: Haendelse) -> None:
        d = h["data"]
        besoeg = self._besoeg(d)
        besoeg.update(
            forsinket=True,
            seneste_start=d["seneste_start"],
            erstatning_skyldig=d["erstatning_skyldig"],
        )
        for felt in ("erstatning_frist", "erstatning_frist_tidspunkt"):
            if d.get(felt):
                besoeg[felt] = d[felt]

    @haandterer("AendringIFunktionsevneIndberettet")
    def _aendring(self, h: Haendelse) -> None:
        self.aendringsindberetninger.append(h["data"])

    @haandterer("KlageOprettet")
    def _klage(self, h: Haendelse) -> None:
        self.klager.append({**h["data"], "oprettet_af": h["actor"]["id"]})

    @haandterer("KvitteringSendt")
    def _kvittering_sendt(self, h: Haendelse) -> None:
        self.kvitteringer.append(h["data"])

    @haandterer("FristOverskredet")
    def _frist_overskredet(self, h: Haendelse) -> None:
        self.overskredne_frister.append(h["data"])

    @haandterer("KlageGenvurderet")
    def _genvurderet(self, h: Haendelse) -> None:
        d = h["data"]
        genvurdering = {
            "dato": d["dato"],
            "udfald": d["udfald"],
            "begrundelse": d["begrundelse"],
            "genvurderet_af": h["actor"]["id"],
        }
        for klage in self.klager:
            if klage["klage_id"] == d["klage_id"]:
                klage["genvurdering"] = genvurdering
                return
        # The complaint itself not (yet) seen: keep the outcome rather than drop it.
        self.klager.append({"klage_id": d["klage_id"], "genvurdering": genvurdering})

    @haandterer(
        "SamtykkeRegistreret",
        "PartshoeringSendt",
        "PartshoeringBesvaret",
        "ManglendeMedvirkenNoteret",
        "AnsoegningTilbagetrukket",
    )
    def _sagsbehandling(self, h: Haendelse) -> None:
        self.sagsbehandling.append(
            {"haendelse": h["event_type"], "af": h["actor"]["id"], **h["data"]}
        )
        if h["event_type"] == "AnsoegningTilbagetrukket" or (
            h["event_type"] == "SamtykkeRegistreret" and not h["data"]["indforstaaet"]
        ):
            self.lukket_uden_afgoerelse = True

    @haandterer("AnkestyrelsensAfgoerelse")
    def _ankestyrelsen(self, h: Haendelse) -> None:
        d = h["data"]
        anke = {"dato": d["dato"], "udfald": d["udfald"], "begrundelse": d["begrundelse"]}
        for klage in self.klager:
            if klage["klage_id"] == d["klage_id"]:
                klage["ankestyrelsen"] = anke
                return
        self.klager.append({"klage_id": d["klage_id"], "ankestyrelsen": anke})

    @haandterer("ErstatningsbesoegPlanlagt")
    def _erstatning(self, h: Haendelse) -> None:
        d = h["data"]
        self.besoeg[d["besoeg_id"]] = {
            "besoeg_id": d["besoeg_id"],
            "bestilling_id": d["bestilling_id"],
            "leverandoer_id": d["leverandoer_id"],
            "dato": d["dato"],
            "tidsvindue": d["tidsvindue"],
            "planlagte_minutter": d["planlagte_minutter"],
            "status": "planlagt",
            "erstatter_besoeg_id": d["erstatter_besoeg_id"],
            "erstatning_frist": d["erstatning_frist"],
        }
        if d.get("erstatning_frist_tidspunkt"):
            self.besoeg[d["besoeg_id"]]["erstatning_frist_tidspunkt"] = d[
                "erstatning_frist_tidspunkt"
            ]
        erstattet = self.besoeg.get(d["erstatter_besoeg_id"])
        if erstattet is not None:
            erstattet["erstattet_af"] = d["besoeg_id"]
            erstattet["erstatning_frist"] = d["erstatning_frist"]

    @haandterer("BesoegForgaeves")
    def _forgaeves(self, h: Haendelse) -> None:
        d = h["data"]
        self._besoeg(d).update(
            status="forgaeves",
            forgaeves_tidspunkt=d["tidspunkt"],
            forgaeves_aarsag=d["aarsag"],
            medarbejder_id=d["medarbejder_id"],
        )

    def _saet_status(self, besoeg_ids: list[str], fra: tuple[str, ...], til: str) -> None:
        for besoeg_id in besoeg_ids:
            besoeg = self.besoeg.get(besoeg_id)
            if besoeg is not None and besoeg["status"] in fra:
                besoeg["status"] = til

    @haandterer("BesoegPauset")
    def _pauset(self, h: Haendelse) -> None:
        self._saet_status(h["data"]["besoeg_ids"], ("planlagt",), "pauset")

    @haandterer("BesoegGenoptaget")
    def _genoptaget(self, h: Haendelse) -> None:
        self._saet_status(h["data"]["besoeg_ids"], ("pauset",), "planlagt")

    @haandterer("BestillingAfsluttet")
    def _bestilling_afsluttet(self, h: Haendelse) -> None:
        d = h["data"]
        bestilling = self.bestillinger.get(d["bestilling_id"])
        if bestilling is not None:
            bestilling["afsluttet"] = {"sidste_dag": d["sidste_dag"], "aarsag": d["aarsag"]}
        self._saet_status(d["afsluttede_besoeg"], ("planlagt", "pauset"), "afsluttet")

    def kopi(self) -> Sagstilstand:
        """An independent copy to fold on from (a checkpoint of the case as of some event).

        One level is enough: the steps add records to the containers and set keys on some
        records (a visit's status, a grant's ophør, an order's receipt, a complaint's
        reconsideration), never change a record's nested values in place. Those records
        are copied, the others shared. Far cheaper than copy.deepcopy, which is what makes
        checkpoints pay."""
        ny = Sagstilstand.__new__(Sagstilstand)
        ny.__dict__.update(self.__dict__)
        for navn in (
            "ansoegninger", "funktionsvurderinger", "afgoerelser", "leverandoerskift",
            "aendringsindberetninger", "kvitteringer", "overskredne_frister",
            "oevrige_haendelser",
        ):  # fmt: skip
            setattr(ny, navn, list(getattr(self, navn)))  # records appended, never changed
        ny.klager = [dict(k) for k in self.klager]  # a reconsideration sets a key on one
        for navn in ("bevillinger", "bestillinger", "besoeg"):
            setattr(ny, navn, {k: dict(r) for k, r in getattr(self, navn).items()})
        return ny

    def status(self) -> str:
        if self.bevillinger and all(b["status"] == "ophoert" for b in self.bevillinger.values()):
            return "ophoert"
        if self.afgoerelser:
            return "afgjort"
        if self.lukket_uden_afgoerelse:
            return "lukket"
        if self.funktionsvurderinger:
            return "under_oplysning"
        if self.ansoegninger:
            return "modtaget"
        return "ukendt"

    def som_dict(self) -> dict[str, Any]:
        besoeg = sorted(self.besoeg.values(), key=lambda b: (b["dato"] or "", b["besoeg_id"]))
        optalt: dict[str, int] = {}
        for b in besoeg:
            optalt[b["status"]] = optalt.get(b["status"], 0) + 1
        return {
            "sag_id": self.sag_id,
            "borger_id": self.borger_id,
            "status": self.status(),
            "antal_haendelser": self.antal_haendelser,
            "senest_registreret": self.senest_registreret,
            "ansoegninger": self.ansoegninger,
            "sagsbehandling": self.sagsbehandling,
            "funktionsvurderinger": self.funktionsvurderinger,
            "afgoerelser": self.afgoerelser,
            "bevillinger": [self.bevillinger[k] for k in sorted(self.bevillinger)],
            "leverandoerskift": self.leverandoerskift,
            "bestillinger": [self.bestillinger[k] for k in sorted(self.bestillinger)],
            "besoeg_optalt": dict(sorted(optalt.items())),
            "besoeg": besoeg,
            "aendringsindberetninger": self.aendringsindberetninger,
            "klager": self.klager,
            "kvitteringer": self.kvitteringer,
            "overskredne_frister": self.overskredne_frister,
            "oevrige_haendelser": self.oevrige_haendelser,
        }


def sag_som_kendt(sag_id: str, historik: list[Haendelse]) -> dict[str, Any]:
    """Fold an (already ordered, already as-of filtered) history into the case state."""
    tilstand = Sagstilstand(sag_id)
    for h in historik:
        tilstand.registrer(h)
    return tilstand.som_dict()
