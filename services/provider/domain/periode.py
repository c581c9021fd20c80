"""Visits in bounded units: one aggregate per order and calendar month (Besoegsperiode),
and the order with the periods a command touches (Besoegsplan).

Why: an order that held every visit replayed a year's ~1,500 events for each delivery.
The order now keeps what is grant level (bestilling.py) and the visits live in periods;
a command loads the order and at most a few periods, whatever the grant's age.

Where a visit lives: a planning run (four weeks at most) is recorded as one BesoegPlanlagt
in the period of its first new visit, so the public event is the same as before, one per
run. A visit dated d therefore lives in the period of d's month or of the month before;
a replacement visit in the period of its own month. Deterministic: the app finds a visit's
period from its date (`perioder_for_dato`), and plans into the months it loaded.

Consistency across periods (a cancellation in January owing a replacement delivered in
February, an ophør ending visits in two months, one visit per window and day) is kept by
saving every aggregate a command touched in one transaction (`aendrede`); the store's
version check on each decides a conflict. The rules stay pure: no I/O here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain import regler as r
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.bestilling import PLANLAEGNINGSHORISONT, Bestilling
from services.provider.domain.forloeb import dobbeltbooking
from services.provider.domain.tildeling import Tildeling
from services.provider.domain.values import (
    Aflysning,
    Enhedsregistrering,
    Forgaeves,
    Levering,
    Leveringsregler,
    PlanlagtBesoeg,
)
from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from shared.kernel.tidsramme import plus_dage

PERIODE_NAMESPACE = UUID("3e9b6c2a-8d41-4f17-a5e0-6b2c9d8f1a47")


def maaned(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _flyt(m: str, n: int) -> str | None:
    """The month n months from m, or None outside year 1-9999."""
    aar, md = int(m[:4]), int(m[5:])
    i = aar * 12 + md - 1 + n
    if not 1 <= i // 12 <= 9999:
        return None
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def maaneder(fra: date, til: date) -> list[str]:
    """The months of the periods that may hold a visit dated in [fra, til]: from the month
    before fra's (a run recorded there reaches four weeks on) to til's."""
    ud: list[str] = []
    m = _flyt(maaned(fra), -1) or maaned(fra)
    slut = maaned(til)
    while m <= slut:
        ud.append(m)
        naeste = _flyt(m, 1)
        if naeste is None:
            break
        m = naeste
    return ud


def perioder_for_dato(d: date) -> list[str]:
    """Where a visit dated d lives, most likely first: its month, then the month before."""
    return [m for m in (maaned(d), _flyt(maaned(d), -1)) if m is not None]


class Besoegsperiode(Besoegsforloeb):
    """One order's visits recorded in one calendar month."""

    @staticmethod
    def create_id(bestilling_id: UUID, maaned: str) -> UUID:
        return uuid.uuid5(PERIODE_NAMESPACE, f"{bestilling_id}:{maaned}")

    class Oprettet(Aggregate.Created):
        bestilling_id: UUID
        maaned: str
        sag_id: UUID
        borger_id: UUID
        leverandoer_id: str
        regler: Leveringsregler

    # Internal (not published): the order's BestillingAfsluttet, BesoegPauset and
    # BesoegGenoptaget name every visit they concern and are the public facts.
    class BesoegAfsluttet(Aggregate.Event):
        besoeg_ids: tuple[UUID, ...]
        aarsag: str

    class BesoegSatIBero(Aggregate.Event):
        besoeg_ids: tuple[UUID, ...]

    class BesoegTilbage(Aggregate.Event):
        besoeg_ids: tuple[UUID, ...]

    class PladsOptaget(Aggregate.Event):
        """A replacement took a window in the next month's period: noted here too so a
        planning run recorded here at the same time meets a version conflict instead of
        booking the window twice."""

        dato: date
        tidsvindue: str
        besoeg_id: UUID

    @event(Oprettet)
    def __init__(
        self,
        bestilling_id: UUID,
        maaned: str,
        sag_id: UUID,
        borger_id: UUID,
        leverandoer_id: str,
        regler: Leveringsregler,
    ) -> None:
        self.bestilling_id = bestilling_id
        self.maaned = maaned
        self.sag_id = sag_id
        self.borger_id = borger_id
        self.leverandoer_id = leverandoer_id
        self.regler = regler
        self._init_besoeg()

    @classmethod
    def opret(cls, bestilling: Bestilling, maaned: str) -> Besoegsperiode:
        return cls(
            bestilling_id=bestilling.id,
            maaned=maaned,
            sag_id=bestilling.sag_id,
            borger_id=bestilling.borger_id,
            leverandoer_id=bestilling.leverandoer_id,
            regler=bestilling.regler,
        )

    @property
    def ordre_id(self) -> UUID:
        return self.bestilling_id

    def _event_ordre(self) -> UUID | None:
        return self.bestilling_id

    def planlaeg(
        self, besoeg: tuple[PlanlagtBesoeg, ...], aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self._besoeg_planlagt(
            besoeg, self.sag_id, self.leverandoer_id, aktoer, occurred_at, self.bestilling_id
        )

    def planlaeg_erstatning(
        self,
        besoeg: PlanlagtBesoeg,
        frist: date,
        aktoer: Aktoer,
        occurred_at: datetime,
        frist_tidspunkt: datetime | None = None,
    ) -> None:
        self._erstatningsbesoeg_planlagt(
            besoeg,
            frist,
            self.sag_id,
            self.leverandoer_id,
            aktoer,
            occurred_at,
            self.bestilling_id,
            frist_tidspunkt,
        )

    def aflys_besoeg(
        self,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
        occurred_at: datetime,
        sidste_dag: date | None,
        enhed: Enhedsregistrering | None = None,
    ) -> Aflysning:
        return self._aflys(
            besoeg_id, aflyst_af, aarsag, aflyst_tidspunkt, aktoer, occurred_at, sidste_dag, enhed
        )

    def afslut_besoeg(self, ids: tuple[UUID, ...], aarsag: str) -> None:
        if ids:
            self._besoeg_afsluttet(ids, aarsag)

    def saet_i_bero(self, ids: tuple[UUID, ...]) -> None:
        if ids:
            self._besoeg_sat_i_bero(ids)

    def genoptag(self, ids: tuple[UUID, ...]) -> None:
        if ids:
            self._besoeg_tilbage(ids)

    def noter_plads(self, besoeg: PlanlagtBesoeg) -> None:
        self._plads_optaget(besoeg.dato, besoeg.tidsvindue, besoeg.besoeg_id)

    @event(PladsOptaget)
    def _plads_optaget(self, dato: date, tidsvindue: str, besoeg_id: UUID) -> None:
        pass  # the version it takes is the point

    @event(BesoegAfsluttet)
    def _besoeg_afsluttet(self, besoeg_ids: tuple[UUID, ...], aarsag: str) -> None:
        for b in besoeg_ids:
            self.afsluttede[b] = aarsag
            self.pausede.discard(b)

    @event(BesoegSatIBero)
    def _besoeg_sat_i_bero(self, besoeg_ids: tuple[UUID, ...]) -> None:
        self.pausede.update(besoeg_ids)

    @event(BesoegTilbage)
    def _besoeg_tilbage(self, besoeg_ids: tuple[UUID, ...]) -> None:
        self.pausede.difference_update(besoeg_ids)


@dataclass
class Besoegsplan:
    """An order with the periods a command loaded: `perioder` maps each month the caller
    looked up to its period, or None when the order has none for that month yet (then a
    command may create it). Commands record their events on the aggregates they touch;
    `aendrede` lists them for one save, the order first (so a public event of the order
    comes before those of its periods, as when all were the order's)."""

    bestilling: Bestilling
    perioder: dict[str, Besoegsperiode | None] = field(default_factory=dict)

    # -- queries -------------------------------------------------------------------
    def holdere(self) -> Iterator[Besoegsforloeb]:
        """The order (visits stored before the periods) and the loaded periods by month."""
        yield self.bestilling
        for m in sorted(self.perioder):
            p = self.perioder[m]
            if p is not None:
                yield p

    def alle_besoeg(self) -> Iterator[tuple[Besoegsforloeb, PlanlagtBesoeg]]:
        for h in self.holdere():
            for b in h.besoeg.values():
                yield h, b

    def holder(self, besoeg_id: UUID) -> Besoegsforloeb:
        for h in self.holdere():
            if besoeg_id in h.besoeg:
                return h
        raise NotFound("besøg", besoeg_id)

    def status(self, besoeg_id: UUID) -> str:
        return self.holder(besoeg_id).status(besoeg_id)

    # The visit maps of all loaded holders together (views; read them, never write).
    @property
    def besoeg(self) -> dict[UUID, PlanlagtBesoeg]:
        return {k: v for h in self.holdere() for k, v in h.besoeg.items()}

    @property
    def leveringer(self) -> dict[UUID, Levering]:
        return {k: v for h in self.holdere() for k, v in h.leveringer.items()}

    @property
    def aflysninger(self) -> dict[UUID, Aflysning]:
        return {k: v for h in self.holdere() for k, v in h.aflysninger.items()}

    @property
    def tildelinger(self) -> dict[UUID, Tildeling]:
        return {k: v for h in self.holdere() for k, v in h.tildelinger.items()}

    def aendrede(self) -> list[Aggregate]:
        return [h for h in self.holdere() if h.pending_events]

    def _periode(self, m: str) -> Besoegsperiode:
        if m not in self.perioder:
            raise ValueError(f"perioden {m} er ikke indlæst")  # a bug in the caller
        p = self.perioder[m]
        if p is None:
            p = self.perioder[m] = Besoegsperiode.opret(self.bestilling, m)
        return p

    # -- planning ------------------------------------------------------------------
    @staticmethod
    def maaneder_til_planlaegning(fra: date) -> list[str]:
        return maaneder(fra, plus_dage(fra, PLANLAEGNINGSHORISONT.days))

    def planlaeg(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> int:
        """The next four weeks from `fra`, as one BesoegPlanlagt in the period of the first
        new visit; needs the months `maaneder_til_planlaegning(fra)` loaded. Returns how
        many visits were added."""
        til = plus_dage(fra, PLANLAEGNINGSHORISONT.days)
        planlagt = {(b.dato, b.tidsvindue) for _, b in self.alle_besoeg() if fra <= b.dato <= til}
        new = self.bestilling.nye_besoeg(fra, planlagt)
        if new:
            self._periode(maaned(new[0].dato)).planlaeg(new, aktoer, occurred_at)
        return len(new)

    # -- commands on one visit -------------------------------------------------------
    def registrer_levering(self, levering: Levering, aktoer: Aktoer, occurred_at: datetime) -> None:
        h = self.holder(levering.besoeg_id)
        h.registrer_levering(levering, aktoer, occurred_at)
        self._erstatning_udfoert(
            h.besoeg[levering.besoeg_id], levering.leveret_tidspunkt, aktoer, occurred_at
        )

    def registrer_forgaeves(
        self, forgaeves: Forgaeves, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        h = self.holder(forgaeves.besoeg_id)
        h.registrer_forgaeves(forgaeves, aktoer, occurred_at)
        self._erstatning_udfoert(
            h.besoeg[forgaeves.besoeg_id], forgaeves.tidspunkt, aktoer, occurred_at
        )

    def paabegynd(
        self,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        enhed_id: str | None = None,
    ) -> None:
        self.holder(besoeg_id).paabegynd(
            besoeg_id, tidspunkt, medarbejder_id, aktoer, occurred_at, enhed_id
        )

    def forlad(
        self,
        besoeg_id: UUID,
        tidspunkt: datetime,
        medarbejder_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
        enhed_id: str | None = None,
    ) -> None:
        self.holder(besoeg_id).forlad(
            besoeg_id, tidspunkt, medarbejder_id, aktoer, occurred_at, enhed_id
        )

    def forsinkede(self, nu: datetime) -> list[PlanlagtBesoeg]:
        """Every loaded holder's visits late as of `nu` (Besoegsforloeb.forsinkede)."""
        return [b for h in self.holdere() for b in h.forsinkede(nu)]

    def kontroller_forsinkelser(
        self, nu: datetime, aktoer: Aktoer, occurred_at: datetime
    ) -> list[UUID]:
        """The late-visit check as of `nu` over the loaded holders: each visit late and
        not yet recorded gets one BesoegForsinket, then what it owes (Erstatningsforloeb.
        noter_forsinkelse): a visit checked in late owes nothing (the help came, late); one
        not started owes a replacement, or is a delivery failure where none can be owed.
        A late visit stays open: delivered by the duty's deadline after all, it meets the
        duty (`_erstatning_udfoert`). Returns the visits found."""
        b = self.bestilling
        tolerance = b.regler.forsinkelsestolerance
        fundet: list[UUID] = []
        if tolerance is None:
            return fundet
        for h in self.holdere():
            for besoeg, paabegyndt in h.nye_forsinkelser(nu):
                graense = r.seneste_start_tidspunkt(besoeg.dato, besoeg.tidsvindue, tolerance)
                # Checked in late: the help came. A late replacement: the duty it was to
                # meet stays open with its own deadline (as when one is cancelled again).
                skylder = paabegyndt is None and besoeg.erstatter_besoeg_id is None
                frist = b.forsinkelsesfrist(besoeg, graense) if skylder else None
                h.noter_forsinket(besoeg, graense, paabegyndt, frist, aktoer, occurred_at)
                if skylder:
                    b.noter_forsinkelse(
                        besoeg, graense, frist, r.dansk_dato(nu), aktoer, occurred_at
                    )
                fundet.append(besoeg.besoeg_id)
        return fundet

    def _erstatning_udfoert(
        self, besoeg: PlanlagtBesoeg, tidspunkt: datetime, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        b = self.bestilling
        # A late visit delivered after all (or in vain) by its duty's deadline meets it, as
        # a replacement would: the citizen got the visit.
        if b.forsinket_pligt(besoeg.besoeg_id):
            b.noter_erstatning_leveret(
                besoeg.besoeg_id, besoeg.besoeg_id, tidspunkt, aktoer, occurred_at
            )
        # A replacement in the order's own history meets its duty there already.
        if besoeg.erstatter_besoeg_id is not None and besoeg.besoeg_id not in b.besoeg:
            b.noter_erstatning_leveret(
                besoeg.erstatter_besoeg_id, besoeg.besoeg_id, tidspunkt, aktoer, occurred_at
            )

    def aflys_besoeg(
        self,
        besoeg_id: UUID,
        aflyst_af: str,
        aarsag: str,
        aflyst_tidspunkt: datetime,
        aktoer: Aktoer,
        occurred_at: datetime,
        enhed: Enhedsregistrering | None = None,
    ) -> Aflysning:
        h = self.holder(besoeg_id)
        if h is self.bestilling:
            return self.bestilling.aflys_besoeg(
                besoeg_id, aflyst_af, aarsag, aflyst_tidspunkt, aktoer, occurred_at, enhed
            )
        assert isinstance(h, Besoegsperiode)
        aflysning = h.aflys_besoeg(
            besoeg_id,
            aflyst_af,
            aarsag,
            aflyst_tidspunkt,
            aktoer,
            occurred_at,
            self.bestilling.sidste_dag,
            enhed,
        )
        self.bestilling.noter_erstatningspligt(aflysning, h.besoeg[besoeg_id], aktoer, occurred_at)
        return aflysning

    @staticmethod
    def maaneder_til_erstatning(
        bestilling: Bestilling, erstatter_besoeg_id: UUID, dato: date
    ) -> list[str]:
        """The months a replacement for this duty needs loaded: where its earlier
        replacements may lie (from the cancellation to the deadline) and the new day's."""
        frist = bestilling.erstatningspligter().get(erstatter_besoeg_id)
        if frist is None:
            return perioder_for_dato(dato)
        fra = min(r.dansk_dato(bestilling.pligt(erstatter_besoeg_id).aflyst_tidspunkt), dato)
        return maaneder(plus_dage(fra, -1), max(frist, dato))

    def planlaeg_erstatning(
        self,
        erstatter_besoeg_id: UUID,
        dato: date,
        tidsvindue: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> PlanlagtBesoeg:
        """A replacement visit in the period of its own month; the duty stays the order's."""
        b = self.bestilling
        frist = b.aaben_frist(erstatter_besoeg_id)
        tidligere = [
            (h, x) for h, x in self.alle_besoeg() if x.erstatter_besoeg_id == erstatter_besoeg_id
        ]
        if any(h.status(x.besoeg_id) == "planlagt" for h, x in tidligere):
            raise DomainRuleViolation(
                "erstatning-allerede-planlagt",
                "Der er allerede planlagt et erstatningsbesøg.",
                "A replacement visit is already planned.",
            )
        b.kontroller_erstatningsdato(erstatter_besoeg_id, dato)
        if any(h.optaget(dato, tidsvindue) for h in self.holdere()):
            raise dobbeltbooking()
        b.kontroller_aktiv_paa(dato)
        besoeg = b.erstatningsbesoeg(erstatter_besoeg_id, len(tidligere), dato, tidsvindue)
        self._periode(maaned(dato)).planlaeg_erstatning(
            besoeg, frist, aktoer, occurred_at, b.frist_tidspunkter().get(erstatter_besoeg_id)
        )
        # A run recorded in the month before may plan this window too: both are saved.
        foer = _flyt(maaned(dato), -1)
        if foer is not None and self.perioder.get(foer) is not None:
            self._periode(foer).noter_plads(besoeg)
        return besoeg

    def tildel(
        self, tildelinger: Iterable[Tildeling], aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        """Helpers onto visits, one MedarbejderTildelt per aggregate holding them."""
        pr_holder: dict[int, tuple[Besoegsforloeb, list[Tildeling]]] = {}
        for t in tildelinger:
            h = self.holder(t.besoeg_id)
            pr_holder.setdefault(id(h), (h, []))[1].append(t)
        for h, ts in pr_holder.values():
            h.tildel_medarbejdere(tuple(ts), aktoer, occurred_at)

    # -- the order's end and pauses ---------------------------------------------------
    def afslut(
        self,
        sidste_dag: date,
        aarsag: str,
        efterfoelger_id: UUID | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """Needs every period that may hold a visit after `sidste_dag` loaded."""
        b = self.bestilling
        if b.sidste_dag is not None:
            return
        pr_periode: dict[str, list[PlanlagtBesoeg]] = {}
        for m in sorted(self.perioder):
            p = self.perioder[m]
            if p is None:
                continue
            pr_periode[m] = [
                x
                for x in p.besoeg.values()
                if x.dato > sidste_dag and p.status(x.besoeg_id) in ("planlagt", "pauset")
            ]
        b.afslut(
            sidste_dag,
            aarsag,
            efterfoelger_id,
            aktoer,
            occurred_at,
            [x for xs in pr_periode.values() for x in xs],
        )
        for m, xs in pr_periode.items():
            p = self.perioder[m]
            assert p is not None
            p.afslut_besoeg(tuple(x.besoeg_id for x in xs), aarsag)

    def pause(self, fra: date, aarsag: str, aktoer: Aktoer, occurred_at: datetime) -> None:
        """Needs every period that may hold a visit from `fra` loaded."""
        pr_periode: dict[str, tuple[UUID, ...]] = {}
        for m in sorted(self.perioder):
            p = self.perioder[m]
            if p is not None:
                pr_periode[m] = tuple(
                    x.besoeg_id
                    for x in p.besoeg.values()
                    if x.dato >= fra and p.status(x.besoeg_id) == "planlagt"
                )
        self.bestilling.pause(
            fra, aarsag, aktoer, occurred_at, [i for ids in pr_periode.values() for i in ids]
        )
        for m, ids in pr_periode.items():
            p = self.perioder[m]
            assert p is not None
            p.saet_i_bero(ids)

    def genoptag(self, fra: date, aktoer: Aktoer, occurred_at: datetime) -> None:
        """Needs every period that may hold a paused visit loaded, and the planning months
        from `fra`."""
        perioder = [p for _, p in sorted(self.perioder.items()) if p is not None]
        pausede = [p.besoeg[i] for p in perioder for i in p.pausede]
        self.bestilling.genoptag(fra, aktoer, occurred_at, pausede, planlaeg=False)
        for p in perioder:
            p.genoptag(tuple(sorted((i for i in p.pausede if p.besoeg[i].dato >= fra), key=str)))
        self.planlaeg(fra, aktoer, occurred_at)
