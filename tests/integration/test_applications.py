"""The applications on both stores (SQLite and PostgreSQL): same tests, same outcomes."""

from __future__ import annotations

import typing
import uuid
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from services.provider.adapters.public_events import to_public as provider_public
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public as visitation_public
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.klagesag import klage_id, ny_klage
from services.visitation.domain.values import Funktionsniveau, Funktionsvurdering
from shared.contracts import PublicEvent
from shared.infra.eventstore import EventStoreApplication, store_env
from shared.infra.public_events import PublicMapping, public_events
from shared.infra.repository import HurtigRepository
from shared.kernel import DomainRuleViolation
from tests.conftest import SettingsFactory
from tests.scenario import VISITATOR, decided_case

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 2)


def published(app: EventStoreApplication, source: str, mapping: PublicMapping) -> list[PublicEvent]:
    """What the relay would publish from this store, in log order."""
    notifications = app.process_recorder.select_notifications(start=1, limit=10_000)
    return public_events(app, source, mapping, notifications, {})


def test_visitation_case_survives_reload(store_settings: SettingsFactory) -> None:
    settings = store_settings("visitation")
    app = VisitationApplication(env=store_env(settings, "visitation"))
    sag_id = decided_case(app, DAY)
    klage = app.opret_klage(sag_id, "afgoerelse", date(2026, 12, 15), "For lidt hjælp", VISITATOR)
    assert klage.for_sent is True  # more than 4 weeks: registered, flagged, never dropped

    fresh = VisitationApplication(env=store_env(settings, "visitation"))
    reloaded = fresh.hent_sag(sag_id)
    assert reloaded.afgoerelser[0].bevillinger[0].hyppighed.antal == 2
    assert fresh.klager(reloaded)[0].for_sent is True  # a Klagesag beside the case
    types = [
        e.event_type
        for e in published(app, "visitation", visitation_public)
        if e.event_type != "LeverandoerregisterAendret"  # the demo providers, imported at start
    ]
    assert types == [
        "AnsoegningModtaget",
        "FunktionsvurderingRegistreret",
        "AfgoerelseTruffet",
        "KlageOprettet",
    ]


def test_cases_replay_without_the_protocol_check(
    store_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every service replays through HurtigRepository (shared/infra/repository.py): the
    library's per-event isinstance against a runtime_checkable Protocol is not paid."""
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    sag_id = decided_case(app, DAY)
    assert isinstance(app.repository, HurtigRepository)

    def refuse(*args: object) -> None:
        raise AssertionError("runtime Protocol check during a replay")

    monkeypatch.setattr(typing, "_get_protocol_attrs", refuse)
    assert app.hent_sag(sag_id).afgoerelser


def test_same_citizen_keeps_one_pseudonym(store_settings: SettingsFactory) -> None:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    first = app.hent_sag(decided_case(app, DAY))
    second = app.hent_sag(decided_case(app, DAY))
    assert first.borger_id == second.borger_id
    assert app.hent_borger(first.borger_id).cpr.vis() == "0101401234"


def test_concurrent_decisions_one_wins(store_settings: SettingsFactory) -> None:
    settings = store_settings("visitation")
    app = VisitationApplication(env=store_env(settings, "visitation"))
    sag_id = decided_case(app, DAY)
    a = app.hent_sag(sag_id)
    b = VisitationApplication(env=store_env(settings, "visitation")).hent_sag(sag_id)
    for sag in (a, b):
        vurdering = Funktionsvurdering(uuid.uuid4(), DAY, (Funktionsniveau("B1-3", 2),), None)
        sag.registrer_funktionsvurdering(vurdering, VISITATOR, sag.modified_on)
    app.save(a)
    with pytest.raises(IntegrityError):
        app.save(b)  # optimistic concurrency: the API answers 409
    assert len(app.hent_sag(sag_id).vurderinger) == 2
    # Two complaints taking the same number (two processes): the store refuses the second.
    k1 = ny_klage(a, 1, "levering", DAY, "Kom ikke", VISITATOR, a.modified_on)
    k2 = ny_klage(b, 1, "levering", DAY, "Kom for sent", VISITATOR, b.modified_on)
    app.save(k1)
    with pytest.raises(IntegrityError):
        app.save(k2)
    # Through the application the next complaint takes the next number.
    assert app.opret_klage(sag_id, "levering", DAY, "Igen", VISITATOR).klage_id == klage_id(
        sag_id, 2
    )
    assert [k.beskrivelse.vis() for k in app.klager(app.hent_sag(sag_id))] == ["Kom ikke", "Igen"]


def test_rule_violation_stores_nothing(store_settings: SettingsFactory) -> None:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    sag_id = decided_case(app, DAY)
    before = app.process_recorder.max_notification_id()
    with pytest.raises(DomainRuleViolation):
        app.opret_klage(sag_id, "afgoerelse", DAY, "   ", VISITATOR)
    assert app.process_recorder.max_notification_id() == before


def test_decision_becomes_order_exactly_once(store_settings: SettingsFactory) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    provider = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    decided_case(visitation, DAY)
    afgoerelse = next(
        e
        for e in published(visitation, "visitation", visitation_public)
        if e.event_type == "AfgoerelseTruffet"
    )
    policy = ProviderPolicy(provider)
    tracking = Tracking(f"visitation/{afgoerelse.case_id}", afgoerelse.sequence)
    provider.save_with_tracking(policy(afgoerelse), tracking)
    after_first = provider.process_recorder.max_notification_id()
    # The same message again: the tracking record makes the whole transaction fail.
    with pytest.raises(IntegrityError):
        provider.save_with_tracking(policy(afgoerelse), tracking)
    assert provider.process_recorder.max_notification_id() == after_first
    events = published(provider, "provider", provider_public)
    assert [e.event_type for e in events] == ["BestillingModtaget", "BesoegPlanlagt"]
    assert all(e.case_id == afgoerelse.case_id for e in events)
    planned = events[1].data["besoeg"]
    assert len(planned) == 8  # twice a week for the four-week horizon


def test_supervision_records_each_public_event_once(store_settings: SettingsFactory) -> None:
    visitation = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    supervision = SupervisionApplication(
        env=store_env(store_settings("supervision"), "supervision")
    )
    sag_id = decided_case(visitation, DAY)
    policy = RecordEverything(supervision)
    for e in published(visitation, "visitation", visitation_public):
        supervision.save_with_tracking(policy(e), Tracking(f"visitation/{e.case_id}", e.sequence))
    history = supervision.historik(sag_id)
    assert [h["event_type"] for h in history] == [
        "AnsoegningModtaget",
        "FunktionsvurderingRegistreret",
        "AfgoerelseTruffet",
    ]
    assert {h["actor"]["id"] for h in history} == {"vis-anne"}
    assert all(h["legal_basis"] for h in history)
