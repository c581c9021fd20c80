"""Test data written through the real application layer (domain rules included).

Seeding is not measured, so it saves many aggregates per transaction; what is measured
(deliveries over HTTP, decisions at an offered rate) goes through the normal paths.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.provider.application.policies import SYSTEM
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.bestilling import Bestilling
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

LEVERANDOER = "omsorg-plus-aps"
VISITATOR = Aktoer("vis-bench", "visitator", "Bench Kommune")
BATCH = 100  # aggregates per seeding transaction


@dataclass
class Order:
    bestilling_id: UUID
    besoeg_ids: list[UUID]


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
    orders: list[Bestilling] = []
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
        b.planlaeg_besoeg(start, SYSTEM, now)
        orders.append(b)
    _save_in_batches(app, orders)
    return [Order(b.id, sorted(b.besoeg, key=lambda v: b.besoeg[v].dato)) for b in orders]


@dataclass
class OpenCase:
    """A case with an application and an assessment, kept in memory until its decision."""

    sag: Sag
    anmodning_id: UUID
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
        cases.append(OpenCase(sag, bad.anmodning_id))
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
    case.sag.traef_afgoerelse(afgoerelse, VISITATOR, datetime.now(UTC))
