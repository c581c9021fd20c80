"""The late-visit check on both stores (issue 16 item 2): the periodic loop, driven by a
test clock's instants, finds a visit not started within the kommune's tolerance once,
raises its replacement duty, and judges a late check-in by its time, not the check's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from services.provider.adapters.public_events import to_public
from services.provider.application.fristvagt import Forsinkelsesvagt
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.values import PlanlagtBesoeg
from shared.infra.eventstore import store_env
from shared.infra.periodisk import koer_periodisk
from shared.infra.public_events import only_for_provider, public_events
from tests.conftest import SettingsFactory
from tests.integration.test_provider_operations import (
    BEVILLING,
    OMSORG,
    START,
    apply,
    decision,
    published,
)

#: The application clock at E2E_NU (2027-02-01): the check-ins, cancellations and checks
#: below lie before it whatever day the suite runs.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("ur")]
REGLER = {
    "katalog_version": "test-2026",
    "erstatningsfrist": {"vaerdi": 3, "enhed": "timer"},
    "forsinkelsestolerance": {"vaerdi": 1, "enhed": "timer"},
}
#: Practical help's day window ends 15:00 Danish time (14:00 UTC in November); one hour's
#: tolerance makes 16:00 (15:00 UTC) the first visit's latest start.
GRAENSE = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def app(store_settings: SettingsFactory) -> ProviderApplication:
    return ProviderApplication(env=store_env(store_settings("provider"), "provider"))


def first_visit(app: ProviderApplication) -> tuple[UUID, PlanlagtBesoeg]:
    e = decision()
    e.data["bevillinger"][0]["leveringsregler"] = REGLER
    apply(app, e)
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    first = min(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    assert first.dato == START
    return order.id, first


def run_loop(vagt: Forsinkelsesvagt, instants: list[datetime]) -> list[int]:
    """The service's loop with a test clock: one round per instant, then stopped."""
    stop, found, ur = threading.Event(), [], iter(instants)

    def nu() -> datetime:
        t = next(ur)
        if t == instants[-1]:
            stop.set()
        return t

    def kontrol(t: datetime) -> list[tuple[UUID, UUID]]:
        svar = vagt.kontroller(t)
        found.append(len(svar))
        return svar

    koer_periodisk("forsinkelseskontrol", [kontrol], stop, 0, nu)
    return found


def forsinket_events(app: ProviderApplication) -> Iterator[Besoegsforloeb.BesoegForsinket]:
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    for n in notes:
        e = app.mapper.to_domain_event(n)
        if isinstance(e, Besoegsforloeb.BesoegForsinket):
            yield e


def test_the_loop_finds_a_visit_not_started_once_and_raises_its_duty(
    app: ProviderApplication,
) -> None:
    order_id, first = first_visit(app)
    vagt = Forsinkelsesvagt(app, ProviderWorkLists(app))
    rounds = [GRAENSE, GRAENSE + timedelta(minutes=1), GRAENSE + timedelta(minutes=6)]
    assert run_loop(vagt, rounds) == [0, 1, 0]
    # A restarted service (fresh read model and app) finds nothing new either.
    again = ProviderApplication(env=app.env)
    assert (
        Forsinkelsesvagt(again, ProviderWorkLists(again)).kontroller(
            GRAENSE + timedelta(minutes=11)
        )
        == []
    )
    [ev] = list(forsinket_events(app))
    assert ev.besoeg_id == first.besoeg_id and ev.erstatning_skyldig and ev.paabegyndt is None
    order = again.hent_bestilling(order_id)
    assert order.erstatningspligter() == {first.besoeg_id: START}
    assert order.pligt(first.besoeg_id).aarsag == "forsinket"
    # The duty is open for a replacement like any other.
    lists = ProviderWorkLists(again)
    assert order_id in lists.bestillinger_med_erstatningspligt("omsorg-plus-aps")
    erstatning = again.planlaeg_erstatning(order_id, first.besoeg_id, START, "aften", OMSORG)
    assert erstatning.erstatter_besoeg_id == first.besoeg_id


def test_a_late_check_in_between_rounds_is_late_without_a_duty(
    app: ProviderApplication,
) -> None:
    order_id, first = first_visit(app)
    vagt = Forsinkelsesvagt(app, ProviderWorkLists(app))
    assert vagt.kontroller(GRAENSE - timedelta(minutes=3)) == []
    ind = GRAENSE + timedelta(minutes=2)  # checked in late, before the next round
    app.paabegynd_besoeg(order_id, first.besoeg_id, ind, "sosu-maria", OMSORG)
    assert vagt.kontroller(GRAENSE + timedelta(minutes=2)) == [(order_id, first.besoeg_id)]
    assert vagt.kontroller(GRAENSE + timedelta(minutes=7)) == []
    [ev] = list(forsinket_events(app))
    assert ev.paabegyndt == ind and not ev.erstatning_skyldig
    assert app.hent_bestilling(order_id).erstatningspligter() == {}


def test_an_hour_deadline_fails_to_the_minute_and_is_published_with_its_instant(
    app: ProviderApplication,
) -> None:
    order_id, first = first_visit(app)
    vagt = Forsinkelsesvagt(app, ProviderWorkLists(app))
    frist = GRAENSE + timedelta(hours=3)  # the replacement promise: 3 hours
    rounds = [GRAENSE + timedelta(minutes=1), frist, frist + timedelta(minutes=1), frist]
    assert run_loop(vagt, rounds[:3]) == [1, 0, 1]
    assert vagt.kontroller(frist + timedelta(minutes=6)) == []
    svigt = [e for e in published(app) if e.event_type == "LeveringSvigtet"]
    assert len(svigt) == 1
    data = svigt[0].data
    assert data["besoeg_id"] == str(first.besoeg_id)
    assert data["erstatning_frist"] == START.isoformat()
    assert datetime.fromisoformat(data["erstatning_frist_tidspunkt"]) == frist
    # The daily check the next day adds nothing.
    assert app.kontroller_frister([order_id], START + timedelta(days=1), OMSORG) == []


def test_check_in_out_and_late_visits_are_published_to_their_own_provider_only(
    app: ProviderApplication,
) -> None:
    order_id, first = first_visit(app)
    ind = GRAENSE + timedelta(minutes=2)
    app.paabegynd_besoeg(order_id, first.besoeg_id, ind, "sosu-maria", OMSORG)
    app.afslut_besoeg(order_id, first.besoeg_id, ind + timedelta(minutes=40), "sosu-maria", OMSORG)
    Forsinkelsesvagt(app, ProviderWorkLists(app)).kontroller(GRAENSE + timedelta(minutes=5))
    nye = {"BesoegPaabegyndt", "BesoegAfsluttet", "BesoegForsinket"}
    egne = [e for e in published(app) if e.event_type in nye]
    assert [e.event_type for e in egne] == [
        "BesoegPaabegyndt",
        "BesoegAfsluttet",
        "BesoegForsinket",
    ]
    assert all(e.data["leverandoer_id"] == "omsorg-plus-aps" for e in egne)
    assert egne[2].data["paabegyndt"] is not None and egne[2].data["erstatning_skyldig"] is False
    assert "erstatning_frist" not in egne[2].data  # absent, not null, when none is owed
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    own = public_events(app, "provider", only_for_provider(to_public, "omsorg-plus-aps"), notes, {})
    other = public_events(
        app, "provider", only_for_provider(to_public, "hjemmeplejen-nord"), notes, {}
    )
    assert nye <= {e.event_type for e in own}
    assert not nye & {e.event_type for e in other}
