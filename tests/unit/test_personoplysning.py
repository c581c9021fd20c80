"""Personal data as values: ownership, rendering for the API, and the erasure rule."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.visitation.domain import upcasting
from services.visitation.domain.aeldrelov import Helhedspleje
from services.visitation.domain.sletning import REGEL, kraev_sletning_tilladt
from services.visitation.domain.values import Afgoerelse
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import (
    INGEN_EJER,
    SLETTET_TEKST,
    Personoplysning,
    eje,
    ejere,
    fritekst,
    opgrader,
    som_visning,
)


@dataclass(frozen=True)
class Note:
    tekst: Personoplysning
    under: tuple[Personoplysning, ...]
    kode: str


def test_eje_sets_the_owner_at_every_depth() -> None:
    borger = uuid4()
    note = eje(Note(fritekst("a"), (fritekst("b"), fritekst("c")), "x"), borger)
    assert {p.ejer for p in (note.tekst, *note.under)} == {str(borger)}
    assert note.kode == "x" and note.tekst.vis() == "a"


def test_som_visning_shows_text_never_owner_and_the_placeholder_once_erased() -> None:
    slettet = Personoplysning("b-1", None, slettet=True)
    note = Note(Personoplysning("b-1", "Faldet i badet"), (slettet,), "x")
    assert som_visning(note) == {
        "tekst": "Faldet i badet",
        "under": [SLETTET_TEKST],
        "kode": "x",
    }
    # A read model that decrypted before the erasure asks the key store at render time.
    assert som_visning({"n": [note]}, slettet=lambda ejer: ejer == "b-1") == {
        "n": [{"tekst": SLETTET_TEKST, "under": [SLETTET_TEKST], "kode": "x"}]
    }
    assert "Faldet" not in repr(note.tekst) + str(slettet)  # never into a log by accident


def test_upcasting_keeps_values_already_upcast_and_none() -> None:
    p = Personoplysning("b-1", "x")
    assert opgrader(INGEN_EJER, p) is p and opgrader(INGEN_EJER, None) is None
    assert opgrader("b-2", "plain") == Personoplysning("b-2", "plain")


@dataclass(frozen=True)
class Sag:
    id: UUID
    afsluttet_dato: date | None


class TestSletningsregel:
    def test_a_citizen_without_cases_may_be_erased(self) -> None:
        kraev_sletning_tilladt([], date(2026, 1, 1), 5)

    def test_an_open_case_keeps_everything(self) -> None:
        with pytest.raises(DomainRuleViolation) as exc:
            kraev_sletning_tilladt([Sag(uuid4(), None)], date(2040, 1, 1), 5)
        assert exc.value.rule == REGEL

    @pytest.mark.parametrize(
        ("afsluttet", "idag", "tilladt"),
        [
            (date(2020, 3, 1), date(2025, 2, 28), False),
            (date(2020, 3, 1), date(2025, 3, 1), True),
            (date(2020, 2, 29), date(2025, 2, 27), False),  # no 29 February in 2025
            (date(2020, 2, 29), date(2025, 2, 28), True),
        ],
    )
    def test_the_retention_counts_from_the_last_end(
        self, afsluttet: date, idag: date, tilladt: bool
    ) -> None:
        sager = [Sag(uuid4(), date(2019, 1, 1)), Sag(uuid4(), afsluttet)]
        if tilladt:
            kraev_sletning_tilladt(sager, idag, 5)
        else:
            with pytest.raises(DomainRuleViolation):
                kraev_sletning_tilladt(sager, idag, 5)


def test_helhedspleje_goals_stored_plain_are_upcast_to_the_citizens_personal_data() -> None:
    borger_id = uuid4()
    h = Helhedspleje(
        uuid4(),
        (uuid4(),),
        "pakke",
        None,
        "mellem",
        "fastholde",
        ("Bade selv",),
        "x",
        date(2026, 11, 2),
    )
    afgoerelse = Afgoerelse(uuid4(), date(2026, 11, 2), (), (), None, None, helhedspleje=h)
    state: dict[str, Any] = {"afgoerelse": afgoerelse, "borger_id": borger_id}
    upcasting.afgoerelse_v2_v3(state)
    goals = state["afgoerelse"].helhedspleje.individuelle_maal
    assert goals == (Personoplysning(str(borger_id), "Bade selv"),)
    # A decision without a forløb is left as it was.
    plain = {
        "afgoerelse": dataclasses.replace(afgoerelse, helhedspleje=None),
        "borger_id": borger_id,
    }
    upcasting.afgoerelse_v2_v3(plain)
    assert plain["afgoerelse"].helhedspleje is None


def test_owners_are_found_in_nested_values() -> None:
    value = {"a": [Personoplysning("b-1", "x"), {"b": (Personoplysning("b-2", "y"),)}], "c": 1}
    assert ejere(value) == {"b-1", "b-2"}
    assert ejere({"plain": "text"}) == set()


@dataclass(frozen=True)
class Levering:
    kode: str
    opgaver: tuple[str, ...]
    note: Note | None = None


def test_eje_gives_back_a_value_with_nothing_to_own_as_is() -> None:
    # Replaying an order calls eje for every delivery: no copies where nothing changes.
    lev = Levering("x", ("bad", "tøj"))
    assert eje(lev, uuid4()) is lev
    owned = Personoplysning("b-1", "a")
    assert eje(owned, "b-1") is owned
    note = Note(owned, (owned,), "k")
    assert eje(Levering("x", (), note), "b-1").note is note


def test_eje_reaches_text_nested_in_a_value() -> None:
    lev = eje(Levering("x", ("bad",), Note(fritekst("a"), (fritekst("b"),), "k")), "b-2")
    assert lev.note is not None and lev.opgaver == ("bad",)
    assert (lev.note.tekst.ejer, lev.note.under[0].ejer) == ("b-2", "b-2")
