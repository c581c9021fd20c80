"""Visits in monthly periods (periode.py): a command's cost does not grow with the grant's
age, and the rules that span periods hold.

The cost test counts the events a delivery replays (not milliseconds)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.provider.adapters.public_events import to_public
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.besoeg import Besoegsforloeb
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.periode import (
    Besoegsperiode,
    Besoegsplan,
    maaneder,
    perioder_for_dato,
)
from services.provider.domain.values import Levering, Leveringsregler
from shared.infra import tid
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer, DomainRuleViolation

LEV = Aktoer("sosu-maria", "leverandoer", "omsorg-plus-aps")


def kl(d: date, hour: int = 6) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def ordre(
    start: date, antal: int = 4, periode: str = "dag", ids: tuple[UUID, UUID, UUID] | None = None
) -> Bestilling:
    bevilling_id, sag_id, borger_id = ids or (uuid4(), uuid4(), uuid4())
    return Bestilling(
        bevilling_id=bevilling_id,
        sag_id=sag_id,
        borger_id=borger_id,
        leverandoer_id="omsorg-plus-aps",
        indsats_kode="P1.1",
        indsats_navn="Personlig pleje",
        kategori="personlig",
        antal=antal,
        periode=periode,
        minutter_pr_besoeg=20,
        startdato=start,
        slutdato=None,
        aktoer=LEV,
        occurred_at=kl(start, 5),
        leveringsregler=Leveringsregler("herlev-2013", erstatningsfrist_dage=8),
    )


def plan(b: Bestilling, fra: date) -> Besoegsplan:
    return Besoegsplan(b, dict.fromkeys(Besoegsplan.maaneder_til_planlaegning(fra)))


# -- where a visit lives ---------------------------------------------------------------
def test_months_and_where_a_visit_may_live() -> None:
    assert maaneder(date(2026, 1, 20), date(2026, 2, 17)) == ["2025-12", "2026-01", "2026-02"]
    assert perioder_for_dato(date(2026, 3, 1)) == ["2026-03", "2026-02"]
    assert perioder_for_dato(date(1, 1, 5)) == ["0001-01"]
    assert maaneder(date(9999, 12, 20), date(9999, 12, 31)) == ["9999-11", "9999-12"]
    b = ordre(date(2026, 1, 1))
    assert Besoegsperiode.create_id(b.id, "2026-01") != Besoegsperiode.create_id(b.id, "2026-02")


def test_a_run_across_a_month_is_one_event_in_the_period_of_its_first_visit() -> None:
    b = ordre(date(2026, 1, 20))
    p = plan(b, date(2026, 1, 20))
    assert p.planlaeg(date(2026, 1, 20), LEV, kl(date(2026, 1, 20))) == 28 * 4
    order, periode = p.aendrede()
    assert order is b and isinstance(periode, Besoegsperiode) and periode.maaned == "2026-01"
    (_, e) = periode.collect_events()
    assert isinstance(e, Besoegsforloeb.BesoegPlanlagt) and e.bestilling_id == b.id
    assert max(x.dato for x in e.besoeg) == date(2026, 2, 16)  # February's too
    # The order holds the plan only: nothing of the visits.
    assert [type(x).__name__ for x in b.collect_events()] == ["BestillingModtaget"]
    assert b.besoeg == {}


def test_visit_ids_are_the_orders_not_the_periods() -> None:
    """A visit keeps the id today's code gave it (order, day, window)."""
    b = ordre(date(2026, 1, 20))
    p = plan(b, date(2026, 1, 20))
    p.planlaeg(date(2026, 1, 20), LEV, kl(date(2026, 1, 20)))
    legacy = Bestilling(
        **{
            k: getattr(b, k)
            for k in ("bevilling_id", "sag_id", "borger_id", "leverandoer_id", "indsats_kode")
        },
        indsats_navn=b.indsats_navn,
        kategori=b.kategori,
        antal=b.antal,
        periode=b.periode,
        minutter_pr_besoeg=b.minutter_pr_besoeg,
        startdato=b.startdato,
        slutdato=None,
        aktoer=LEV,
        occurred_at=kl(b.startdato),
    )
    legacy.planlaeg_besoeg(date(2026, 1, 20), LEV, kl(date(2026, 1, 20)))
    assert set(legacy.besoeg) == set(p.besoeg)


def test_cancellation_in_january_met_by_a_replacement_in_february() -> None:
    """The duty is the order's; the replacement lives in February's period; delivering it
    by the deadline meets the duty, so the deadline check finds nothing."""
    b = ordre(date(2026, 1, 5), antal=1, periode="uge")
    p = plan(b, date(2026, 1, 26))
    p.planlaeg(date(2026, 1, 26), LEV, kl(date(2026, 1, 26)))
    jan = next(x for x in p.besoeg.values() if x.dato == date(2026, 1, 26))
    a = p.aflys_besoeg(
        jan.besoeg_id, "leverandoer", "Syg", kl(date(2026, 1, 25)), LEV, kl(date(2026, 1, 25))
    )
    assert a.erstatningsfrist == date(2026, 2, 3)
    assert b.erstatningspligter() == {jan.besoeg_id: date(2026, 2, 3)}
    erst = p.planlaeg_erstatning(
        jan.besoeg_id, date(2026, 2, 2), "eftermiddag", LEV, kl(date(2026, 1, 27))
    )
    assert p.holder(erst.besoeg_id) is p.perioder["2026-02"]
    # January's period (where a run could plan the same window) is saved with it.
    januar = p.perioder["2026-01"]
    assert januar is not None and type(januar.pending_events[-1]).__name__ == "PladsOptaget"
    with pytest.raises(DomainRuleViolation, match="erstatning-allerede-planlagt"):
        p.planlaeg_erstatning(jan.besoeg_id, date(2026, 2, 3), "aften", LEV, kl(date(2026, 1, 27)))
    p.registrer_levering(
        Levering(erst.besoeg_id, kl(date(2026, 2, 2), 15), 20, "x"), LEV, kl(date(2026, 2, 2), 16)
    )
    assert b.erstatningspligter() == {}
    assert b.kontroller_frister(date(2026, 2, 10), LEV, kl(date(2026, 2, 10))) == []
    kinds = {type(e).__name__ for e in b.collect_events()}
    assert {"ErstatningspligtNoteret", "ErstatningLeveret"} <= kinds


def test_unmet_duty_fails_on_the_order_and_slot_rule_spans_periods() -> None:
    b = ordre(date(2026, 1, 5), antal=1, periode="uge")
    p = plan(b, date(2026, 1, 26))
    p.planlaeg(date(2026, 1, 26), LEV, kl(date(2026, 1, 26)))
    jan = next(x for x in p.besoeg.values() if x.dato == date(2026, 1, 26))
    p.aflys_besoeg(
        jan.besoeg_id, "leverandoer", "Syg", kl(date(2026, 1, 25)), LEV, kl(date(2026, 1, 25))
    )
    # 2 February is a planned weekly visit (recorded in January's period): taken.
    with pytest.raises(DomainRuleViolation, match="dobbeltbooking"):
        p.planlaeg_erstatning(jan.besoeg_id, date(2026, 2, 2), "dag", LEV, kl(date(2026, 1, 27)))
    assert b.kontroller_frister(date(2026, 2, 4), LEV, kl(date(2026, 2, 4))) == [jan.besoeg_id]
    assert b.kontroller_frister(date(2026, 2, 5), LEV, kl(date(2026, 2, 5))) == []


def test_ophoer_and_pause_reach_every_period_loaded() -> None:
    b = ordre(date(2026, 1, 20), antal=1, periode="dag")
    p = plan(b, date(2026, 1, 20))
    p.planlaeg(date(2026, 1, 20), LEV, kl(date(2026, 1, 20)))
    p.pause(date(2026, 1, 30), "indlaeggelse", LEV, kl(date(2026, 1, 29)))
    assert (
        p.status(next(x.besoeg_id for x in p.besoeg.values() if x.dato == date(2026, 2, 5)))
        == "pauset"
    )
    p.afslut(date(2026, 2, 1), "doedsfald", None, LEV, kl(date(2026, 1, 31)))
    efter = [x for x in p.besoeg.values() if x.dato > date(2026, 2, 1)]
    assert efter and {p.status(x.besoeg_id) for x in efter} == {"afsluttet"}
    (e,) = [x for x in b.collect_events() if type(x).__name__ == "BestillingAfsluttet"]
    assert list(e.afsluttede_besoeg) == [x.besoeg_id for x in sorted(efter, key=lambda x: x.dato)]


# -- the cost is flat ------------------------------------------------------------------
def _deliver_through(app: ProviderApplication, b: Bestilling, fra: date, til: date) -> None:
    """Plan weekly and deliver every visit from `fra` up to and including `til`."""
    day = fra
    while day <= til:
        p = app.besoegsplan(b, Besoegsplan.maaneder_til_planlaegning(day))
        p.planlaeg(day, LEV, kl(day, 1))
        for h, v in list(p.alle_besoeg()):
            uge = day <= v.dato < min(day + timedelta(days=7), til + timedelta(days=1))
            if uge and h.status(v.besoeg_id) == "planlagt":
                p.registrer_levering(
                    Levering(v.besoeg_id, kl(v.dato, 12), 20, "m"), LEV, kl(v.dato, 13)
                )
        app.save(*p.aendrede())
        day += timedelta(days=7)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[ProviderApplication]:
    a = ProviderApplication(env=store_env(ServiceSettings(data_dir=tmp_path), "provider"))
    lists = ProviderWorkLists(a)
    a.besoegsdato, a.perioder_for = lists.besoegsdato, lists.perioder_for
    yield a
    a.close()


def _events_replayed(app: ProviderApplication, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    count = [0]
    store: Any = app.repository.event_store
    get = store.get

    def counting(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for e in get(*args, **kwargs):
            count[0] += 1
            yield e

    monkeypatch.setattr(store, "get", counting)
    return count


def test_a_delivery_replays_as_much_on_a_year_old_order_as_on_a_young_one(
    app: ProviderApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four visits a day, planned weekly and delivered as they come. A delivery on the
    same day replays exactly as many events on an order 64 weeks old as on one 12 weeks
    old: the order (its plan only) and the period of the visit. (Which period depends on
    the planning runs, the same in both from their second month on.)"""
    dag = date(2026, 3, 25)
    ung = ordre(date(2026, 1, 4))
    gammel = ordre(ung.startdato - timedelta(weeks=52))
    app.save(gammel, ung)
    for b in (gammel, ung):
        _deliver_through(app, b, b.startdato, dag - timedelta(days=1))
    assert len(list(app.events.get(gammel.id))) == 1  # the plan only: no visit events
    perioder = [
        p for m in maaneder(gammel.startdato, dag) if (p := app._periode(gammel.id, m)) is not None
    ]
    assert sum(p.version for p in perioder) > 1_500  # over a year of four visits a day

    replayed = _events_replayed(app, monkeypatch)
    counts = []
    tid.set_offset(tid.offset_to(kl(dag, 13)))
    try:
        for b in (gammel, ung):
            p = app.besoegsplan(b, perioder_for_dato(dag))
            visit = next(
                v
                for h, v in p.alle_besoeg()
                if v.dato == dag
                and v.tidsvindue == "morgen"
                and h.status(v.besoeg_id) == "planlagt"
            )
            replayed[0] = 0
            app.registrer_levering(b.id, Levering(visit.besoeg_id, kl(dag, 9), 20, "m"), LEV)
            counts.append(replayed[0])
    finally:
        tid.set_offset(0)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 1 + 1 + 5 + 31 * 4  # the order, and one month's period at most


# -- the public events are those of before -----------------------------------------------
def _offentlige(aggregates: list[Any]) -> list[tuple[Any, ...]]:
    out = []
    for a in aggregates:
        for e in a.collect_events():
            d = to_public(e)
            if d is not None:
                out.append((d.event_type, d.case_id, d.legal_basis, d.payload.model_dump()))
    return out


def test_the_same_commands_publish_the_same_events_as_when_the_order_held_its_visits() -> None:
    """One scenario across a month boundary, run on an order that holds its visits (as
    stored before the periods) and on an order with periods: the public events, their
    order, case keys and fields are the same, command by command."""
    ids = (uuid4(), uuid4(), uuid4())
    gammel = ordre(date(2026, 1, 20), 1, "dag", ids)
    ny = ordre(date(2026, 1, 20), 1, "dag", ids)
    plan = Besoegsplan(ny, dict.fromkeys(maaneder(date(2026, 1, 1), date(2026, 4, 30))))
    assert _offentlige([gammel]) == _offentlige([ny])

    def begge(gammel_kommando: str, kommando: str, *args: Any) -> Any:
        svar = getattr(gammel, gammel_kommando)(*args)
        assert getattr(plan, kommando)(*args) == svar or kommando == "planlaeg"
        offentlige = _offentlige([gammel])
        assert offentlige and offentlige == _offentlige(plan.aendrede()), kommando
        return svar

    def paa(d: date) -> UUID:
        (v,) = [v for v in gammel.besoeg.values() if v.dato == d and not v.erstatter_besoeg_id]
        return v.besoeg_id

    begge("planlaeg_besoeg", "planlaeg", date(2026, 1, 20), LEV, kl(date(2026, 1, 19)))
    jan30, feb5 = paa(date(2026, 1, 30)), paa(date(2026, 2, 5))
    at = kl(date(2026, 1, 29))
    begge("aflys_besoeg", "aflys_besoeg", jan30, "leverandoer", "Syg", at, LEV, at)
    erst = begge(
        "planlaeg_erstatning", "planlaeg_erstatning", jan30, date(2026, 2, 2), "eftermiddag",
        LEV, kl(date(2026, 1, 30)),
    )  # fmt: skip
    lev = Levering(erst.besoeg_id, kl(date(2026, 2, 2), 15), 20, "m")
    begge("registrer_levering", "registrer_levering", lev, LEV, kl(date(2026, 2, 2), 16))
    at = kl(date(2026, 2, 4))
    begge("aflys_besoeg", "aflys_besoeg", feb5, "leverandoer", "Syg", at, LEV, at)
    at = kl(date(2026, 2, 20))
    assert gammel.kontroller_frister(date(2026, 2, 20), LEV, at) == [feb5]
    assert ny.kontroller_frister(date(2026, 2, 20), LEV, at) == [feb5]
    assert _offentlige([gammel]) == _offentlige(plan.aendrede())
    begge("pause", "pause", date(2026, 2, 8), "indlaeggelse", LEV, kl(date(2026, 2, 7)))
    begge("genoptag", "genoptag", date(2026, 2, 12), LEV, kl(date(2026, 2, 12)))
    begge("afslut", "afslut", date(2026, 2, 25), "doedsfald", None, LEV, kl(date(2026, 2, 20)))
    assert gammel.erstatningspligter() == ny.erstatningspligter() == {}
