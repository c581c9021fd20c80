"""The providers' notes on a case's orders live beside the case (domain/noter.py): a
receipt per grant, the delivery failures and refused orders per month. The rules are those
the case had; the cost test counts the events a note replays (not milliseconds) on a case
two years old and on one two months old."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.visitation.adapters.public_events import to_public
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.noter import (
    Bestillingskvittering,
    Leveringsnoter,
    maaneder,
    ny_kvittering,
)
from services.visitation.domain.sag import Sag
from shared.contracts import PublicEvent
from shared.infra.crypto_shredding import KeyStore
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer
from tests.fixtures.lav_visitation_v1 import MASTER, provider_event
from tests.scenario import decided_case

LEV = Aktoer("leverandoer-system", "system", "leverandoerservice")
NU = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _afgjort(app: VisitationApplication, dag: date) -> tuple[Sag, UUID]:
    sag = app.hent_sag(decided_case(app, dag))
    return sag, sag.afgoerelser[0].bevillinger[0].bevilling_id


@pytest.fixture
def app(tmp_path: Path) -> Iterator[VisitationApplication]:
    keys = KeyStore(MASTER, sqlite_path=tmp_path / "keys.sqlite")
    env = {
        **store_env(ServiceSettings(data_dir=tmp_path), "visitation"),
        "BUM_AGGREGATE_CACHE_SIZE": "0",  # every load replays: what the count measures
    }
    a = VisitationApplication(env=env, keys=keys)
    yield a
    a.close()


def test_months() -> None:
    assert maaneder(date(2025, 11, 30), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert maaneder(date(2026, 2, 1), date(2026, 1, 1)) == []


# -- the rules are the case's ---------------------------------------------------------
def test_a_receipt_is_noted_once_for_a_grant_of_the_case(app: VisitationApplication) -> None:
    sag, bevilling_id = _afgjort(app, date(2026, 11, 2))
    k = ny_kvittering(sag, None, bevilling_id, "hjemmeplejen-nord", LEV, NU)
    assert k is not None and k.id == Bestillingskvittering.create_id(sag.id, bevilling_id)
    (e,) = k.collect_events()
    assert isinstance(e, Bestillingskvittering.BestillingKvitteret)
    assert (e.sag_id, e.bevilling_id, e.leverandoer_id, e.aktoer) == (
        sag.id,
        bevilling_id,
        "hjemmeplejen-nord",
        LEV,
    )
    # Already noted, or a grant the case does not have: nothing.
    assert ny_kvittering(sag, k, bevilling_id, "hjemmeplejen-nord", LEV, NU) is None
    assert ny_kvittering(sag, None, uuid4(), "hjemmeplejen-nord", LEV, NU) is None
    # Published as before, on the case (not on the receipt's own id).
    draft = to_public(e)
    assert draft is not None and draft.case_id == sag.id
    assert draft.payload.model_dump() == {
        "bevilling_id": bevilling_id,
        "leverandoer_id": "hjemmeplejen-nord",
    }


def test_a_receipt_before_the_decision_is_ignored(app: VisitationApplication) -> None:
    sag, bevilling_id = _afgjort(app, date(2026, 11, 2))
    ny = Sag.modtag_ansoegning(
        sag.borger_id, date(2026, 11, 2), "telefon", "borger", sag.anmodninger, LEV, NU
    )
    assert ny_kvittering(ny, None, bevilling_id, "hjemmeplejen-nord", LEV, NU) is None


def test_a_receipt_in_the_case_old_history_counts() -> None:
    """A case written before the cut holds its receipts itself: no second one."""
    sag = _gammel_sag_med_kvittering()
    (bevilling_id,) = sag.kvitterede_bestillinger
    assert ny_kvittering(sag, None, bevilling_id, "omsorg-plus-aps", LEV, NU) is None


def _gammel_sag_med_kvittering() -> Sag:
    """A case as the old code stored it: its receipt event inside the case's history."""
    from tests.unit.test_visitation_domain import afgjort_sag

    sag, afg = afgjort_sag()
    bevilling_id = afg.bevillinger[0].bevilling_id
    sag._bestilling_kvitteret(bevilling_id, "omsorg-plus-aps", LEV, NU)
    copy: Sag | None = None
    for e in sag.collect_events():
        copy = e.mutate(copy)
    assert copy is not None and copy.kvitterede_bestillinger == {bevilling_id: "omsorg-plus-aps"}
    return copy


def test_delivery_failures_and_refusals_are_noted_once_in_their_month(
    app: VisitationApplication,
) -> None:
    sag, bevilling_id = _afgjort(app, date(2026, 11, 2))
    noter = Leveringsnoter(sag.id, "2026-11")
    assert noter.id == Leveringsnoter.create_id(sag.id, "2026-11")
    besoeg = uuid4()
    dag = date(2026, 11, 10)
    assert noter.noter_leveringssvigt(sag, besoeg, "hjemmeplejen-nord", dag, "syg", LEV, NU)
    assert not noter.noter_leveringssvigt(sag, besoeg, "hjemmeplejen-nord", dag, "igen", LEV, NU)
    start = date(2026, 11, 30)
    args = (sag, bevilling_id, "diakonien-selvejende", "personlig", start, "ikke godkendt")
    assert noter.noter_bestilling_afvist(*args, LEV, NU)
    assert not noter.noter_bestilling_afvist(*args, LEV, NU)
    copy: Leveringsnoter | None = None
    for e in noter.collect_events():
        copy = e.mutate(copy)
    assert copy is not None
    assert copy.leveringssvigt == {besoeg: ("hjemmeplejen-nord", dag)}
    assert copy.afviste_bestillinger == {
        (bevilling_id, "diakonien-selvejende", start): "ikke godkendt"
    }
    with pytest.raises(AssertionError):  # a note lives in the month of its date
        noter.noter_leveringssvigt(sag, uuid4(), "x", date(2026, 12, 1), "syg", LEV, NU)


# -- the cost: independent of the case's age -------------------------------------------
def _svigt(sag_id: UUID, bevilling_id: UUID, d: date) -> PublicEvent:
    return provider_event(
        sag_id,
        "LeveringSvigtet",
        datetime(d.year, d.month, d.day, 9, tzinfo=UTC) + timedelta(days=9),
        {
            "besoeg_id": str(uuid.uuid5(bevilling_id, d.isoformat())),
            "bestilling_id": str(uuid.uuid5(bevilling_id, "omsorg-plus-aps")),
            "leverandoer_id": "omsorg-plus-aps",
            "oprindelig_dato": d.isoformat(),
            "erstatning_frist": (d + timedelta(days=8)).isoformat(),
            "aarsag": "Ingen medarbejder",
        },
    )


def _kvittering(sag_id: UUID, bevilling_id: UUID) -> PublicEvent:
    return provider_event(
        sag_id,
        "BestillingModtaget",
        NU,
        {
            "bestilling_id": str(uuid.uuid5(bevilling_id, "omsorg-plus-aps")),
            "bevilling_id": str(bevilling_id),
            "leverandoer_id": "omsorg-plus-aps",
            "indsats_kode": "H1.3",
            "kategori": "personlig",
            "minutter_pr_besoeg": 30,
        },
    )


def _events_replayed(app: VisitationApplication, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    count = [0]
    store: Any = app.repository.event_store
    get = store.get

    def counting(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for e in get(*args, **kwargs):
            count[0] += 1
            yield e

    monkeypatch.setattr(store, "get", counting)
    return count


def test_a_note_replays_as_much_on_a_two_year_old_case_as_on_a_young_one(
    app: VisitationApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delivery failure a week for two years on one case, for two weeks on the other.
    The next failure and a receipt replay exactly as many events on both: the case (its
    decision, without the notes) and the month's notes. Before the cut every note was in
    the case, so the old case replayed its 104 notes for each new one (the fixture's
    two-year-old case: 125 events, tests/integration/test_visitation_store_v1.py)."""
    policy = VisitationPolicy(app)
    gammel, g_bevilling = _afgjort(app, date(2024, 11, 4))
    ung, u_bevilling = _afgjort(app, date(2026, 10, 26))
    for sag, bevilling_id in ((gammel, g_bevilling), (ung, u_bevilling)):
        uge = sag.modtaget_dato
        while uge < date(2026, 11, 16):
            app.save(*policy(_svigt(sag.id, bevilling_id, uge)))
            uge += timedelta(weeks=1)
    assert app.hent_sag(gammel.id).version == app.hent_sag(ung.id).version  # no notes inside
    assert len(app.leveringssvigt(app.hent_sag(gammel.id))) == 106  # two years, weekly
    assert len(app.leveringssvigt(app.hent_sag(ung.id))) == 3

    replayed = _events_replayed(app, monkeypatch)
    counts = []
    for sag, bevilling_id in ((gammel, g_bevilling), (ung, u_bevilling)):
        replayed[0] = 0
        svigt = policy(_svigt(sag.id, bevilling_id, date(2026, 11, 16)))
        kvittering = policy(_kvittering(sag.id, bevilling_id))
        app.save(*svigt, *kvittering)
        counts.append(replayed[0])
        assert [type(a) for a in (*svigt, *kvittering)] == [Leveringsnoter, Bestillingskvittering]
    assert counts[0] == counts[1], counts
    # Twice the case (each note checks it) and November's notes (opened, two failures
    # before); with the notes inside, the old case alone was 4 + 106 events and growing.
    assert counts[0] == 2 * app.hent_sag(gammel.id).version + 3, counts
