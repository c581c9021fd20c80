"""The grant clocks: choice of provider within the deadline, the municipal provider after
it, and the ophør of time-limited grants after their end date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from services.visitation.domain.sag import Sag
from services.visitation.domain.valgfrist import AFVENTER_VALG, Valgfristdel
from services.visitation.domain.values import Afgoerelse, Anmodning, Udfald
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import fritekst
from tests.leverandoerer import DEMO_LEVERANDOERER
from tests.unit.test_visitation_domain import bevilling, vurdering

DAG = date(2026, 11, 2)
NU = datetime(2026, 11, 2, 9, tzinfo=UTC)
VIS = Aktoer("v-1", "visitator", "herlev-kommune")


def afgjort(**bev: object) -> tuple[Sag, Anmodning, Anmodning]:
    bad, rent = (
        Anmodning(uuid4(), fritekst("Bad"), "personlig"),
        Anmodning(uuid4(), fritekst("Rent"), "praktisk"),
    )
    s = Sag.modtag_ansoegning(uuid4(), DAG, "telefon", "borger", (bad, rent), VIS, NU)
    s.registrer_funktionsvurdering(vurdering(vurderet_dato=DAG), VIS, NU)
    s.vurder_rehabilitering(DAG, False, "Varigt nedsat", VIS, NU)
    s.traef_afgoerelse(
        Afgoerelse(
            uuid4(),
            DAG,
            (
                Udfald(bad.anmodning_id, "bevilget", None),
                Udfald(rent.anmodning_id, "bevilget", None),
            ),
            (
                bevilling(bad, startdato=DAG, leverandoer_id=AFVENTER_VALG),
                bevilling(rent, startdato=DAG, **bev),  # type: ignore[arg-type]
            ),
            None,
            None,
        ),
        VIS,
        NU,
        leverandoerer=DEMO_LEVERANDOERER,
    )
    return s, bad, rent


def test_citizen_chooses_within_the_deadline() -> None:
    s, _, _ = afgjort()
    assert [b.kategori for b in s.afventer_valg()] == ["personlig"]
    with pytest.raises(DomainRuleViolation) as e:
        s.vaelg_leverandoer(
            "personlig",
            "rent-hjem-as",
            DAG,
            "borgerens_valg",
            VIS,
            NU,
            leverandoerer=DEMO_LEVERANDOERER,
        )
    assert e.value.rule == "leverandoer-ikke-godkendt"
    with pytest.raises(DomainRuleViolation) as e:
        s.vaelg_leverandoer(
            "praktisk",
            "rent-hjem-as",
            DAG,
            "borgerens_valg",
            VIS,
            NU,
            leverandoerer=DEMO_LEVERANDOERER,
        )
    assert e.value.rule == "intet-leverandoervalg-afventer"
    (valgt,) = s.vaelg_leverandoer(
        "personlig",
        "omsorg-plus-aps",
        date(2026, 11, 3),
        "borgerens_valg",
        VIS,
        NU,
        leverandoerer=DEMO_LEVERANDOERER,
    )
    assert valgt.leverandoer_id == "omsorg-plus-aps" and valgt.startdato == date(2026, 11, 3)
    assert not s.afventer_valg()
    assert (
        s.tildel_ved_valgfrist(date(2026, 11, 10), 2, VIS, NU, leverandoerer=DEMO_LEVERANDOERER)
        == []
    )


def test_municipal_provider_after_the_deadline() -> None:
    s, _, _ = afgjort()
    assert (
        s.tildel_ved_valgfrist(date(2026, 11, 4), 2, VIS, NU, leverandoerer=DEMO_LEVERANDOERER)
        == []
    )  # day 2: still open
    assert s.tildel_ved_valgfrist(
        date(2026, 11, 5), 2, VIS, NU, leverandoerer=DEMO_LEVERANDOERER
    ) == ["personlig"]
    (event,) = [e for e in s.collect_events() if isinstance(e, Valgfristdel.LeverandoerValgt)]
    assert event.aarsag == "valgfrist_overskredet"
    assert event.leverandoer_id == "hjemmeplejen-nord"  # the kommunal provider
    assert (
        s.tildel_ved_valgfrist(date(2026, 11, 6), 2, VIS, NU, leverandoerer=DEMO_LEVERANDOERER)
        == []
    )  # idempotent


def test_time_limited_grant_expires_after_its_end_date() -> None:
    s, _, _ = afgjort(slutdato=date(2026, 12, 31), leverandoer_id="hjemmeplejen-nord")
    assert s.ophoer_udloebne(date(2026, 12, 31), VIS, NU) == []  # the last day of help
    (ophoert,) = s.ophoer_udloebne(date(2027, 1, 1), VIS, NU)
    assert s.ophoerte_bevillinger[ophoert] == date(2026, 12, 31)
    assert s.ophoer_udloebne(date(2027, 1, 2), VIS, NU) == []
