"""The provider's work lists: orders and visits per leverandør, folded from its own log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import singledispatchmethod
from typing import Any, cast
from uuid import UUID

from services.provider.domain import regler as r
from services.provider.domain.besoeg import Besoegsforloeb as Besoeg
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.erstatning import Erstatningsforloeb as Erst
from services.provider.domain.forloeb import Bestillingsforloeb as Forl
from services.provider.domain.fuldmagt import Fuldmagtskopi as Fm
from services.provider.domain.helhedsplejeramme import Helhedsplejeramme, som_helhedspleje
from services.provider.domain.notat import Besoegsnotat
from services.provider.domain.periode import Besoegsperiode
from services.provider.domain.values import PlanlagtBesoeg
from shared.contracts.bevilget_tid import Pauser
from shared.infra.projection import LogFollowingProjection
from shared.kernel.fuldmagt import Fuldmagt, Fuldmagter
from shared.kernel.loefte import Loefte
from shared.kernel.personoplysning import som_visning


@dataclass
class BesoegLinje:
    besoeg_id: UUID
    bestilling_id: UUID
    sag_id: UUID
    borger_id: UUID
    leverandoer_id: str
    indsats_kode: str
    indsats_navn: str
    dato: date
    tidsvindue: str
    planlagte_minutter: int
    status: str = "planlagt"
    detaljer: dict[str, Any] = field(default_factory=dict)
    erstatter_besoeg_id: UUID | None = None
    kategori: str = ""
    medarbejder_id: str | None = None
    start_minut: int | None = None
    #: The latest start before the visit counts as late (its window's end plus the
    #: kommune's tolerance); None where the order's rules name no tolerance.
    seneste_start: datetime | None = None
    paabegyndt: datetime | None = None
    forsinket: bool = False


class ProviderWorkLists(LogFollowingProjection):
    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.bestillinger: dict[UUID, dict[str, Any]] = {}
        self.besoeg: dict[UUID, BesoegLinje] = {}
        #: Each order's periods (months), so a command finds every one it must load.
        self.perioder: dict[UUID, list[str]] = {}
        #: Per visit, its notes' ids in the order written (notat.py; the text stays in
        #: the store, read with the citizen's key when asked for).
        self.notater: dict[UUID, list[UUID]] = {}
        #: Who may act for which citizen in self-service (visitation's record, copied).
        self.fuldmagter = Fuldmagter()
        #: Settlement's granted time, kept apart from the orders the API shows: each order's
        #: pauses (indlæggelse) and each helhedspleje forløb's frame (decision JSON shape).
        self.pauser: dict[UUID, Pauser] = {}
        self.rammer: dict[UUID, dict[str, Any]] = {}
        #: The late-visit check's inputs: each order's tolerance (orders with one only),
        #: and its open duties with an hour deadline (visit -> the instant it runs out).
        self.toleranser: dict[UUID, Loefte] = {}
        self.timefrister: dict[UUID, dict[UUID, datetime]] = {}

    @singledispatchmethod
    def apply(self, e: Any) -> None:
        """Fold one event in, by the method registered for its class below; the events
        the lists don't show (staff, the provider register's copy, ...) change nothing."""

    @apply.register(Bestilling.BestillingModtaget)
    def _bestilling_modtaget(self, e: Bestilling.BestillingModtaget) -> None:
        self.bestillinger[e.originator_id] = {
            "bestilling_id": e.originator_id,
            "bevilling_id": e.bevilling_id,
            "sag_id": e.sag_id,
            "borger_id": e.borger_id,
            "leverandoer_id": e.leverandoer_id,
            "indsats_kode": e.indsats_kode,
            "indsats_navn": e.indsats_navn,
            "kategori": e.kategori,
            "hyppighed": {"antal": e.antal, "periode": e.periode},
            "minutter_pr_besoeg": e.minutter_pr_besoeg,
            "startdato": e.startdato,
            "slutdato": e.slutdato,
            "forgaenger_id": getattr(e, "forgaenger_id", None),
            "status": "aktiv",
            "sidste_dag": None,
            "aabne_erstatninger": 0,
            "leveringssvigt": 0,
        }
        if e.leveringsregler and e.leveringsregler.forsinkelsestolerance is not None:
            self.toleranser[e.originator_id] = e.leveringsregler.forsinkelsestolerance

    @apply.register(Besoeg.BesoegPlanlagt)
    def _besoeg_planlagt(self, e: Besoeg.BesoegPlanlagt) -> None:
        bestilling_id = e.bestilling_id or e.originator_id  # a period names its order
        for b in e.besoeg:
            self._planlagt(bestilling_id, b)

    @apply.register(Besoeg.ErstatningsbesoegPlanlagt)
    def _erstatningsbesoeg_planlagt(self, e: Besoeg.ErstatningsbesoegPlanlagt) -> None:
        b = e.besoeg
        self._planlagt(e.bestilling_id or e.originator_id, b, b.erstatter_besoeg_id)

    def _planlagt(
        self, bestilling_id: UUID, b: PlanlagtBesoeg, erstatter_besoeg_id: UUID | None = None
    ) -> None:
        """A planned visit's line, with its order's case, citizen and service; a
        replacement's also names the visit it replaces."""
        order = self.bestillinger[bestilling_id]
        self.besoeg[b.besoeg_id] = BesoegLinje(
            b.besoeg_id,
            bestilling_id,
            order["sag_id"],
            order["borger_id"],
            order["leverandoer_id"],
            order["indsats_kode"],
            order["indsats_navn"],
            b.dato,
            b.tidsvindue,
            b.planlagte_minutter,
            erstatter_besoeg_id=erstatter_besoeg_id,
            kategori=order["kategori"],
            seneste_start=self._seneste_start(bestilling_id, b.dato, b.tidsvindue),
        )

    @apply.register(Besoeg.MedarbejderTildelt)
    def _medarbejder_tildelt(self, e: Besoeg.MedarbejderTildelt) -> None:
        for t in e.tildelinger:
            linje = self.besoeg[t.besoeg_id]
            linje.medarbejder_id, linje.start_minut = t.medarbejder_id, t.start_minut

    @apply.register(Besoeg.IndsatsLeveret)
    def _indsats_leveret(self, e: Besoeg.IndsatsLeveret) -> None:
        lev = e.levering
        linje = self.besoeg[lev.besoeg_id]
        linje.status = "delvist_leveret" if lev.delvis else "leveret"
        linje.detaljer = {
            "faktiske_minutter": lev.faktiske_minutter,
            "medarbejder_id": lev.medarbejder_id,
            "leveret_tidspunkt": lev.leveret_tidspunkt,
            "kanal": lev.kanal,
            "oevrige_medarbejdere": list(lev.oevrige_medarbejdere),
            "opgaver_udfoert": list(lev.opgaver_udfoert),
            "opgaver_ikke_udfoert": list(lev.opgaver_ikke_udfoert),
            "delvis_aarsag": lev.delvis_aarsag,
        }
        if linje.erstatter_besoeg_id is not None:
            self.besoeg[linje.erstatter_besoeg_id].detaljer["erstattet_af"] = lev.besoeg_id

    @apply.register(Fm.FuldmagtNoteret)
    def _fuldmagt_noteret(self, e: Fm.FuldmagtNoteret) -> None:
        self.fuldmagter.givet(
            Fuldmagt(
                e.fuldmagt_id,
                str(e.borger_id),
                e.fuldmagtshaver,
                frozenset(e.omfang),
                e.gyldig_fra,
                e.gyldig_til,
            )
        )

    @apply.register(Fm.TilbagekaldelseNoteret)
    def _tilbagekaldelse_noteret(self, e: Fm.TilbagekaldelseNoteret) -> None:
        self.fuldmagter.tilbagekaldt(e.fuldmagt_id, e.tilbagekaldt_fra)

    @apply.register(Besoeg.BesoegForgaeves)
    def _besoeg_forgaeves(self, e: Besoeg.BesoegForgaeves) -> None:
        linje = self.besoeg[e.forgaeves.besoeg_id]
        linje.status = "forgaeves"
        linje.detaljer = {
            "aarsag": e.forgaeves.aarsag,
            "medarbejder_id": e.forgaeves.medarbejder_id,
            "tidspunkt": e.forgaeves.tidspunkt,
        }

    @apply.register(Erst.LeveringSvigtet)
    def _levering_svigtet(self, e: Erst.LeveringSvigtet) -> None:
        self.besoeg[e.besoeg_id].detaljer["leveringssvigt"] = True
        order = self.bestillinger[e.originator_id]
        order["leveringssvigt"] += 1
        order["aabne_erstatninger"] -= 1
        self.timefrister.get(e.originator_id, {}).pop(e.besoeg_id, None)

    @apply.register(Erst.ErstatningLeveret)
    def _erstatning_leveret(self, e: Erst.ErstatningLeveret) -> None:
        self.timefrister.get(e.originator_id, {}).pop(e.besoeg_id, None)

    @apply.register(Forl.BestillingAfsluttet)
    def _bestilling_afsluttet(self, e: Forl.BestillingAfsluttet) -> None:
        order = self.bestillinger[e.originator_id]
        order.update(status="afsluttet", sidste_dag=e.sidste_dag, aarsag=e.aarsag)
        order["aabne_erstatninger"] -= len(e.bortfaldne_erstatninger)
        for bid in e.bortfaldne_erstatninger:
            self.timefrister.get(e.originator_id, {}).pop(bid, None)
        for bid in e.afsluttede_besoeg:
            self.besoeg[bid].status = "afsluttet"
            self.besoeg[bid].detaljer = {"aarsag": e.aarsag}

    @apply.register(Forl.BesoegPauset)
    def _besoeg_pauset(self, e: Forl.BesoegPauset) -> None:
        for bid in e.besoeg_ids:
            self.besoeg[bid].status = "pauset"
        self.pauser.setdefault(e.originator_id, Pauser()).pauset(e.fra)

    @apply.register(Forl.BesoegGenoptaget)
    def _besoeg_genoptaget(self, e: Forl.BesoegGenoptaget) -> None:
        for bid in e.besoeg_ids:
            self.besoeg[bid].status = "planlagt"
        self.pauser.setdefault(e.originator_id, Pauser()).genoptaget(e.fra)

    @apply.register(Helhedsplejeramme.RammeModtaget)
    def _ramme_modtaget(self, e: Helhedsplejeramme.RammeModtaget) -> None:
        self.rammer[e.forloeb_id] = som_helhedspleje(e)

    @apply.register(Besoeg.BesoegAflyst)
    def _besoeg_aflyst(self, e: Besoeg.BesoegAflyst) -> None:
        af = e.aflysning
        linje = self.besoeg[af.besoeg_id]
        linje.status = "aflyst"
        linje.detaljer = {
            "aflyst_af": af.aflyst_af,
            "aarsag": af.aarsag,
            "rettidig": af.rettidig,
            "varsel_timer": af.varsel_timer,
            "erstatning_skyldig": af.erstatning_skyldig,
            "erstatningsfrist": af.erstatningsfrist,
        }
        if af.erstatning_skyldig:
            self._erstatning_skyldig(
                e.bestilling_id or e.originator_id, af.besoeg_id, af.frist_tidspunkt
            )

    @apply.register(Besoeg.BesoegPaabegyndt)
    def _besoeg_paabegyndt(self, e: Besoeg.BesoegPaabegyndt) -> None:
        self.besoeg[e.besoeg_id].paabegyndt = e.tidspunkt

    @apply.register(Besoeg.BesoegForsinket)
    def _besoeg_forsinket(self, e: Besoeg.BesoegForsinket) -> None:
        linje = self.besoeg[e.besoeg_id]
        linje.forsinket = True
        linje.detaljer["forsinket"] = True
        if e.erstatning_skyldig:
            self._erstatning_skyldig(
                e.bestilling_id or e.originator_id, e.besoeg_id, e.frist_tidspunkt
            )

    def _erstatning_skyldig(
        self, bestilling_id: UUID, besoeg_id: UUID, frist_tidspunkt: datetime | None
    ) -> None:
        """A replacement is owed for a visit: one more open duty on its order, and its hour
        deadline where the promise is in hours."""
        self.bestillinger[bestilling_id]["aabne_erstatninger"] += 1
        if frist_tidspunkt is not None:
            self.timefrister.setdefault(bestilling_id, {})[besoeg_id] = frist_tidspunkt

    @apply.register(Besoegsnotat.NotatSkrevet)
    def _notat_skrevet(self, e: Besoegsnotat.NotatSkrevet) -> None:
        self.notater.setdefault(e.besoeg_id, []).append(e.originator_id)

    @apply.register(Besoegsperiode.Oprettet)
    def _periode_oprettet(self, e: Besoegsperiode.Oprettet) -> None:
        self.perioder.setdefault(e.bestilling_id, []).append(e.maaned)

    def _seneste_start(self, bestilling_id: UUID, dato: date, tidsvindue: str) -> datetime | None:
        tolerance = self.toleranser.get(bestilling_id)
        if tolerance is None:
            return None
        return r.seneste_start_tidspunkt(dato, tidsvindue, tolerance)

    def besoegsdato(self, besoeg_id: UUID) -> date | None:
        """A visit's day (a command on it finds its period from it).

        Only a hint, so a visit already known is answered without catching up: catching up
        costs a round trip and a decode of every event since, on every command (py-spy of
        the provider under load: ~20% of its samples). A visit's day is fixed once planned
        (a replacement is a visit of its own), and a stale or missing hint only makes the
        command search the order's periods (ProviderApplication.plan_for_besoeg)."""
        linje = self.besoeg.get(besoeg_id)
        if linje is None:
            self.catch_up()
            linje = self.besoeg.get(besoeg_id)
        return None if linje is None else linje.dato

    def notater_for(self, besoeg_id: UUID) -> list[UUID]:
        self.catch_up()
        return list(self.notater.get(besoeg_id, ()))

    def perioder_for(self, bestilling_id: UUID) -> list[str]:
        self.catch_up()
        return list(self.perioder.get(bestilling_id, ()))

    def vis(self, linje: BesoegLinje) -> dict[str, Any]:
        """A visit line for an API answer: free text as text, or the placeholder when the
        citizen's key is gone (also when it went after this projection decrypted it)."""
        keys = getattr(self.app, "keys", None)
        return cast(
            "dict[str, Any]",
            som_visning(linje, None if keys is None else keys.er_slettet),
        )

    def bestillinger_for(self, leverandoer_id: str) -> list[dict[str, Any]]:
        self.catch_up()
        return [o for o in self.bestillinger.values() if o["leverandoer_id"] == leverandoer_id]

    def pauser_for(self, bestilling_id: UUID) -> Pauser | None:
        self.catch_up()
        return self.pauser.get(bestilling_id)

    def ramme_for(self, bevilling_id: UUID) -> dict[str, Any] | None:
        """A helhedspleje forløb's frame (the decision's shape), None if none was kept."""
        self.catch_up()
        return self.rammer.get(bevilling_id)

    def besoeg_for(
        self, leverandoer_id: str, fra: date | None, til: date | None
    ) -> list[BesoegLinje]:
        self.catch_up()
        rows = [
            b
            for b in self.besoeg.values()
            if b.leverandoer_id == leverandoer_id
            and (fra is None or b.dato >= fra)
            and (til is None or b.dato <= til)
        ]
        return sorted(rows, key=lambda b: (b.dato, b.tidsvindue, str(b.besoeg_id)))

    def bestillinger_med_erstatningspligt(self, leverandoer_id: str | None) -> list[UUID]:
        """Orders that may have an unmet replacement duty: what a deadline check loads.
        (The count is a hint; the aggregate decides, so a met duty is simply skipped.)"""
        self.catch_up()
        return [
            o["bestilling_id"]
            for o in self.bestillinger.values()
            if o["aabne_erstatninger"] > 0
            and (leverandoer_id is None or o["leverandoer_id"] == leverandoer_id)
        ]

    def bestillinger_med_timefrist(self, nu: datetime) -> list[UUID]:
        """Orders with a duty whose hour deadline ran out before `nu` and that may be unmet
        (a hint, as `bestillinger_med_erstatningspligt`)."""
        self.catch_up()
        return [
            o for o, frister in self.timefrister.items() if any(t < nu for t in frister.values())
        ]

    def til_forsinkelseskontrol(self, nu: datetime) -> dict[UUID, list[date]]:
        """Per order, the days of its visits the late-visit check must look at as of `nu`:
        past their latest start, not yet found late, and either still planned without a
        check-in or checked in after it. (A hint; the aggregates decide.)"""
        self.catch_up()
        ud: dict[UUID, list[date]] = {}
        for linje in self.besoeg.values():
            graense = linje.seneste_start
            if graense is None or linje.forsinket or graense >= nu:
                continue
            if (linje.paabegyndt is None and linje.status == "planlagt") or (
                linje.paabegyndt is not None and linje.paabegyndt > graense
            ):
                dage = ud.setdefault(linje.bestilling_id, [])
                if linje.dato not in dage:
                    dage.append(linje.dato)
        return ud

    def aktive_bestillinger(
        self, leverandoer_id: str | None, borger_id: UUID | None = None
    ) -> list[UUID]:
        self.catch_up()
        return [
            o["bestilling_id"]
            for o in self.bestillinger.values()
            if o["status"] == "aktiv"
            and (leverandoer_id is None or o["leverandoer_id"] == leverandoer_id)
            and (borger_id is None or o["borger_id"] == borger_id)
        ]

    def sager_for_borger(self, borger_id: UUID) -> list[UUID]:
        """The citizen's cases this provider has orders on (for the access log)."""
        self.catch_up()
        sager = {o["sag_id"] for o in self.bestillinger.values() if o["borger_id"] == borger_id}
        return sorted(sager, key=str)

    def besoeg_for_borger(self, borger_id: UUID, fra: date) -> list[BesoegLinje]:
        self.catch_up()
        rows = [b for b in self.besoeg.values() if b.borger_id == borger_id and b.dato >= fra]
        return sorted(rows, key=lambda b: (b.dato, b.tidsvindue, str(b.besoeg_id)))

    def gyldig(self, borger_id: str, fuldmagtshaver: str, dato: date, omfang: str) -> bool:
        """Self-service's fuldmagt lookup (shared.infra.auth.FuldmagtOpslag), caught up."""
        self.catch_up()
        return self.fuldmagter.gyldig(borger_id, fuldmagtshaver, dato, omfang)
