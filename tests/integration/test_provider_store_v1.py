"""A provider store written before visits moved into monthly periods still loads and takes
commands: `tests/fixtures/provider-v1.sqlite`, written by commit 3b74563's code
(`tests/fixtures/lav_provider_v1.py`), where every visit is in its order's history.

Its orders keep their old visits in the order; what is planned now goes to periods; a
delivery, a cancellation with its replacement and the deadline check, an ophør and a
hospital stay each work across both, and the public events keep their shape."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services.provider.adapters.public_events import to_public
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.periode import Besoegsperiode
from services.provider.domain.values import Levering, PlanlagtBesoeg
from shared.infra.crypto_shredding import KeyStore
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.infra.settings import ServiceSettings
from tests.fixtures.lav_provider_v1 import (
    BEVILLING_A,
    BEVILLING_B,
    BEVILLING_C,
    MASTER,
    SOSU,
)

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LEV = "omsorg-plus-aps"


def kl(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path) -> ProviderApplication:
    shutil.copy(FIXTURES / "provider-v1.sqlite", tmp_path / "provider-v1.sqlite")
    shutil.copy(FIXTURES / "provider-v1-keys.sqlite", tmp_path / "keys.sqlite")
    keys = KeyStore(MASTER, sqlite_path=tmp_path / "keys.sqlite")
    app = ProviderApplication(
        env=store_env(ServiceSettings(data_dir=tmp_path), "provider-v1"), keys=keys
    )
    lists = ProviderWorkLists(app)
    app.besoegsdato, app.perioder_for = lists.besoegsdato, lists.perioder_for
    return app


def paa(
    app: ProviderApplication, b: Bestilling, d: date
) -> list[tuple[Besoegsforloeb, PlanlagtBesoeg]]:
    return [(h, v) for h, v in app.hel_besoegsplan(b).alle_besoeg() if v.dato == d]


def test_a_year_old_order_from_the_old_store_takes_deliveries_cancellations_and_checks(
    app: ProviderApplication,
) -> None:
    a = app.hent_bestilling(Bestilling.create_id(BEVILLING_A))
    assert (a.version, len(a.besoeg)) == (108, 56)  # as written: a year, visits inside
    (aaben,) = a.erstatningspligter()  # week 20's duty was met by its replacement
    assert a.erstatningspligter() == {aaben: date(2026, 11, 10)}
    assert a.aflysninger[aaben].aarsag.vis() == "Vejret"  # v2 text, the citizen's key

    # A delivery on an old visit is recorded on the order, as before.
    ((h, v),) = paa(app, a, date(2026, 11, 9))
    assert isinstance(h, Bestilling)
    app.registrer_levering(a.id, Levering(v.besoeg_id, kl(date(2026, 11, 9)), 30, "m"), SOSU)
    a = app.hent_bestilling(a.id)
    assert a.version == 109 and a.status(v.besoeg_id) == "leveret"

    # The old duty's replacement goes to a period; delivering it meets the duty.
    erst = app.planlaeg_erstatning(a.id, aaben, date(2026, 11, 5), "eftermiddag", SOSU)
    periode_id = Besoegsperiode.create_id(a.id, "2026-11")
    assert erst.besoeg_id in app.repository.get(periode_id).besoeg
    app.registrer_levering(a.id, Levering(erst.besoeg_id, kl(date(2026, 11, 5), 15), 30, "m"), SOSU)
    a = app.hent_bestilling(a.id)
    assert a.erstatningspligter() == {}

    # New planning goes to periods and plans nothing twice beside the old visits.
    added, _ = app.planlaeg_frem(LEV, [a.id], date(2026, 11, 16), SOSU)
    assert added == 3  # 23 and 30 November, 7 December; the 16th is an old visit
    assert len(paa(app, a, date(2026, 11, 16))) == 1
    # The order's own visits are those it was written with: the rest live in periods.
    assert len(app.hent_bestilling(a.id).besoeg) == 56

    # A cancellation in a period owes a replacement; unmet, the check fails it on the order.
    ((_, ny),) = paa(app, a, date(2026, 11, 23))
    aflysning = app.aflys_besoeg(
        a.id, ny.besoeg_id, "leverandoer", "Syg", kl(date(2026, 11, 20)), SOSU
    )
    assert aflysning.erstatningsfrist == date(2026, 12, 1)
    assert app.kontroller_frister([a.id], date(2026, 12, 1), SOSU) == []
    assert app.kontroller_frister([a.id], date(2026, 12, 2), SOSU) == [(a.id, ny.besoeg_id)]
    assert app.kontroller_frister([a.id], date(2026, 12, 3), SOSU) == []

    # A hospital stay pauses the visits in the periods; discharge plans them again.
    app.indlaeggelse([a.id], date(2026, 11, 29), SOSU)
    ((h30, v30),) = paa(app, a, date(2026, 11, 30))
    assert isinstance(h30, Besoegsperiode)
    assert app.hel_besoegsplan(a).status(v30.besoeg_id) == "pauset"
    app.udskrivning([a.id], date(2026, 12, 7), SOSU)
    plan = app.hel_besoegsplan(app.hent_bestilling(a.id))
    assert plan.status(v30.besoeg_id) == "pauset"  # before the discharge day: stays
    ((_, v7),) = paa(app, a, date(2026, 12, 7))
    assert plan.status(v7.besoeg_id) == "planlagt"
    assert {v.dato for v in plan.besoeg.values() if v.dato > date(2026, 12, 7)} == {
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2026, 12, 28),
    }

    # The public events of all this: the same types and fields, each naming the order.
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    events = public_events(app, "provider", to_public, notes, {})
    nye = events[-9:]
    assert [e.event_type for e in nye] == [
        "IndsatsLeveret",
        "ErstatningsbesoegPlanlagt",
        "IndsatsLeveret",
        "BesoegPlanlagt",
        "BesoegAflyst",
        "LeveringSvigtet",
        "BesoegPauset",
        "BesoegGenoptaget",
        "BesoegPlanlagt",
    ]
    assert {e.data.get("bestilling_id") for e in nye} == {str(a.id)}

    # The read model folds old and new alike; a fresh app replays every aggregate.
    lists = ProviderWorkLists(app)
    linjer = {b.besoeg_id: b for b in lists.besoeg_for(LEV, date(2026, 11, 1), None)}
    assert linjer[ny.besoeg_id].status == "aflyst" and linjer[ny.besoeg_id].bestilling_id == a.id
    assert linjer[erst.besoeg_id].erstatter_besoeg_id == aaben
    assert linjer[erst.besoeg_id].status == "leveret"
    fresh = ProviderApplication(env=app.env, keys=app.keys)
    assert fresh.hent_bestilling(a.id).version == app.hent_bestilling(a.id).version


def test_ophoer_of_an_old_order_ends_its_own_visits_and_those_in_periods(
    app: ProviderApplication,
) -> None:
    b = app.hent_bestilling(Bestilling.create_id(BEVILLING_B))
    assert b.pauset_fra is None and b.pausede  # resumed; the days in hospital stay paused
    added, _ = app.planlaeg_frem(LEV, [b.id], date(2025, 12, 10), SOSU)
    assert added == 2 * 21  # 17 December to 6 January: the old plan reached the 16th
    plan = app.besoegsplan_fra(b, date(2025, 12, 13))
    plan.afslut(date(2025, 12, 12), "doedsfald", None, SOSU, kl(date(2025, 12, 11)))
    app.save(*plan.aendrede())
    b = app.hent_bestilling(b.id)
    plan = app.hel_besoegsplan(b)
    efter = sorted(
        (v for v in plan.besoeg.values() if v.dato > date(2025, 12, 12)),
        key=lambda v: (v.dato, v.tidsvindue),
    )
    gamle = [v for v in efter if v.besoeg_id in b.besoeg]
    assert gamle and len(efter) > len(gamle)  # in the order and in periods
    assert {plan.status(v.besoeg_id) for v in efter} == {"afsluttet"}
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    (afsluttet,) = [
        e
        for e in public_events(app, "provider", to_public, notes, {})
        if e.event_type == "BestillingAfsluttet" and e.data["bestilling_id"] == str(b.id)
    ]
    assert afsluttet.data["afsluttede_besoeg"] == [str(v.besoeg_id) for v in efter]
    c = app.hent_bestilling(Bestilling.create_id(BEVILLING_C))
    assert c.sidste_dag is not None and not c.aktiv
