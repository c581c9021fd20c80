"""A municipality's year, day by day, through the services' application commands.

Each day: visitation receives applications (assessment and the § 83 a consideration
first), grants § 83 a courses and ends them, decides, registers complaints and
reconsiders them, records provider switches and ended help; the events flow to the
provider (orders) and to supervision; every Monday each provider plans its next four
weeks; then each provider records the day's visits: delivered, cancelled by the citizen
or by the provider (a replacement is planned within the deadline and delivered), or in
vain; the events flow again. Supervision inspects each provider twice a year.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from uuid import UUID

from bench.simulate.flow import Kommune
from bench.simulate.population import Borgerforloeb
from services.provider.domain.bestilling import DANMARK, Bestilling
from services.provider.domain.periode import Besoegsplan, perioder_for_dato
from services.provider.domain.planning import VINDUE_START_TIME
from services.provider.domain.values import Forgaeves, Levering, PlanlagtBesoeg
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.tilsyn import Tilsyn
from services.visitation.domain.values import (
    Afgoerelse,
    Anmodning,
    Bevilling,
    Funktionsniveau,
    Funktionsvurdering,
    Hyppighed,
    Udfald,
)
from shared.kernel import Aktoer
from shared.kernel.personoplysning import fritekst

AAR_START = date(2025, 1, 6)  # a Monday; Diakonien may deliver personal care all of 2025
VISITATOR = Aktoer("vis-sim", "visitator", "Slagelse Kommune")
TILSYN = Aktoer("tilsyn-sim", "tilsyn", "Slagelse Kommune")
KLAGEVEJLEDNING = "Du kan klage inden 4 uger til Visitationen."
INSPEKTIONSDAGE = (120, 300)


def _personale(leverandoer_id: str) -> Aktoer:
    return Aktoer(f"sosu-{leverandoer_id}", "leverandoer", leverandoer_id)


def _kl(dato: date, tidsvindue: str, minutter: int = 0) -> datetime:
    start = datetime.combine(dato, time(VINDUE_START_TIME.get(tidsvindue, 8)), DANMARK)
    return (start + timedelta(minutes=minutter)).astimezone(UTC)


class Aar:
    def __init__(self, kommune: Kommune, borgere: list[Borgerforloeb], dage: int, seed: int):
        self.k = kommune
        self.borgere = borgere
        self.dage = dage
        self.rng = random.Random(seed + 1)
        self.opgaver: dict[int, list[Callable[[], None]]] = defaultdict(list)
        self.ordrer: dict[UUID, set[UUID]] = {}  # order -> visits already in the calendar
        # Each visit's day: where the provider finds the visit's period (its read model's
        # role in the service, which the simulation does not run).
        self.datoer: dict[UUID, date] = {}
        kommune.provider.besoegsdato = self.datoer.get
        self.aktive: set[UUID] = set()  # orders the weekly planning still extends
        self.kalender: dict[date, list[tuple[UUID, UUID]]] = defaultdict(list)
        self.tal: dict[str, int] = defaultdict(int)  # what was done, for the results
        self.nye_bevillinger: list[UUID] = []  # grants decided or switched since the last pump
        self.projektioner = Tilsynsprojektioner(kommune.supervision)
        self.i_dag = 0
        for b in borgere:
            self.opgaver[b.ansoeger_dag].append(partial(self._ansoeg, b))

    def dato(self, dag: int) -> date:
        return AAR_START + timedelta(days=dag)

    def senere(self, dag: int, opgave: Callable[[], None]) -> None:
        if dag < self.dage:
            self.opgaver[dag].append(opgave)

    # -- one day -----------------------------------------------------------------------
    def dag(self, d: int) -> None:
        self.i_dag = d
        while self.opgaver.get(d):  # a task may add another for the same day
            for opgave in self.opgaver.pop(d):
                opgave()
        self.k.pump()
        self._opdater_ordrer()
        if self.dato(d).weekday() == 0:
            self._planlaeg_frem(self.dato(d))
        self._besoeg(self.dato(d))
        self.k.pump()
        if d in INSPEKTIONSDAGE:
            self._tilsyn(self.dato(d))

    # -- visitation ----------------------------------------------------------------------
    def _ansoeg(self, b: Borgerforloeb) -> None:
        v = self.k.visitation
        dato = self.dato(self.i_dag)
        anmodninger = tuple(
            Anmodning(uuid.uuid4(), fritekst(navn), kategori) for kategori, _, navn, *_ in b.ydelser
        )
        b.anmodninger = {a.kategori: a.anmodning_id for a in anmodninger}
        cpr = f"{(b.nr % 28) + 1:02d}{(b.nr // 28) % 12 + 1:02d}40-{b.nr:04d}"
        sag = v.modtag_ansoegning(
            cpr, f"Borger {b.nr}", dato, "telefon", "borger", anmodninger, VISITATOR
        )
        b.sag_id = sag.id
        niveau = {"rengoering": 1, "let": 2, "middel": 2, "tung": 3, "svaer": 4}[b.profil]
        omraader = (Funktionsniveau("B1-3", niveau), Funktionsniveau("B1-11", niveau))
        v.registrer_funktionsvurdering(
            sag.id, Funktionsvurdering(uuid.uuid4(), dato, omraader, None), VISITATOR
        )
        # § 83, stk. 3: before any § 83 grant, could a § 83 a course help?
        if b.rehabilitering:
            v.vurder_rehabilitering(sag.id, dato, True, "Kan genvinde færdigheder.", VISITATOR)
            forloeb = v.bevilg_rehabiliteringsforloeb(
                sag.id,
                dato,
                "moderat",
                dato,
                8,
                "udvikle",
                ("Selv klare bad",),
                "hjemmeplejen-nord",
                VISITATOR,
            )
            b.rehab_id = forloeb.forloeb_id
            self.tal["rehabiliteringsforloeb"] += 1
            self.senere(self.i_dag + 56, lambda: self._afslut_rehab(b))
            return
        v.vurder_rehabilitering(sag.id, dato, False, "Varigt nedsat funktionsevne.", VISITATOR)
        # Existing citizens are decided on day 0; new applicants wait a few days.
        self.senere(self.i_dag + (self.rng.randrange(3, 11) if self.i_dag else 0), self._beslut(b))

    def _afslut_rehab(self, b: Borgerforloeb) -> None:
        assert b.sag_id is not None and b.rehab_id is not None
        dato = self.dato(self.i_dag)
        self.k.visitation.afslut_rehabiliteringsforloeb(
            b.sag_id, b.rehab_id, dato, "gennemfoert", "Delvist selvhjulpen.", VISITATOR
        )
        self._beslut(b)()

    def _beslut(self, b: Borgerforloeb) -> Callable[[], None]:
        def beslut() -> None:
            assert b.sag_id is not None
            dato = self.dato(self.i_dag)
            start = dato + timedelta(days=1)
            bevillinger = []
            for kategori, kode, navn, antal, periode, minutter in b.ydelser:
                b.bevillinger[kategori] = uuid.uuid4()
                bevillinger.append(
                    Bevilling(
                        b.bevillinger[kategori],
                        b.anmodninger[kategori],
                        kode,
                        navn,
                        kategori,
                        Hyppighed(antal, periode),
                        minutter,
                        b.leverandoerer[kategori],
                        start,
                        None,
                    )
                )
            udfald = tuple(Udfald(a, "bevilget", None) for a in b.anmodninger.values())
            afgoerelse = Afgoerelse(
                uuid.uuid4(), dato, udfald, tuple(bevillinger), None, KLAGEVEJLEDNING
            )
            self.k.visitation.traef_afgoerelse(b.sag_id, afgoerelse, VISITATOR)
            self.tal["afgoerelser"] += 1
            self.nye_bevillinger.extend(b.bevillinger.values())
            if b.klage_dag is not None:
                self.senere(self.i_dag + b.klage_dag, lambda: self._klag(b))
            if b.skift_dag is not None:
                self.senere(max(b.skift_dag, self.i_dag + 14), lambda: self._skift(b))
            if b.ophoer_dag is not None:
                self.senere(max(b.ophoer_dag, self.i_dag + 7), lambda: self._ophoer(b))

        return beslut

    def _klag(self, b: Borgerforloeb) -> None:
        assert b.sag_id is not None
        v = self.k.visitation
        borger = Aktoer(str(v.hent_sag(b.sag_id).borger_id), "borger", "borger")
        klage = v.opret_klage(
            b.sag_id, "afgoerelse", self.dato(self.i_dag), "Jeg har brug for mere hjælp.", borger
        )
        self.tal["klager"] += 1

        def genvurder() -> None:
            assert b.sag_id is not None
            v.genvurder_klage(
                b.sag_id,
                klage.klage_id,
                self.dato(self.i_dag),
                "fastholdt",
                "Behovet er dækket af den bevilgede hjælp.",
                VISITATOR,
            )

        self.senere(self.i_dag + 14, genvurder)

    def _skift(self, b: Borgerforloeb) -> None:
        assert b.sag_id is not None
        if b.ophoert:
            return  # the help ended first: nothing left to switch
        kategori = "personlig" if "personlig" in b.leverandoerer else "praktisk"
        fra = b.leverandoerer[kategori]
        til = "omsorg-plus-aps" if fra != "omsorg-plus-aps" else "hjemmeplejen-nord"
        self.k.visitation.skift_leverandoer(
            b.sag_id, kategori, til, self.dato(self.i_dag), VISITATOR
        )
        b.leverandoerer[kategori] = til
        self.nye_bevillinger.append(b.bevillinger[kategori])
        self.tal["leverandoerskift"] += 1

    def _ophoer(self, b: Borgerforloeb) -> None:
        assert b.sag_id is not None
        self.k.visitation.ophoer_bevillinger(
            b.sag_id, tuple(b.bevillinger.values()), self.dato(self.i_dag), "doedsfald", VISITATOR
        )
        b.ophoert = True
        self.tal["ophoer"] += 1

    # -- provider ------------------------------------------------------------------------
    def _opdater_ordrer(self) -> None:
        """Orders made by the provider's policy since yesterday enter the calendar."""
        for bevilling_id in self.nye_bevillinger:
            order = self.k.provider.aktiv_bestilling(bevilling_id)
            if order is not None and order.id not in self.ordrer:
                self.ordrer[order.id] = set()
                self.aktive.add(order.id)
                self._kalender(order, order.startdato)
        self.nye_bevillinger = []

    def _kalender(self, order: Bestilling, fra: date) -> None:
        """Put the visits planned from `fra` not seen yet in the calendar."""
        plan = self.k.provider.besoegsplan(order, Besoegsplan.maaneder_til_planlaegning(fra))
        for _, v in plan.alle_besoeg():
            self._i_kalender(order.id, v)

    def _i_kalender(self, order_id: UUID, v: PlanlagtBesoeg) -> None:
        if v.besoeg_id not in self.ordrer[order_id]:
            self.ordrer[order_id].add(v.besoeg_id)
            self.datoer[v.besoeg_id] = v.dato
            self.kalender[v.dato].append((order_id, v.besoeg_id))

    def _planlaeg_frem(self, fra: date) -> None:
        p = self.k.provider
        pr_leverandoer: dict[str, list[UUID]] = defaultdict(list)
        for order_id in sorted(self.aktive):
            order = p.hent_bestilling(order_id)
            if not order.aktiv:  # ended (its last visits may still be due: kept in ordrer)
                self.aktive.discard(order_id)
                continue
            pr_leverandoer[order.leverandoer_id].append(order_id)
        for leverandoer_id, ids in pr_leverandoer.items():
            for i in range(0, len(ids), 200):  # one transaction per 200 orders
                p.planlaeg_frem(leverandoer_id, ids[i : i + 200], fra, _personale(leverandoer_id))
            for order_id in ids:
                self._kalender(p.hent_bestilling(order_id), fra)

    def _besoeg(self, dato: date) -> None:
        p = self.k.provider
        rng = self.rng
        for order_id, besoeg_id in self.kalender.pop(dato, []):
            order = p.hent_bestilling(order_id)
            plan = p.plan_for_besoeg(order, besoeg_id)
            if plan.status(besoeg_id) != "planlagt":
                self.tal["besoeg_bortfaldet"] += 1  # order ended (switch, ophør) or paused
                continue
            besoeg = plan.besoeg[besoeg_id]
            staff = _personale(order.leverandoer_id)
            r = rng.random()
            if r < 0.02:  # the citizen cancels: mostly the day before, some the same morning
                dagen_foer = rng.random() < 0.6
                when = (
                    _kl(dato - timedelta(days=1), "formiddag")
                    if dagen_foer
                    else _kl(dato, "morgen")
                )
                p.aflys_besoeg(order_id, besoeg_id, "borger", "Lægebesøg", when, staff)
                self.tal["aflyst_af_borger"] += 1
            elif r < 0.03 and besoeg.erstatter_besoeg_id is None:  # the provider cancels
                aflysning = p.aflys_besoeg(
                    order_id,
                    besoeg_id,
                    "leverandoer",
                    "Sygdom i personalet",
                    _kl(dato, "morgen"),
                    staff,
                )
                self.tal["aflyst_af_leverandoer"] += 1
                if aflysning.erstatning_skyldig:
                    self._erstatning(order_id, besoeg_id, dato, staff)
            elif r < 0.035:
                forgaeves = Forgaeves(
                    besoeg_id, _kl(dato, besoeg.tidsvindue, 10), staff.id, "ikke_hjemme"
                )
                p.registrer_forgaeves(order_id, forgaeves, staff)
                self.tal["forgaeves"] += 1
            else:
                minutter = max(5, besoeg.planlagte_minutter + rng.randrange(-5, 6))
                levering = Levering(besoeg_id, _kl(dato, besoeg.tidsvindue, 20), minutter, staff.id)
                p.registrer_levering(order_id, levering, staff)
                self.tal["leveret"] += 1

    def _erstatning(self, order_id: UUID, besoeg_id: UUID, dato: date, staff: Aktoer) -> None:
        p = self.k.provider
        order = p.hent_bestilling(order_id)
        for dage in (1, 2, 3):
            dag = dato + timedelta(days=dage)
            if order.sidste_dag is not None and dag > order.sidste_dag:
                return
            naer = p.besoegsplan(order, perioder_for_dato(dag)).besoeg.values()
            if not any(b.dato == dag and b.tidsvindue == "eftermiddag" for b in naer):
                erstatning = p.planlaeg_erstatning(order_id, besoeg_id, dag, "eftermiddag", staff)
                self.tal["erstatningsbesoeg"] += 1
                self._i_kalender(order_id, erstatning)
                return

    # -- supervision ---------------------------------------------------------------------
    def _tilsyn(self, dato: date) -> None:
        tilsyn = Tilsyn(self.k.supervision, self.projektioner)
        for leverandoer_id in sorted({o for b in self.borgere for o in b.leverandoerer.values()}):
            besoeg = tilsyn.planlaeg(leverandoer_id, False, "hjem", dato, 5, self.i_dag, TILSYN)
            for sag_id in list(besoeg.stikproeve)[:2]:
                tilsyn.registrer_fund(
                    besoeg.id, UUID(sag_id), "tilfredsstillende", "Dokumentation i orden.", TILSYN
                )
            self.tal["tilsyn"] += 1
