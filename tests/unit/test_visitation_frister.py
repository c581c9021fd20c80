"""Legal clocks: the Danish working-day calendar and each case's deadlines (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.visitation.catalogue import loader
from services.visitation.catalogue.model import Frister, Sagsfrist
from services.visitation.domain import rules
from services.visitation.domain.frister import plus_frist, sagens_frister
from services.visitation.domain.kalender import (
    STANDARDKALENDER,
    er_arbejdsdag,
    foerste_i_maaneden_efter_naeste,
    plus_arbejdsdage,
    plus_maaneder,
    plus_uger,
)
from services.visitation.domain.noter import Fristoverskridelse, ny_fristoverskridelse
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Anmodning
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import fritekst

NU = datetime(2026, 3, 30, 9, tzinfo=UTC)
VIS = Aktoer("v-1", "visitator", "herlev-kommune")
SOROE = loader.load("soroe", "2024")


class TestKalender:
    def test_easter_2026_is_not_working_days(self) -> None:
        for d in (date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6)):
            assert not er_arbejdsdag(d)
        assert er_arbejdsdag(date(2026, 4, 7))

    def test_store_bededag_abolished_from_2024(self) -> None:
        assert not er_arbejdsdag(date(2023, 5, 5))  # Store Bededag 2023
        assert er_arbejdsdag(date(2024, 4, 26))  # would have been Store Bededag

    def test_ten_working_days_across_easter(self) -> None:
        assert plus_arbejdsdage(date(2026, 3, 30), 10) == date(2026, 4, 16)

    def test_four_weeks_same_weekday(self) -> None:
        assert plus_uger(date(2026, 11, 2), 4) == date(2026, 11, 30)

    def test_four_weeks_ending_on_easter_monday_runs_to_next_working_day(self) -> None:
        assert plus_uger(date(2026, 3, 9), 4) == date(2026, 4, 7)

    def test_months_clamp(self) -> None:
        assert plus_maaneder(date(2024, 1, 31), 1) == date(2024, 2, 29)
        assert plus_maaneder(date(2026, 11, 2), 24) == date(2028, 11, 2)

    @pytest.mark.parametrize(
        ("dag", "gyldig"),
        [
            (date(2026, 11, 1), date(2027, 1, 1)),
            (date(2026, 11, 30), date(2027, 1, 1)),
            (date(2026, 12, 15), date(2027, 2, 1)),
            (date(2027, 1, 31), date(2027, 3, 1)),
        ],
    )
    def test_switch_first_day_of_month_after_next(self, dag: date, gyldig: date) -> None:
        assert foerste_i_maaneden_efter_naeste(dag) == gyldig

    @given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(1, 30))
    def test_working_day_result_is_a_working_day_after_start(self, d: date, n: int) -> None:
        out = plus_arbejdsdage(d, n)
        assert er_arbejdsdag(out) and out > d
        between = [d + timedelta(days=i) for i in range(1, (out - d).days + 1)]
        assert sum(map(er_arbejdsdag, between)) == n

    @given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    def test_week_deadline_is_working_day_within_days_of_same_weekday(self, d: date) -> None:
        out = plus_uger(d, 4)
        assert er_arbejdsdag(out)
        assert timedelta(weeks=4) <= out - d <= timedelta(weeks=4, days=5)


def sag(modtaget: date = date(2026, 3, 30), *kategorier: str) -> Sag:
    anmodninger = tuple(Anmodning(uuid4(), fritekst(k), k) for k in kategorier or ("praktisk",))
    return Sag.modtag_ansoegning(uuid4(), modtaget, "telefon", "borger", anmodninger, VIS, NU)


class TestSagensFrister:
    def test_receipt_deadline_open_then_overdue(self) -> None:
        s = sag()
        (kvit,) = sagens_frister(s, None)
        assert (kvit.frist_id, kvit.frist) == ("kvittering", date(2026, 4, 16))
        assert kvit.status(date(2026, 4, 16)) == "aaben"
        assert kvit.status(date(2026, 4, 17)) == "overskredet"

    def test_receipt_sent_meets_it(self) -> None:
        s = sag()
        s.send_kvittering(date(2026, 4, 1), date(2026, 5, 25), VIS, NU)
        (kvit,) = sagens_frister(s, None)
        assert kvit.status(date(2026, 6, 1)) == "opfyldt"

    def test_kommune_decision_deadlines_per_category(self) -> None:
        s = sag(date(2026, 11, 2), "personlig", "praktisk")
        by_id = {f.frist_id: f.frist for f in sagens_frister(s, SOROE)}
        assert by_id["afgoerelse:personlig"] == date(2026, 11, 30)
        assert by_id["afgoerelse:praktisk"] == date(2026, 12, 28)
        assert "afgoerelse:personlig" not in {f.frist_id for f in sagens_frister(s, None)}

    def test_missed_deadline_recorded_once(self) -> None:
        """Noted beside the case (noter.py), once: the check may run any number of times."""
        s = sag()
        s.collect_events()
        (kvit,) = sagens_frister(s, None)
        assert ny_fristoverskridelse(s, False, kvit, date(2026, 4, 16), VIS, NU) is None  # not late
        note = ny_fristoverskridelse(s, False, kvit, date(2026, 4, 20), VIS, NU)
        assert note is not None
        assert note.id == Fristoverskridelse.create_id(s.id, "kvittering")
        assert ny_fristoverskridelse(s, True, kvit, date(2026, 4, 21), VIS, NU) is None  # noted
        assert s.collect_events() == []  # the case is not written
        (e,) = note.collect_events()
        assert isinstance(e, Fristoverskridelse.FristOverskredet)
        assert (e.sag_id, e.borger_id) == (s.id, s.borger_id)
        assert (e.frist_id, e.frist, e.konstateret_dato) == (
            "kvittering",
            date(2026, 4, 16),
            date(2026, 4, 20),
        )
        # A case that noted it in its own history (before the cut) is not noted again.
        s._frist_overskredet(
            "kvittering", "kvittering", kvit.frist, date(2026, 4, 20), s.borger_id, VIS, NU
        )
        assert ny_fristoverskridelse(s, False, kvit, date(2026, 4, 22), VIS, NU) is None

    def test_receipt_rules(self) -> None:
        s = sag()
        with pytest.raises(DomainRuleViolation) as e:
            s.send_kvittering(date(2026, 3, 1), None, VIS, NU)
        assert e.value.rule == "kvittering-ugyldig-dato"
        s.send_kvittering(date(2026, 3, 31), None, VIS, NU)
        with pytest.raises(DomainRuleViolation) as e:
            s.send_kvittering(date(2026, 4, 1), None, VIS, NU)
        assert e.value.rule == "kvittering-allerede-sendt"

    def test_revurderingsopgave_met_by_new_assessment(self) -> None:
        s = sag()
        opgave = uuid4()
        assert s.opret_revurderingsopgave(
            opgave, "x", date(2026, 4, 1), date(2026, 4, 15), "Faldet", ("B1-8",), VIS, NU
        )
        assert not s.opret_revurderingsopgave(
            opgave, "x", date(2026, 4, 1), date(2026, 4, 15), "Faldet", ("B1-8",), VIS, NU
        )
        (f,) = [f for f in sagens_frister(s, None) if f.fristtype == "revurderingsopgave"]
        assert f.status(date(2026, 4, 16)) == "overskredet"


def test_klagefrist_uses_calendar() -> None:
    assert rules.klagefrist(date(2026, 3, 9)) == date(2026, 4, 7)
    assert not rules.klage_for_sent(date(2026, 3, 9), date(2026, 4, 7))
    assert rules.klage_for_sent(date(2026, 3, 9), date(2026, 4, 8))


class TestTypedeSagsfrister:
    """Schema v2: receipt, the visitator's visit and the decision per category as typed
    durations; the v1 fields with the unit in their name still apply where absent."""

    @staticmethod
    def frister(**typed: object) -> Frister:
        return Frister.model_validate(typed)

    def test_each_unit_counts_in_the_kommunes_calendar(self) -> None:
        mandag = date(2026, 3, 30)  # Easter: 2, 3 and 6 April are holidays
        cases = [
            ({"vaerdi": 10, "enhed": "arbejdsdage"}, date(2026, 4, 16)),
            ({"vaerdi": 3, "enhed": "kalenderdage"}, date(2026, 4, 2 + 5)),  # Thu -> Tue
            ({"vaerdi": 1, "enhed": "uger"}, date(2026, 4, 7)),  # Easter Monday -> Tue
            ({"vaerdi": 2, "enhed": "maaneder"}, date(2026, 6, 1)),  # 30 May is a Saturday
        ]
        for frist, slut in cases:
            assert plus_frist(STANDARDKALENDER, mandag, Sagsfrist.model_validate(frist)) == slut

    def test_the_typed_form_wins_and_v1_fields_remain_the_fallback(self) -> None:
        v1 = Frister(kvittering_arbejdsdage=5, afgoerelse_personlig_uger=4)
        assert v1.kvitteringsfrist() == Sagsfrist(vaerdi=5, enhed="arbejdsdage")
        assert v1.afgoerelsesfrist("personlig") == Sagsfrist(vaerdi=4, enhed="uger")
        assert v1.afgoerelsesfrist("praktisk") is None and v1.visitationsbesoegsfrist() is None
        v2 = self.frister(
            kvittering_arbejdsdage=5,
            kvittering={"vaerdi": 3, "enhed": "kalenderdage"},
            visitationsbesoeg={"vaerdi": 8, "enhed": "arbejdsdage"},
            afgoerelse={"praktisk": {"vaerdi": 2, "enhed": "maaneder"}},
        )
        assert v2.kvitteringsfrist() == Sagsfrist(vaerdi=3, enhed="kalenderdage")
        assert v2.visitationsbesoegsfrist() == Sagsfrist(vaerdi=8, enhed="arbejdsdage")
        assert v2.afgoerelsesfrist("praktisk") == Sagsfrist(vaerdi=2, enhed="maaneder")

    def test_a_case_gets_its_deadlines_from_the_typed_promises(self) -> None:
        katalog = SOROE.model_copy(
            update={
                "frister": self.frister(
                    kvittering={"vaerdi": 3, "enhed": "kalenderdage"},
                    visitationsbesoeg={"vaerdi": 8, "enhed": "arbejdsdage"},
                    afgoerelse={"personlig": {"vaerdi": 10, "enhed": "arbejdsdage"}},
                )
            }
        )
        ny = sag(date(2026, 3, 30), "personlig")
        frister = {f.frist_id: f.frist for f in sagens_frister(ny, katalog)}
        assert frister["kvittering"] == date(2026, 4, 7)  # 2 April is Skærtorsdag
        assert frister["visitationsbesoeg"] == date(2026, 4, 14)  # 3, 6 April too
        assert frister["afgoerelse:personlig"] == date(2026, 4, 16)

    def test_an_unknown_unit_is_refused_with_its_path(self) -> None:
        with pytest.raises(ValidationError) as e:
            self.frister(afgoerelse={"personlig": {"vaerdi": 4, "enhed": "fortnights"}})
        assert e.value.errors()[0]["loc"] == ("afgoerelse", "personlig", "enhed")
