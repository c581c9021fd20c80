"""The kommune's own closed days reach the provider's working-day deadlines (issue 16 item
4): kommune.yaml -> the grant's delivery rules (visitation) -> LeveringsreglerV1 -> the
order's rules (provider) -> its deadline arithmetic. Herlev's default is unchanged: 24 and
31 December are working days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

from services.provider.application.policies import leveringsregler as provider_regler
from services.provider.domain import regler as r
from services.provider.domain.bestilling import Bestilling
from services.provider.domain.periode import Besoegsplan
from services.provider.domain.values import Leveringsregler
from services.visitation.adapters.public_events import _leveringsregler
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.catalogue import loader
from services.visitation.domain.kriterier import leveringsregler
from shared.contracts.visitation import LeveringsreglerV1
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer
from shared.kernel.loefte import Loefte
from shared.kernel.lukkedage import Lukkedage
from tests.unit.test_visitation_katalog import HERLEV
from tests.unit.test_visitation_kommune import HOERSHOLM_YAML

JUL = Lukkedage(("12-24", "12-31"))
LEV = Aktoer("sosu-maria", "leverandoer", "omsorg-plus-aps")


def test_closed_days() -> None:
    assert JUL.lukket(date(2026, 12, 24)) and not JUL.lukket(date(2026, 12, 23))
    assert Lukkedage(datoer=(date(2027, 5, 7),)).lukket(date(2027, 5, 7))
    assert Lukkedage().tom


def test_working_days_skip_the_kommunes_closed_days_only_when_it_has_them() -> None:
    # Wednesday 23 December 2026 + 1 working day: Thursday the 24th by default (Herlev);
    # for a kommune closed on the 24th, past Christmas and the weekend to Monday the 28th.
    assert r.plus_arbejdsdage(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert r.plus_arbejdsdage(date(2026, 12, 23), 1, JUL) == date(2026, 12, 28)
    assert r.plus_arbejdsdage(date(2026, 12, 30), 1, JUL) == date(2027, 1, 4)


def _bestilling(lukkedage: Lukkedage | None) -> Besoegsplan:
    start = date(2026, 12, 21)  # a Monday
    b = Bestilling(
        bevilling_id=uuid4(),
        sag_id=uuid4(),
        borger_id=uuid4(),
        leverandoer_id="omsorg-plus-aps",
        indsats_kode="P1.1",
        indsats_navn="Personlig pleje",
        kategori="personlig",
        antal=1,
        periode="dag",
        minutter_pr_besoeg=20,
        startdato=start,
        slutdato=None,
        aktoer=LEV,
        occurred_at=datetime(2026, 12, 20, 9, tzinfo=UTC),
        leveringsregler=Leveringsregler(
            "test-2026", erstatningsfrist=Loefte(1, "arbejdsdage"), lukkedage=lukkedage
        ),
    )
    p = Besoegsplan(b, dict.fromkeys(Besoegsplan.maaneder_til_planlaegning(start)))
    p.planlaeg(start, LEV, datetime(2026, 12, 20, 9, tzinfo=UTC))
    return p


def test_a_kommune_closing_24_december_moves_the_replacement_deadline() -> None:
    for lukkedage, frist in ((None, date(2026, 12, 24)), (JUL, date(2026, 12, 28))):
        p = _bestilling(lukkedage)
        [b] = [x for x in p.besoeg.values() if x.dato == date(2026, 12, 23)]
        aflyst = datetime(2026, 12, 23, 6, tzinfo=UTC)
        a = p.aflys_besoeg(b.besoeg_id, "leverandoer", "Syg", aflyst, LEV, aflyst)
        assert a.erstatning_skyldig and a.erstatningsfrist == frist, lukkedage


def test_the_closed_days_travel_from_kommune_yaml_to_the_order(tmp_path: Path) -> None:
    # Herlev's file closes no extra days: its grants carry none, and the public rules are
    # what they were (no key at all).
    herlev = loader.load_kommune("herlev")
    assert herlev.lukkedage.som_vaerdi() is None
    plain = _leveringsregler(leveringsregler(HERLEV, HERLEV.indsatser[0]))
    assert plain is not None and "lukkedage" not in plain.model_dump()
    # A kommune closing 24 and 31 December and one more day.
    (tmp_path / "hoersholm").mkdir()
    (tmp_path / "hoersholm" / "kommune.yaml").write_text(HOERSHOLM_YAML, encoding="utf-8")
    settings = ServiceSettings(
        data_dir=tmp_path / "data", katalog_dir=tmp_path, kommune="hoersholm"
    )
    app = VisitationApplication(env=store_env(settings, "visitation"), settings=settings)
    lukkedage = app._lukkedage()
    assert lukkedage == Lukkedage(("12-24", "12-31"), (date(2027, 5, 7),))
    regler = leveringsregler(HERLEV, HERLEV.indsatser[0], lukkedage)
    public = _leveringsregler(regler)
    assert public is not None and public.lukkedage is not None
    data = LeveringsreglerV1.model_validate(public.model_dump(mode="json"))
    order = provider_regler(data)
    assert order is not None and order.lukkedage == lukkedage
    # Without a kommune file the grants carry none (the deadlines count holidays only).
    uden = ServiceSettings(data_dir=tmp_path / "data", katalog_dir=tmp_path)
    app = VisitationApplication(env=store_env(uden, "visitation"), settings=uden)
    assert app._lukkedage() is None
