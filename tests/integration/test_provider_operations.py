"""Provider operations on both stores: switch, ophør, replacement deadlines, access."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.provider.adapters.public_events import to_public
from services.provider.api.access import ACCESS
from services.provider.api.operations import build_operations
from services.provider.api.routes import build_router
from services.provider.application.adgang import AdgangNaegtet
from services.provider.application.fristvagt import Fristvagt
from services.provider.application.policies import ProviderPolicy
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.bestilling import Bestilling
from shared.contracts import PublicEvent
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from shared.infra.periodisk import koer_periodisk
from shared.infra.public_events import public_events
from shared.kernel import Aktoer, NotFound
from tests.conftest import SettingsFactory
from tests.identity import headers_for

pytestmark = pytest.mark.integration
START = date(2026, 11, 2)  # a Monday
SAG, BORGER, BEVILLING = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
OMSORG = Aktoer("sosu-maria", "leverandoer", "omsorg-plus-aps")
NORD = Aktoer("sosu-ib", "leverandoer", "hjemmeplejen-nord")
_seq = iter(range(1, 10_000))


def bevilling(leverandoer: str, startdato: date = START) -> dict[str, Any]:
    return {
        "bevilling_id": str(BEVILLING),
        "anmodning_id": str(uuid.uuid4()),
        "indsats_kode": "H2.1",
        "indsats_navn": "Rengøring",
        "kategori": "praktisk",
        "hyppighed": {"antal": 1, "periode": "uge"},
        "minutter_pr_besoeg": 60,
        "leverandoer_id": leverandoer,
        "startdato": startdato.isoformat(),
        "leveringsregler": {"katalog_version": "herlev-2013", "erstatningsfrist_dage": 5},
    }


def message(event_type: str, data: dict[str, Any]) -> PublicEvent:
    n = next(_seq)
    return PublicEvent(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=1,
        source="visitation",
        case_id=SAG,
        sequence=n,
        case_sequence=n,
        occurred_at=datetime(2026, 10, 30, tzinfo=UTC),
        recorded_at=datetime(2026, 10, 30, tzinfo=UTC),
        actor={"id": "vis-anne", "rolle": "visitator", "organisation": "kommunen"},
        data=data,
    )


def decision(leverandoer: str = "omsorg-plus-aps") -> PublicEvent:
    return message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(BORGER),
            "truffet_dato": "2026-10-30",
            "udfald": [],
            "bevillinger": [bevilling(leverandoer)],
        },
    )


def apply(app: ProviderApplication, e: PublicEvent) -> None:
    app.save(*ProviderPolicy(app)(e))


def published(app: ProviderApplication) -> list[PublicEvent]:
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    return public_events(app, "provider", to_public, notes, {})


@pytest.fixture
def app(store_settings: SettingsFactory) -> ProviderApplication:
    return ProviderApplication(env=store_env(store_settings("provider"), "provider"))


def test_rules_from_the_order_and_deadline_check(app: ProviderApplication) -> None:
    apply(app, decision())
    order = app.find_bestilling(BEVILLING)
    assert order is not None and order.regler.erstatningsfrist_dage == 5
    first = min(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    a = app.aflys_besoeg(
        order.id,
        first.besoeg_id,
        "leverandoer",
        "Syg",
        datetime(2026, 11, 1, 18, tzinfo=UTC),
        OMSORG,
    )
    assert a.erstatningsfrist == START + timedelta(days=5)
    lists = ProviderWorkLists(app)
    ids = lists.bestillinger_med_erstatningspligt("omsorg-plus-aps")
    assert app.kontroller_frister(ids, START + timedelta(days=5), OMSORG) == []
    svigt = app.kontroller_frister(ids, START + timedelta(days=6), OMSORG)
    assert svigt == [(order.id, first.besoeg_id)]
    assert app.kontroller_frister(ids, START + timedelta(days=7), OMSORG) == []
    reloaded = ProviderApplication(env=app.env).hent_bestilling(order.id)
    assert reloaded.svigtede == {first.besoeg_id}
    svigtet = [e for e in published(app) if e.event_type == "LeveringSvigtet"]
    assert len(svigtet) == 1 and svigtet[0].data["erstatning_frist"] == "2026-11-07"


def test_switch_ends_old_visits_and_orders_from_new_provider(app: ProviderApplication) -> None:
    apply(app, decision())
    old = app.find_bestilling(BEVILLING)
    assert old is not None
    gyldig_fra = date(2026, 12, 1)
    skift = message(
        "LeverandoerSkiftet",
        {
            "borger_id": str(BORGER),
            "kategori": "praktisk",
            "fra_leverandoer_id": "omsorg-plus-aps",
            "til_leverandoer_id": "rent-hjem-as",
            "gyldig_fra": gyldig_fra.isoformat(),
            "bevillinger": [bevilling("rent-hjem-as", gyldig_fra)],
        },
    )
    apply(app, skift)
    apply(app, skift)  # redelivered: nothing more
    old = app.hent_bestilling(old.id)
    assert old.sidste_dag == date(2026, 11, 30) and old.efterfoelger_id is not None
    assert old.erstatningspligter() == {}
    new = app.aktiv_bestilling(BEVILLING)
    assert new is not None and new.id == old.efterfoelger_id and new.id != old.id
    assert new.leverandoer_id == "rent-hjem-as" and new.forgaenger_id == old.id
    assert min(b.dato for b in app.hel_besoegsplan(new).besoeg.values()) >= gyldig_fra
    types = [e.event_type for e in published(app)]
    assert types.count("BestillingAfsluttet") == 1 and types.count("BestillingModtaget") == 2

    apply(
        app,
        message(
            "BevillingOphoert",
            {
                "borger_id": str(BORGER),
                "bevilling_ids": [str(BEVILLING)],
                "ophoersdato": "2026-12-10",
                "aarsag": "doedsfald",
            },
        ),
    )
    new = app.hent_bestilling(new.id)
    assert new.sidste_dag == date(2026, 12, 10)
    plan = app.hel_besoegsplan(new)
    efter = [b for b in plan.besoeg.values() if b.dato > new.sidste_dag]
    assert efter and {plan.status(b.besoeg_id) for b in efter} == {"afsluttet"}


def test_only_own_provider_data(app: ProviderApplication) -> None:
    apply(app, decision())
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    visit = next(iter(app.hel_besoegsplan(order).besoeg))
    with pytest.raises(NotFound):  # another provider's order is no order at all
        app.aflys_besoeg(
            order.id, visit, "leverandoer", "x", datetime(2026, 11, 2, 8, tzinfo=UTC), NORD
        )
    with pytest.raises(AdgangNaegtet):
        app.fastlaeg_stab("omsorg-plus-aps", (), NORD)
    api = secure_api("provider", "test", "", access_table=ACCESS)
    lists = ProviderWorkLists(app)
    api.include_router(build_router(app, lists))
    api.include_router(build_operations(app, lists))
    client = TestClient(api)
    nord = headers_for("leverandoer", "ib", leverandoer_id=NORD.organisation)
    omsorg = headers_for("leverandoer", "ib", leverandoer_id="omsorg-plus-aps")
    r = client.get("/leverandoerer/omsorg-plus-aps/besoeg", headers=nord)
    assert r.status_code == 403 and r.json()["regel"] == "kun-egen-leverandoer"
    # A foreign order id answers exactly like an unknown one: same status, same body with
    # the id asked for, so no provider learns which order ids exist elsewhere.
    unknown = uuid.uuid4()
    foreign = client.get(f"/bestillinger/{order.id}", headers=nord)
    missing = client.get(f"/bestillinger/{unknown}", headers=nord)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.headers["content-type"] == missing.headers["content-type"]
    assert foreign.text == missing.text.replace(str(unknown), str(order.id))
    for target in (order.id, unknown):
        r = client.post(
            f"/bestillinger/{target}/besoeg/{visit}/forgaeves",
            headers=nord,
            json={"tidspunkt": "2026-12-01T10:00:00+01:00", "medarbejder_id": "ib"},
        )
        assert r.status_code == 404
    assert client.get("/leverandoerer/omsorg-plus-aps/besoeg", headers=omsorg).status_code == 200
    borger = headers_for("borger", borger_id=str(BORGER))
    r = client.get(f"/borgere/{BORGER}/besoeg?fra=2026-11-01", headers=borger)
    assert r.status_code == 200 and len(r.json()) == 4 and "sag_id" not in r.json()[0]
    other = headers_for("borger", borger_id=str(uuid.uuid4()))
    assert client.get(f"/borgere/{BORGER}/besoeg", headers=other).status_code == 403


def test_a_provider_token_naming_another_provider_as_organisation_is_refused(
    app: ProviderApplication,
) -> None:
    """Regression: a token with leverandoer_id of one provider and organisation of another
    read and wrote the other provider's data, because the checks read different claims.
    Now such a token is 401 everywhere, and each provider's own token sees only its own."""
    apply(app, decision())
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    versions = [h.version for h in app.hel_besoegsplan(order).holdere()]
    api = secure_api("provider", "test", "", access_table=ACCESS)
    lists = ProviderWorkLists(app)
    api.include_router(build_router(app, lists))
    api.include_router(build_operations(app, lists))
    client = TestClient(api)
    mixed = headers_for(
        "leverandoer", "ib", leverandoer_id="hjemmeplejen-nord", organisation="omsorg-plus-aps"
    )
    for method, url in (
        ("GET", "/leverandoerer/omsorg-plus-aps/besoeg"),
        ("GET", "/leverandoerer/omsorg-plus-aps/bestillinger"),
        ("GET", f"/bestillinger/{order.id}"),
        ("GET", "/leverandoerer/hjemmeplejen-nord/besoeg"),
        ("POST", "/leverandoerer/omsorg-plus-aps/planlaegning"),
    ):
        r = client.request(method, url, headers=mixed, json={"dato": "2026-11-02"})
        assert r.status_code == 401, (method, url, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert [h.version for h in app.hel_besoegsplan(order).holdere()] == versions  # no writes
    # The provider's own token (its organisation claim left out) writes, and the actor
    # recorded on the event carries the same leverandoer_id every check read.
    own = headers_for("leverandoer", "maria", leverandoer_id="omsorg-plus-aps")
    url = f"/bestillinger/{order.id}/aendringsindberetninger"
    r = client.post(url, headers=own, json={"observeret_dato": "2026-11-01", "beskrivelse": "x"})
    assert r.status_code == 201, r.text
    sidste = list(app.events.get(order.id))[-1]
    assert sidste.aktoer == Aktoer("maria", "leverandoer", "omsorg-plus-aps")


def test_hospital_stay_pauses_without_duty(app: ProviderApplication) -> None:
    apply(app, decision())
    lists = ProviderWorkLists(app)
    ids = lists.aktive_bestillinger("omsorg-plus-aps", BORGER)
    app.indlaeggelse(ids, START + timedelta(days=7), OMSORG)
    app.udskrivning(ids, START + timedelta(days=14), OMSORG)
    order = app.hent_bestilling(ids[0])
    plan = app.hel_besoegsplan(order)
    statuses = sorted((b.dato, plan.status(b.besoeg_id)) for b in plan.besoeg.values())
    assert statuses[1] == (START + timedelta(days=7), "pauset")
    assert statuses[2] == (START + timedelta(days=14), "planlagt")
    assert order.erstatningspligter() == {}
    assert isinstance(order, Bestilling)


def test_background_deadline_check_runs_once_a_day_for_every_provider(
    app: ProviderApplication,
) -> None:
    apply(app, decision())
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    first = min(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    app.aflys_besoeg(
        order.id,
        first.besoeg_id,
        "leverandoer",
        "Syg",
        datetime(2026, 11, 1, 18, tzinfo=UTC),
        OMSORG,
    )
    vagt = Fristvagt(app, ProviderWorkLists(app))
    assert vagt.kontroller(START + timedelta(days=5)) == []  # deadline day: not yet
    assert vagt.kontroller(START + timedelta(days=6)) == [(order.id, first.besoeg_id)]
    assert vagt.kontroller(START + timedelta(days=6)) == []  # same day: not run again
    assert Fristvagt(app, ProviderWorkLists(app)).kontroller(START + timedelta(days=7)) == []

    # The thread loop: checks with "today" until stopped (stopped from the clock, so the
    # test waits for nothing).
    stop, days = threading.Event(), []

    def today() -> date:
        days.append(START + timedelta(days=8))
        if len(days) == 2:
            stop.set()
        return days[-1]

    koer_periodisk(
        "fristkontrol", [Fristvagt(app, ProviderWorkLists(app)).kontroller], stop, 0, today
    )
    assert len(days) == 2
    assert [e.event_type for e in published(app)].count("LeveringSvigtet") == 1


def test_a_grant_starting_in_year_9999_is_planned_not_dead_lettered(
    app: ProviderApplication,
) -> None:
    """Issue 14: visitation accepted startdato 9999-12-20 and the provider's consumer then
    failed on it (OverflowError planning four weeks ahead) and parked the case. The API now
    refuses such a date; an order already on the topic is still processed."""
    sent = message(
        "AfgoerelseTruffet",
        {
            "afgoerelse_id": str(uuid.uuid4()),
            "borger_id": str(BORGER),
            "truffet_dato": "2026-10-30",
            "udfald": [],
            "bevillinger": [bevilling("omsorg-plus-aps", startdato=date(9999, 12, 20))],
        },
    )
    apply(app, sent)
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    besoeg = app.hel_besoegsplan(order).besoeg
    assert besoeg and min(b.dato for b in besoeg.values()) == date(9999, 12, 20)


def test_an_order_the_rules_cannot_handle_does_not_stop_the_deadline_check(
    app: ProviderApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: one order whose stored events a rule cannot handle is an error row; the
    other orders are still checked and their failures recorded."""
    apply(app, decision())
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    first = min(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    app.aflys_besoeg(
        order.id,
        first.besoeg_id,
        "leverandoer",
        "Syg",
        datetime(2026, 11, 1, 18, tzinfo=UTC),
        OMSORG,
    )
    daarlig = uuid.uuid4()
    hent = app.hent_bestilling_som

    def hent_bestilling_som(bestilling_id: uuid.UUID, *args: Any, **kwargs: Any) -> Any:
        if bestilling_id == daarlig:  # as folding a year-9999 event did on main
            raise OverflowError("date value out of range")
        return hent(bestilling_id, *args, **kwargs)

    monkeypatch.setattr(app, "hent_bestilling_som", hent_bestilling_som)
    fejl: list[Any] = []
    svigt = app.kontroller_frister([daarlig, order.id], START + timedelta(days=6), OMSORG, fejl)
    assert svigt == [(order.id, first.besoeg_id)]
    assert [(f.sag_id, f.fejltype) for f in fejl] == [(daarlig, "OverflowError")]
    reloaded = ProviderApplication(env=app.env).hent_bestilling(order.id)
    assert reloaded.svigtede == {first.besoeg_id}


def test_check_in_and_out_through_the_api_with_typed_promises(app: ProviderApplication) -> None:
    """Schema v2 promises arrive with the order; the worker's app checks in and out; a
    visit never started is found late by its window end plus the tolerance."""
    regler = {
        "katalog_version": "test-2026",
        "erstatningsfrist": {"vaerdi": 3, "enhed": "timer"},
        "aflysningsvarsel": {"vaerdi": 48, "enhed": "timer"},
        "forsinkelsestolerance": {"vaerdi": 1, "enhed": "timer"},
    }
    e = decision()
    e.data["bevillinger"][0]["leveringsregler"] = regler
    apply(app, e)
    order = app.find_bestilling(BEVILLING)
    assert order is not None
    assert order.regler.forsinkelsestolerance is not None
    assert order.regler.forsinkelsestolerance.enhed == "timer"
    assert order.regler.erstatningsfrist_dage == 8  # the old field keeps its default
    besoeg = sorted(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    first, second = besoeg[0], besoeg[1]
    api = secure_api("provider", "test", "", access_table=ACCESS)
    lists = ProviderWorkLists(app)
    api.include_router(build_operations(app, lists))
    client = TestClient(api)
    omsorg = headers_for("leverandoer", "maria", leverandoer_id="omsorg-plus-aps")
    url = f"/bestillinger/{order.id}/besoeg/{first.besoeg_id}"
    dag = first.dato.isoformat()
    ind = {"tidspunkt": f"{dag}T09:00:00+01:00", "medarbejder_id": "sosu-maria"}
    ud = {"tidspunkt": f"{dag}T10:05:00+01:00", "medarbejder_id": "sosu-maria"}
    early = client.post(f"{url}/afsluttet", headers=omsorg, json=ud)
    assert early.status_code == 422 and early.json()["regel"] == "besoeg-ikke-paabegyndt"
    r = client.post(f"{url}/paabegyndt", headers=omsorg, json=ind)
    assert r.status_code == 201 and r.json()["status"] == "paabegyndt"
    again = client.post(f"{url}/paabegyndt", headers=omsorg, json=ind)
    assert again.status_code == 422 and again.json()["regel"] == "besoeg-allerede-paabegyndt"
    r = client.post(f"{url}/afsluttet", headers=omsorg, json=ud)
    assert r.status_code == 201 and r.json()["status"] == "afsluttet"
    # Another provider cannot check in on this order.
    nord = headers_for("leverandoer", "ib", leverandoer_id=NORD.organisation)
    assert client.post(f"{url}/paabegyndt", headers=nord, json=ind).status_code == 404
    # From a fresh load of the stored events: the first visit was started, the second not.
    plan = ProviderApplication(env=app.env).hel_besoegsplan(order)
    assert plan.holder(first.besoeg_id).paabegyndte[first.besoeg_id] == datetime.fromisoformat(
        ind["tidspunkt"]
    )
    late = plan.forsinkede(
        datetime.combine(second.dato, datetime.min.time(), UTC) + timedelta(days=1)
    )
    assert second in late and first not in late
