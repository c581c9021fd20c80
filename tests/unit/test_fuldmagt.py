"""The fuldmagt rule: who may act for a citizen, in what, on which day (no I/O)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from services.supervision.domain.aktindsigt_poster import POSTER
from services.visitation.domain.fuldmagt import Fuldmagtsregister
from shared.infra.auth import Principal, Unauthenticated, principal_from_claims
from shared.kernel import Aktoer, DomainRuleViolation, NotFound
from shared.kernel.fuldmagt import Fuldmagt, Fuldmagter, fuldmagtsregister_id

BORGER = str(uuid.uuid4())
KAREN = "mitid:datter-karen"
BESOEG = "se_og_aflyse_besoeg"
VISITATOR = Aktoer("vis-anne", "visitator", "kommunen")
NU = datetime(2026, 11, 2, 9, tzinfo=UTC)


def register(**overrides: object) -> tuple[Fuldmagter, uuid.UUID]:
    fuldmagter = Fuldmagter()
    fid = uuid.uuid4()
    data: dict[str, object] = {
        "fuldmagt_id": str(fid),
        "borger_id": BORGER,
        "fuldmagtshaver": KAREN,
        "omfang": [BESOEG],
        "gyldig_fra": "2026-11-01",
        "gyldig_til": "2026-11-30",
        **overrides,
    }
    fuldmagter.registrer("FuldmagtGivet", data)
    return fuldmagter, fid


def relative(*, fuldmagt_for: tuple[str, ...] = (BORGER,), sub: str = KAREN) -> Principal:
    return Principal(sub, "borger", "kommunen", fuldmagt_for=fuldmagt_for)


@pytest.mark.parametrize(
    ("dato", "gyldig"),
    [
        (date(2026, 10, 31), False),  # before it starts
        (date(2026, 11, 1), True),  # both ends inclusive
        (date(2026, 11, 30), True),
        (date(2026, 12, 1), False),  # expired
    ],
)
def test_valid_within_its_period_only(dato: date, gyldig: bool) -> None:
    fuldmagter, _ = register()
    assert fuldmagter.gyldig(BORGER, KAREN, dato, BESOEG) is gyldig
    assert relative().acts_for_borger(BORGER, fuldmagter, BESOEG, dato) is gyldig


def test_scope_holder_and_citizen_must_match() -> None:
    fuldmagter, _ = register()
    day = date(2026, 11, 10)
    assert not fuldmagter.gyldig(BORGER, KAREN, day, "se_sagen")
    assert not fuldmagter.gyldig(BORGER, "mitid:nabo", day, BESOEG)
    assert not fuldmagter.gyldig(str(uuid.uuid4()), KAREN, day, BESOEG)


def test_revocation_applies_from_its_day_and_a_redelivery_changes_nothing() -> None:
    fuldmagter, fid = register(gyldig_til=None)
    ids = {"fuldmagt_id": str(fid), "borger_id": BORGER, "fuldmagtshaver": KAREN}
    fuldmagter.registrer("FuldmagtTilbagekaldt", {**ids, "tilbagekaldt_fra": "2026-11-15"})
    assert fuldmagter.gyldig(BORGER, KAREN, date(2026, 11, 14), BESOEG)
    assert not fuldmagter.gyldig(BORGER, KAREN, date(2026, 11, 15), BESOEG)
    fuldmagter.registrer("FuldmagtGivet", {**ids, "omfang": [BESOEG], "gyldig_fra": "2026-11-01"})
    assert not fuldmagter.gyldig(BORGER, KAREN, date(2026, 11, 20), BESOEG)


def test_the_claim_alone_or_the_record_alone_is_not_enough() -> None:
    fuldmagter, _ = register()
    day = date(2026, 11, 10)
    assert relative().acts_for_borger(BORGER, fuldmagter, BESOEG, day)
    # a token that does not name the citizen, even with a recorded fuldmagt
    assert not relative(fuldmagt_for=()).acts_for_borger(BORGER, fuldmagter, BESOEG, day)
    # a token that names the citizen, without a fuldmagt recorded for its subject
    assert not relative(sub="mitid:nabo").acts_for_borger(BORGER, fuldmagter, BESOEG, day)
    # other roles never act for a citizen; the citizen always for themself
    leverandoer = Principal(KAREN, "leverandoer", "x", leverandoer_id="x", fuldmagt_for=(BORGER,))
    assert not leverandoer.acts_for_borger(BORGER, fuldmagter, BESOEG, day)
    selv = Principal(BORGER, "borger", "kommunen", borger_id=BORGER)
    assert selv.acts_for_borger(BORGER, Fuldmagter(), "se_sagen", day)


def test_a_relative_token_needs_no_borger_id_of_its_own() -> None:
    claims = {"sub": KAREN, "rolle": "borger", "fuldmagt_for": [BORGER]}
    found = principal_from_claims(claims)
    assert found.borger_id is None and found.fuldmagt_for == (BORGER,)
    with pytest.raises(Unauthenticated):
        principal_from_claims({"sub": KAREN, "rolle": "borger"})


def test_register_rules_and_revocation() -> None:
    borger_id = uuid.UUID(BORGER)
    reg = Fuldmagtsregister(borger_id=borger_id)
    assert reg.id == fuldmagtsregister_id(borger_id) == fuldmagtsregister_id(BORGER)
    for holder, omfang, fra, til, regel in [
        (" ", (BESOEG,), date(2026, 11, 1), None, "fuldmagt-kraever-fuldmagtshaver"),
        (BORGER, (BESOEG,), date(2026, 11, 1), None, "fuldmagt-til-anden-person"),
        (KAREN, (), date(2026, 11, 1), None, "fuldmagt-omfang"),
        (KAREN, ("alt",), date(2026, 11, 1), None, "fuldmagt-omfang"),
        (KAREN, (BESOEG,), date(2026, 11, 2), date(2026, 11, 1), "fuldmagt-periode"),
    ]:
        with pytest.raises(DomainRuleViolation) as refused:
            reg.giv(uuid.uuid4(), holder, omfang, fra, til, VISITATOR, NU)
        assert refused.value.rule == regel
    fid = uuid.uuid4()
    reg.giv(fid, KAREN, (BESOEG, "se_sagen", BESOEG), date(2026, 11, 1), None, VISITATOR, NU)
    assert reg.hent(fid).omfang == {BESOEG, "se_sagen"}
    with pytest.raises(DomainRuleViolation) as bagud:
        reg.tilbagekald(fid, date(2026, 11, 1), date(2026, 11, 2), VISITATOR, NU)
    assert bagud.value.rule == "fuldmagt-tilbagekaldes-ikke-bagud"
    revoked = reg.tilbagekald(fid, date(2026, 11, 2), date(2026, 11, 2), VISITATOR, NU)
    assert revoked.tilbagekaldt_fra == date(2026, 11, 2)
    assert not reg.fuldmagter.gyldig(BORGER, KAREN, date(2026, 11, 2), BESOEG)
    with pytest.raises(DomainRuleViolation):
        reg.tilbagekald(fid, date(2026, 11, 3), date(2026, 11, 2), VISITATOR, NU)
    with pytest.raises(NotFound):
        reg.tilbagekald(uuid.uuid4(), date(2026, 11, 3), date(2026, 11, 2), VISITATOR, NU)
    assert [type(e).__name__ for e in reg.collect_events()] == [
        "Oprettet",
        "FuldmagtGivet",
        "FuldmagtTilbagekaldt",
    ]


def test_aktindsigt_describes_fuldmagter_and_refused_orders_in_danish() -> None:
    fuldmagt = Fuldmagt(uuid.uuid4(), BORGER, KAREN, frozenset({BESOEG}), date(2026, 11, 1))
    data = {**fuldmagt.som_dict(), "gyldig_til": None}
    section, title, lines = POSTER["FuldmagtGivet"](data)
    assert section == "fuldmagt" and KAREN in title and "se og aflyse besøg" in lines[0]
    section, title, _ = POSTER["FuldmagtTilbagekaldt"](
        {**data, "tilbagekaldt_fra": date(2026, 11, 20)}
    )
    assert section == "fuldmagt" and "tilbagekaldt" in title
    refused = {
        "leverandoer_id": "diakonien-selvejende",
        "kategori": "personlig",
        "startdato": "2026-11-02",
        "begrundelse": "ikke godkendt",
    }
    assert POSTER["BestillingAfvist"](refused)[0] == "bestilling"
