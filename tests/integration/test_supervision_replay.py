"""Supervision on both stores: replay as of a moment, read models rebuilt from the log."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from services.provider.adapters.public_events import to_public as provider_public
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.domain.values import Levering
from services.supervision import rebuild
from services.supervision.application.projektioner import Tilsynsprojektioner, kanonisk
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public as visitation_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.contracts import PublicEvent
from shared.infra.eventstore import store_env
from shared.kernel import Aktoer
from tests.conftest import SettingsFactory
from tests.integration.test_applications import published
from tests.scenario import decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)
SOSU = Aktoer("sosu-maria", "leverandoer", "omsorg-plus-aps")
TILSYN = Aktoer("tilsyn-ole", "tilsyn", "kommunen")


def feed(supervision: SupervisionApplication, events: list[PublicEvent]) -> None:
    policy = RecordEverything(supervision)
    for e in events:
        supervision.save_with_tracking(
            policy(e), Tracking(f"{e.source}/{e.case_id}", e.case_sequence)
        )


def scenario(store_settings: SettingsFactory) -> tuple[Any, list[PublicEvent], list[PublicEvent]]:
    """A decided case, its order and plan, one visit delivered and one cancelled."""
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    provider = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    sag_id = decided_case(visitation, DAY)
    v_events = published(visitation, "visitation", visitation_public)
    policy = ProviderPolicy(provider)
    for e in v_events:
        provider.save_with_tracking(policy(e), Tracking(f"visitation/{e.case_id}", e.sequence))
    plan = next(
        e
        for e in published(provider, "provider", provider_public)
        if e.event_type == "BesoegPlanlagt"
    )
    bestilling_id, besoeg = UUID(plan.data["bestilling_id"]), plan.data["besoeg"]
    first = datetime.fromisoformat(besoeg[0]["dato"]).replace(hour=9, tzinfo=UTC)
    provider.registrer_levering(
        bestilling_id, Levering(UUID(besoeg[0]["besoeg_id"]), first, 25, "sosu-maria"), SOSU
    )
    provider.aflys_besoeg(
        bestilling_id,
        UUID(besoeg[1]["besoeg_id"]),
        "borger",
        "Hos lægen",
        first - timedelta(days=3),
        SOSU,
    )
    return sag_id, v_events, published(provider, "provider", provider_public)


def test_state_as_of_what_was_known_then(store_settings: SettingsFactory) -> None:
    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    sag_id, v_events, p_events = scenario(store_settings)
    feed(supervision, v_events + p_events)

    now = supervision.tilstand(sag_id)
    assert now["status"] == "afgjort"
    assert now["besoeg_optalt"] == {"aflyst": 1, "leveret": 1, "planlagt": 6}
    assert len(now["bestillinger"]) == 1 and now["oevrige_haendelser"] == []

    # As of the moment visitation recorded its decision, the provider had done nothing yet.
    decided_at = next(e for e in v_events if e.event_type == "AfgoerelseTruffet").recorded_at
    then = supervision.tilstand(sag_id, decided_at)
    assert then["status"] == "afgjort"
    assert then["bestillinger"] == [] and then["besoeg"] == []
    assert [h["event_type"] for h in supervision.historik(sag_id, decided_at)] == [
        "AnsoegningModtaget",
        "FunktionsvurderingRegistreret",
        "AfgoerelseTruffet",
    ]
    before = v_events[0].recorded_at - timedelta(microseconds=1)
    assert supervision.tilstand(sag_id, before)["status"] == "ukendt"


def test_read_models_rebuild_to_the_same_bytes(store_settings: SettingsFactory) -> None:
    settings = store_settings("supervision")
    supervision = SupervisionApplication(env=store_env(settings, "supervision"))
    sag_id, v_events, p_events = scenario(store_settings)
    feed(supervision, v_events + p_events)
    supervision.registrer_adgang(sag_id, TILSYN, "historik", "stikprøve")

    live = Tilsynsprojektioner(supervision)
    live.catch_up()
    tal = live.resultater()
    assert tal["leveringsgrad"][0]["leverede_minutter"] == 25
    nov = tal["tilsynstal"]["leverandoerer"]["omsorg-plus-aps"]["2026-11"]
    assert nov["leverede_minutter"] == 25 and nov["aflysninger"] == {"borger": {"rettidig": 1}}
    assert tal["adgangslog"][str(sag_id)][0]["hvem"]["id"] == "tilsyn-ole"
    assert live.adgangslog.for_sag(sag_id)[0]["formaal"] == "stikprøve"

    # The fast pass, the library's mapper, and a second pass all give the same bytes.
    fast = live.fingeraftryk()
    assert rebuild.via_mapper(supervision, fast["position"]) == fast["projektioner"]
    again = Tilsynsprojektioner(supervision)
    again.catch_up()
    assert again.fingeraftryk() == fast
    assert rebuild.main(["--quiet"], settings) == 0

    # The same public events in a fresh store give byte-identical figures.
    fresh = SupervisionApplication(env=store_env(store_settings("supervision2"), "supervision2"))
    feed(fresh, v_events + p_events)
    other = Tilsynsprojektioner(fresh)
    other.catch_up()
    for name in ("leveringsgrad", "tilsynstal", "haendelsestyper"):
        assert kanonisk(other.resultater()[name]) == kanonisk(tal[name])


def test_rebuild_stops_at_a_given_position(store_settings: SettingsFactory) -> None:
    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    _, v_events, p_events = scenario(store_settings)
    feed(supervision, v_events)
    position = supervision.process_recorder.max_notification_id() or 0
    partial = Tilsynsprojektioner(supervision)
    partial.catch_up()
    feed(supervision, p_events)
    upto, _ = rebuild.genopbyg(supervision, position, vis_fremdrift=False)
    assert upto.position == position
    digest = hashlib.sha256(kanonisk(upto.resultater())).hexdigest()
    assert digest == hashlib.sha256(kanonisk(partial.resultater())).hexdigest()


def test_every_projection_is_idempotent_and_deterministic_with_every_type(
    store_settings: SettingsFactory,
) -> None:
    """All public types supervision folds (incl. replacements, pause, deadlines, genvurdering)
    stored, replayed twice, through the mapper, and in a fresh store: the same bytes."""
    from tests.unit.test_supervision_nye_typer import alle_typer

    events = [PublicEvent.model_validate(e) for e in alle_typer()]
    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    policy = RecordEverything(supervision)
    # Every event delivered twice (a redelivery): the second time records nothing.
    for e in events + events:
        supervision.save(*policy(e))
    first = Tilsynsprojektioner(supervision)
    first.catch_up()
    assert sum(first.sager.values()) == len(events)
    fp = first.fingeraftryk()
    assert first.resultater()["haendelsestyper"]["ErstatningsbesoegPlanlagt"] == 1
    assert rebuild.via_mapper(supervision, fp["position"]) == fp["projektioner"]
    second = Tilsynsprojektioner(supervision)
    second.catch_up()
    assert second.fingeraftryk() == fp

    fresh = SupervisionApplication(env=store_env(store_settings("supervision2"), "supervision2"))
    for e in events:
        fresh.save(*RecordEverything(fresh)(e))
    other = Tilsynsprojektioner(fresh)
    other.catch_up()
    # Everything folded from public events is byte-identical; the own-event read models
    # (access log, findings) are empty in both, since nobody read or inspected anything.
    assert other.fingeraftryk()["projektioner"] == fp["projektioner"]


def test_measurement_store_and_rebuild_all(store_settings: SettingsFactory) -> None:
    """The benchmark's input is what the service stores, and rebuild_all folds all of it."""
    from bench.syntetiske_sager import fyld_lager

    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    stored = fyld_lager(supervision, 50, pr_gem=2)
    antal, sekunder = rebuild.rebuild_all(supervision)
    assert stored == 60 and antal == stored + 4  # 15 per case, + one SagsforloebAabnet each
    assert sekunder > 0
    live = Tilsynsprojektioner(supervision)
    live.catch_up()
    fp = live.fingeraftryk()
    assert rebuild.via_mapper(supervision, fp["position"]) == fp["projektioner"]
    jan = live.resultater()["tilsynstal"]["leverandoerer"]["omsorg-plus-aps"]["2026-01"]
    assert jan["erstatning"]["planlagt"] >= 1 and jan["faste_hjaelpere"]["borgere"] >= 1
