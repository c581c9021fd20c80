"""`aggregate_id in repository` answers without replaying (shared/infra/repository.py):
a consumer asks whether a grant's order exists for every grant of every decision, and the
library's own answer replays the order's whole history. Against the real stores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.sag import Sag
from shared.contracts import Actor, PublicEvent
from shared.contracts.provider import BestillingModtagetV1
from shared.infra.aggregate_cache import Turn
from shared.infra.batch_view import batch_view
from shared.infra.consumer import EventConsumer
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory
from tests.integration.test_aggregate_cache import DAY, record
from tests.scenario import decided_case

pytestmark = pytest.mark.integration


def test_contains_reads_one_row_and_sees_the_turns_own(store_settings: SettingsFactory) -> None:
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    forloeb = Sagsforloeb(str(uuid4()))
    for n in range(50):
        forloeb.registrer({"event_id": str(n), "data": {}})
    app.save(forloeb)
    decoded = 0
    inner = app.mapper.to_domain_event

    def counted(stored: Any) -> Any:
        nonlocal decoded
        decoded += 1
        return inner(stored)

    app.mapper.to_domain_event = counted  # type: ignore[method-assign]
    assert forloeb.id in app.repository
    assert uuid4() not in app.repository
    assert "not an id" not in app.repository
    assert decoded == 0  # the library's answer decodes all 51 events

    # In a consumer's batch a new aggregate exists before anything is stored.
    ny = Sagsforloeb(str(uuid4()))
    with batch_view(app).open(Turn(None)):
        assert ny.id not in app.repository
        batch_view(app).remember([ny])
        assert ny.id in app.repository
    assert ny.id not in app.repository  # the batch was never stored


def test_visitation_reads_a_batchs_cases_and_receipts_ahead(
    store_settings: SettingsFactory,
) -> None:
    """Order receipts of several cases in one consumer batch: the cases and the receipts'
    existence come from two read-ahead queries, not a replay and a lookup per message, and
    the receipts are noted as one message at a time notes them (once, grants known only)."""
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    sager = [decided_case(app, DAY, cpr=f"030140000{n + 1}") for n in range(3)]
    events = []
    for sag_id in sager:
        (bevilling,) = app.hent_sag(sag_id).afgoerelser[-1].bevillinger
        events.append(modtaget(sag_id, bevilling.bevilling_id, bevilling.leverandoer_id, 1))
    fremmed = modtaget(sager[0], uuid4(), "omsorg-plus-aps", 2)  # a grant the case lacks
    consumer = EventConsumer(
        app, group_id="g", topics=[], handler=VisitationPolicy(app), bootstrap="unused:9"
    )
    loads: list[UUID] = []
    hent = app.hent_sag

    def counted(sag_id: UUID) -> Sag:
        sag = hent(sag_id)
        loads.append(sag_id)
        return sag

    replays = 0
    inner = app.mapper.to_domain_event

    def decoded(stored: Any) -> Any:
        nonlocal replays
        replays += 1
        return inner(stored)

    app.hent_sag = counted  # type: ignore[method-assign]
    app.mapper.to_domain_event = decoded  # type: ignore[method-assign]
    records = [record(e, i) for i, e in enumerate([*events, fremmed])]
    assert consumer.process_batch(records) == ["applied"] * 4
    assert len(loads) == 4  # each message asked for its case ...
    per_case = replays / 3  # ... and each case was decoded once, by the read-ahead
    assert per_case == len(list(app.repository.event_store.get(sager[0])))
    for sag_id, e in zip(sager, events, strict=True):
        assert app.kvittering(sag_id, e.data["bevilling_id"]) is not None
    assert app.kvittering(sager[0], fremmed.data["bevilling_id"]) is None


def modtaget(sag_id: UUID, bevilling_id: UUID, leverandoer_id: str, n: int) -> PublicEvent:
    data = BestillingModtagetV1(
        bestilling_id=uuid4(),
        bevilling_id=bevilling_id,
        leverandoer_id=leverandoer_id,
        indsats_kode="H1.3",
        kategori="personlig",
        minutter_pr_besoeg=30,
    )
    at = datetime(2026, 11, 3, 8, tzinfo=UTC)
    return PublicEvent(
        event_id=uuid4(),
        event_type="BestillingModtaget",
        schema_version=1,
        source="provider",
        case_id=sag_id,
        sequence=n,
        case_sequence=n,
        occurred_at=at,
        recorded_at=at,
        actor=Actor(id="lev-1", rolle="leverandoer", organisation=leverandoer_id),
        legal_basis="Serviceloven § 91",
        data=data.model_dump(mode="json"),
    )
