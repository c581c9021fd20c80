"""Test data written through the real application layer (domain rules included).

Seeding is not measured, so it saves many aggregates per transaction; what is measured
(deliveries over HTTP, decisions at an offered rate) goes through the normal paths.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.provider.application.policies import SYSTEM
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.periode import Besoegsplan, maaneder
from services.provider.domain.planning import VINDUE_START_TIME
from services.provider.domain.regler import DANMARK, dansk_dato
from services.provider.domain.values import Levering
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.borger import Borger, BorgerIndeks
from services.visitation.domain.sag import Sag
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
from shared.kernel.personoplysning import Personoplysning, fritekst
from shared.kernel.tidsramme import plus_dage
from shared.reference.leverandoerer import Leverandoerregister

LEVERANDOER = "omsorg-plus-aps"
VISITATOR = Aktoer("vis-bench", "visitator", "Bench Kommune")
BATCH = 100  # aggregates per seeding transaction


@dataclass
class Order:
    bestilling_id: UUID
    besoeg_ids: list[UUID]
    events: int = 0  # stored events when seeded (the order's and its periods')
    #: Each visit's day: what the service's read model tells a command (bench.profile
    #: runs the application without one).
    datoer: dict[UUID, date] = field(default_factory=dict)


def _order(plan: Besoegsplan, besoeg_ids: list[UUID]) -> Order:
    return Order(
        plan.bestilling.id,
        besoeg_ids,
        sum(h.version for h in plan.holdere()),
        {v.besoeg_id: v.dato for v in plan.besoeg.values()},
    )


def _save_in_batches(
    app: ProviderApplication | VisitationApplication, items: Sequence[Aggregate]
) -> None:
    for i in range(0, len(items), BATCH):
        app.save(*items[i : i + BATCH])


def seed_orders(app: ProviderApplication, count: int) -> list[Order]:
    """Orders for daily personal care that began 28 days ago: 28 visits each, all due.

    Such an order's aggregate grows by one event per delivery, as a real one does.
    """
    start = date.today() - timedelta(days=28)
    now = datetime.now(UTC)
    plans: list[Besoegsplan] = []
    for _ in range(count):
        b = Bestilling(
            bevilling_id=uuid.uuid4(),
            sag_id=uuid.uuid4(),
            borger_id=uuid.uuid4(),
            leverandoer_id=LEVERANDOER,
            indsats_kode="H1.3",
            indsats_navn="Personlig pleje",
            kategori="personlig",
            antal=1,
            periode="dag",
            minutter_pr_besoeg=30,
            startdato=start,
            slutdato=None,
            aktoer=SYSTEM,
            occurred_at=now,
        )
        # A new order has no periods: the first four weeks go into the first one.
        plan = Besoegsplan(b, dict.fromkeys(Besoegsplan.maaneder_til_planlaegning(start)))
        plan.planlaeg(start, SYSTEM, now)
        plans.append(plan)
    _save_in_batches(app, [a for p in plans for a in p.aendrede()])
    return [
        _order(p, [v.besoeg_id for v in sorted(p.besoeg.values(), key=attrgetter("dato"))])
        for p in plans
    ]


#: An aged order: personal care four times a day (morning, midday, evening, night).
AGED_VISITS_PER_DAY = 4
#: The last week's visits stay open (due, undelivered) for the measured deliveries.
AGED_OPEN_DAYS = 7
#: Share of past visits the citizen cancelled the day before (on time: no replacement owed).
AGED_CANCELLED = 0.05
#: Aged orders per seeding transaction. One: eight year-old orders (~12,000 events) in one
#: library `insert_events` hung in psycopg's pipeline sync, the server waiting in ClientRead
#: (eventsourcing 9.5.6, psycopg 3); one order of ~1,500 events per transaction does not.
AGED_BATCH = 1
SOSU = Aktoer("sosu-bench", "leverandoer", LEVERANDOER)


def aged_order(days: int, today: date, rng: random.Random) -> Besoegsplan:
    """One order whose history is `days` days of personal care four times a day, built
    in memory through the aggregates' own commands (domain rules included) as the
    provider's year would have written it: the rolling four-week plan extended weekly,
    every past visit delivered in its window (or cancelled by the citizen the day before),
    the last week's visits still open. A year (365 days) is ~1,490 events, in the order's
    monthly periods (the order itself holds its plan: one event)."""
    start = today - timedelta(days=days)
    b = Bestilling(
        bevilling_id=uuid.uuid4(),
        sag_id=uuid.uuid4(),
        borger_id=uuid.uuid4(),
        leverandoer_id=LEVERANDOER,
        indsats_kode="H1.3",
        indsats_navn="Personlig pleje",
        kategori="personlig",
        antal=AGED_VISITS_PER_DAY,
        periode="dag",
        minutter_pr_besoeg=20,
        startdato=start,
        slutdato=None,
        aktoer=SYSTEM,
        occurred_at=datetime.combine(start - timedelta(days=1), time(9), DANMARK),
    )
    plan = Besoegsplan(b, dict.fromkeys(maaneder(start, plus_dage(today, 62))))
    closed_before = today - timedelta(days=AGED_OPEN_DAYS - 1)
    week = start
    while week <= today:
        plan_at = datetime.combine(week - timedelta(days=1), time(6), DANMARK)
        plan.planlaeg(week, SYSTEM, plan_at)
        next_week = week + timedelta(days=7)
        due = sorted(
            (v for _, v in plan.alle_besoeg() if week <= v.dato < min(next_week, closed_before)),
            key=lambda v: (v.dato, VINDUE_START_TIME[v.tidsvindue]),
        )
        for v in due:
            window = datetime.combine(v.dato, time(VINDUE_START_TIME[v.tidsvindue]), DANMARK)
            if rng.random() < AGED_CANCELLED:
                at = datetime.combine(v.dato - timedelta(days=1), time(18), DANMARK)
                plan.aflys_besoeg(v.besoeg_id, "borger", "Hos lægen", at, SOSU, at)
            else:
                at = window + timedelta(minutes=rng.randint(5, 100))
                levering = Levering(v.besoeg_id, at, rng.randint(15, 30), "sosu-bench")
                plan.registrer_levering(levering, SOSU, at + timedelta(minutes=1))
        week = next_week
    return plan


def seed_aged_orders(
    app: ProviderApplication, count: int, days: int = 365, seed: int = 15
) -> list[Order]:
    """`count` aged orders (see `aged_order`), saved AGED_BATCH at a time; each Order lists
    only its open, due visits (the last week's), oldest first."""
    today = dansk_dato(datetime.now(UTC))
    rng = random.Random(seed)
    out: list[Order] = []
    for i in range(0, count, AGED_BATCH):
        batch = [aged_order(days, today, rng) for _ in range(min(AGED_BATCH, count - i))]
        app.save(*(a for p in batch for a in p.aendrede()))
        for p in batch:
            due = [
                v
                for h, v in p.alle_besoeg()
                if v.dato <= today and h.status(v.besoeg_id) == "planlagt"
            ]
            due.sort(key=lambda v: (v.dato, VINDUE_START_TIME[v.tidsvindue]))
            out.append(_order(p, [v.besoeg_id for v in due]))
    return out


@dataclass
class OpenCase:
    """A case with an application and an assessment, kept in memory until its decision."""

    sag: Sag
    anmodning_id: UUID
    leverandoerer: Leverandoerregister  # visitation's register when the case was seeded
    bevilling_id: UUID | None = None


def seed_cases(app: VisitationApplication, count: int) -> list[OpenCase]:
    today = date.today()
    now = datetime.now(UTC)
    cases: list[OpenCase] = []
    to_save: list[Aggregate] = []
    for _ in range(count):
        cpr = uuid.uuid4().hex[:10]  # unique per run; the index is keyed by a hash of it
        borger_id = uuid.uuid4()
        borger = Borger(
            borger_id=borger_id,
            cpr=Personoplysning.af(borger_id, cpr),
            navn=Personoplysning.af(borger_id, "Bench"),
            aktoer=VISITATOR,
            occurred_at=now,
        )
        indeks = BorgerIndeks(indeks_id=uuid.uuid4(), borger_id=borger.id)
        bad = Anmodning(uuid.uuid4(), fritekst("Hjælp til bad"), "personlig")
        sag = Sag.modtag_ansoegning(borger.id, today, "telefon", "borger", (bad,), VISITATOR, now)
        vurdering = Funktionsvurdering(uuid.uuid4(), today, (Funktionsniveau("B1-3", 3),), None)
        sag.registrer_funktionsvurdering(vurdering, VISITATOR, now)
        # § 83, stk. 3: the § 83 a consideration comes before any § 83 grant.
        sag.vurder_rehabilitering(today, False, "Varigt nedsat funktionsevne.", VISITATOR, now)
        cases.append(OpenCase(sag, bad.anmodning_id, app.leverandoerregister))
        to_save += [borger, indeks, sag]
    _save_in_batches(app, to_save)
    return cases


def decide(case: OpenCase) -> None:
    """Grant bath twice a week with our provider: the provider turns it into an order."""
    today = date.today()
    case.bevilling_id = uuid.uuid4()
    bevilling = Bevilling(
        case.bevilling_id,
        case.anmodning_id,
        "H1.3",
        "Bad",
        "personlig",
        Hyppighed(2, "uge"),
        30,
        LEVERANDOER,
        today,
        None,
    )
    afgoerelse = Afgoerelse(
        uuid.uuid4(),
        today,
        (Udfald(case.anmodning_id, "bevilget", None),),
        (bevilling,),
        None,
        None,
    )
    case.sag.traef_afgoerelse(
        afgoerelse, VISITATOR, datetime.now(UTC), leverandoerer=case.leverandoerer
    )
