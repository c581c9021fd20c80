"""The kommune as data (name, address, closed days, schedule), the visitator's visit
deadline, and when a decision reached the citizen (klagefrist from that day). No I/O but
temporary files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.catalogue import loader
from services.visitation.catalogue.kommune import Kommune
from services.visitation.domain.afgoerelsesbrev import brevdata
from services.visitation.domain.frister import sagens_frister
from services.visitation.domain.kalender import STANDARDKALENDER, Arbejdskalender
from services.visitation.domain.klagesag import ny_klage
from services.visitation.domain.meddelelse import Meddelelsesdel
from services.visitation.domain.sag import Sag
from services.visitation.domain.values import Anmodning
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from shared.kernel import DomainRuleViolation, NotFound
from shared.kernel.personoplysning import fritekst
from tests.unit.test_visitation_domain import (
    SAGSBEHANDLER,
    TRUFFET,
    VISITATOR,
    afgjort_sag,
    vurdering,
)

HERLEV = loader.load("herlev", "2013")
NU = datetime(2026, 12, 30, 9, tzinfo=UTC)

HOERSHOLM_YAML = """\
kode: hoersholm
navn: Hørsholm Kommune
enhed: Visitation og Hjælpemidler
adresse:
  linjer: [Ådalsparkvej 2]
  postnummer: "2970"
  by: Hørsholm
kontakt: {telefon: 48 49 00 00, email: visitation@hoersholm.dk}
lukkedage:
  aarlige: ["12-24", "12-31"]
  datoer: [2027-05-07]
kvalitetsstandarder:
  - {version: "2026", fra: 2026-01-01}
"""


@pytest.fixture
def hoersholm(tmp_path: Path) -> Kommune:
    (tmp_path / "hoersholm").mkdir()
    (tmp_path / "hoersholm" / "kommune.yaml").write_text(HOERSHOLM_YAML, encoding="utf-8")
    return loader.load_kommune("hoersholm", tmp_path)


class TestKommuneFile:
    def test_shipped_kommuner_sign_with_their_own_names(self) -> None:
        assert loader.load_kommune("herlev").afsender == "Herlev Kommune, Visitationen"
        assert loader.load_kommune("soroe").navn == "Sorø Kommune"
        assert loader.load_kommune("herlev").ikrafttraeden("2013") == date(2013, 1, 1)

    def test_a_new_kommune_with_aeoeaa_from_a_file(self, hoersholm: Kommune) -> None:
        assert hoersholm.afsender == "Hørsholm Kommune, Visitation og Hjælpemidler"
        assert hoersholm.adresse.som_linjer() == ["Ådalsparkvej 2", "2970 Hørsholm"]

    def test_kommune_files_are_not_standards(self) -> None:
        assert all(isinstance(k.kommune, str) for k in loader.katalog())
        assert not any(getattr(k, "version", "") == "kommune" for k in loader.katalog())

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"ukendt": 1}, "ukendt"),
            ({"lukkedage": {"aarlige": ["12-32"]}}, "lukkedage"),
            ({"adresse": {"linjer": ["x"], "postnummer": "29700", "by": "y"}}, "postnummer"),
            (
                {"kvalitetsstandarder": [{"version": "1", "fra": "2026-01-01"}] * 2},
                "kvalitetsstandarder",
            ),
        ],
    )
    def test_invalid_kommune_data_refused(self, change: dict[str, object], field: str) -> None:
        data = {
            "kode": "x",
            "navn": "X Kommune",
            "adresse": {"linjer": ["a"], "postnummer": "1234", "by": "b"},
        }
        with pytest.raises(ValidationError, match=field):
            Kommune.model_validate({**data, **change})

    def test_a_file_for_another_kommune_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "andet").mkdir()
        (tmp_path / "andet" / "kommune.yaml").write_text(HOERSHOLM_YAML, encoding="utf-8")
        with pytest.raises(ValueError, match="declares kommune hoersholm"):
            loader.load_kommune("andet", tmp_path)


class TestClosedDays:
    def test_default_counts_24_and_31_december(self) -> None:
        assert STANDARDKALENDER.er_arbejdsdag(date(2026, 12, 24))
        assert STANDARDKALENDER.plus_arbejdsdage(date(2026, 12, 21), 3) == date(2026, 12, 24)

    def test_the_kommunes_closed_days_do_not_count(self, hoersholm: Kommune) -> None:
        k = hoersholm.kalender()
        assert not k.er_arbejdsdag(date(2026, 12, 24))
        assert not k.er_arbejdsdag(date(2027, 5, 7))
        # 22, 23 (24 closed, 25-27 holidays and Sunday), 28
        assert k.plus_arbejdsdage(date(2026, 12, 21), 3) == date(2026, 12, 28)
        # 4 weeks from 3 Dec ends on 31 Dec, closed: runs to the next working day
        assert k.plus_uger(date(2026, 12, 3), 4) == date(2027, 1, 4)

    def test_receipt_deadline_counts_the_kommunes_calendar(self) -> None:
        sag = Sag.modtag_ansoegning(
            uuid4(), date(2026, 12, 14), "telefon", "borger",
            (Anmodning(uuid4(), fritekst("rengøring"), "praktisk"),), VISITATOR, NU,
        )  # fmt: skip
        lukket = Arbejdskalender(frozenset({(12, 24), (12, 31)}))
        (standard,) = [f for f in sagens_frister(sag, None) if f.fristtype == "kvittering"]
        (kommunens,) = [f for f in sagens_frister(sag, None, lukket) if f.fristtype == "kvittering"]
        assert (standard.frist, kommunens.frist) == (date(2026, 12, 29), date(2026, 12, 30))


class TestVisitationsbesoeg:
    def sag(self) -> Sag:
        return Sag.modtag_ansoegning(
            uuid4(), date(2026, 3, 30), "telefon", "borger",
            (Anmodning(uuid4(), fritekst("rengøring"), "praktisk"),), VISITATOR, NU,
        )  # fmt: skip

    def test_herlev_promises_a_visit_within_10_working_days(self) -> None:
        s = self.sag()
        (besoeg,) = [f for f in sagens_frister(s, HERLEV) if f.fristtype == "visitationsbesoeg"]
        assert besoeg.frist == date(2026, 4, 16)  # 10 working days across Easter
        assert besoeg.status(date(2026, 4, 17)) == "overskredet"

    def test_the_assessment_at_the_visit_meets_it(self) -> None:
        s = self.sag()
        s.registrer_funktionsvurdering(vurdering(vurderet_dato=date(2026, 4, 8)), VISITATOR, NU)
        (besoeg,) = [f for f in sagens_frister(s, HERLEV) if f.fristtype == "visitationsbesoeg"]
        assert besoeg.status(date(2026, 5, 1)) == "opfyldt"

    def test_no_promise_no_deadline(self) -> None:
        soroe = loader.load("soroe", "2024")
        assert soroe.frister.visitationsbesoeg_arbejdsdage is None
        assert all(f.fristtype != "visitationsbesoeg" for f in sagens_frister(self.sag(), soroe))


class TestMeddelelse:
    def test_klagefrist_runs_from_the_notice(self) -> None:
        sag, afg = afgjort_sag()
        assert sag.klagefrist(afg) == TRUFFET + timedelta(weeks=4)
        sag.meddel_afgoerelse(
            afg.afgoerelse_id, TRUFFET + timedelta(days=3), "brev", SAGSBEHANDLER, NU
        )
        assert sag.klagefrist(afg) == TRUFFET + timedelta(weeks=4, days=3)
        sent = TRUFFET + timedelta(weeks=4, days=2)
        klage = ny_klage(sag, 1, "afgoerelse", sent, "Uenig", VISITATOR, NU).klage
        assert klage.for_sent is False  # late counted from the decision, not from the notice
        (e,) = [e for e in sag.collect_events() if isinstance(e, Meddelelsesdel.AfgoerelseMeddelt)]
        assert (e.meddelt_dato, e.kanal) == (TRUFFET + timedelta(days=3), "brev")

    def test_without_notice_as_before(self) -> None:
        sag, _ = afgjort_sag()
        sent = TRUFFET + timedelta(weeks=4, days=1)
        assert ny_klage(sag, 1, "afgoerelse", sent, "Uenig", VISITATOR, NU).klage.for_sent

    @pytest.mark.parametrize(
        ("dage", "kanal", "rule"),
        [
            (-1, "brev", "meddelt-foer-afgoerelse"),
            (1, "sms", "meddelelseskanal-ukendt"),
            (5000, "brev", "meddelt-i-fremtiden"),
        ],
    )
    def test_rules(self, dage: int, kanal: str, rule: str) -> None:
        sag, afg = afgjort_sag()
        with pytest.raises(DomainRuleViolation) as exc:
            sag.meddel_afgoerelse(
                afg.afgoerelse_id, TRUFFET + timedelta(days=dage), kanal, VISITATOR, NU
            )
        assert exc.value.rule == rule

    def test_once_per_decision_a_retry_is_a_no_op(self) -> None:
        sag, afg = afgjort_sag()
        sag.meddel_afgoerelse(afg.afgoerelse_id, TRUFFET, "digital_post", VISITATOR, NU)
        sag.meddel_afgoerelse(afg.afgoerelse_id, TRUFFET, "digital_post", VISITATOR, NU)
        meddelt = Meddelelsesdel.AfgoerelseMeddelt
        assert len([e for e in sag.collect_events() if isinstance(e, meddelt)]) == 1
        with pytest.raises(DomainRuleViolation) as exc:
            sag.meddel_afgoerelse(afg.afgoerelse_id, TRUFFET, "brev", VISITATOR, NU)
        assert exc.value.rule == "afgoerelse-allerede-meddelt"
        with pytest.raises(DomainRuleViolation) as exc:
            sag.meddel_afgoerelse(uuid4(), TRUFFET, "brev", VISITATOR, NU)
        assert exc.value.rule == "afgoerelse-findes-ikke"


class TestBrev:
    def test_signed_by_the_kommune_from_its_file(self, hoersholm: Kommune) -> None:
        sag, _ = afgjort_sag()
        brev = brevdata(sag, 1, "Jens Hansen", hoersholm, None)
        assert brev["afsender"] == "Hørsholm Kommune, Visitation og Hjælpemidler"
        assert brev["adresse"] == ["Ådalsparkvej 2", "2970 Hørsholm"]
        assert "Telefon 48 49 00 00" in brev["kontakt"]
        assert "Hørsholm Kommune, Visitation og Hjælpemidler" in brev["levering"]
        assert brev["meddelt"] is None and brev["klagefrist"] == "2024-04-08"

    def test_the_letter_shows_the_klagefrist_from_the_notice(self, hoersholm: Kommune) -> None:
        sag, afg = afgjort_sag()
        sag.meddel_afgoerelse(afg.afgoerelse_id, date(2024, 3, 13), "digital_post", VISITATOR, NU)
        brev = brevdata(sag, 1, "Jens Hansen", hoersholm, None)
        assert brev["klagefrist"] == "2024-04-10"
        assert brev["meddelt"] == {"dato": "2024-03-13", "kanal": "digital_post"}
        assert (
            "Du modtog den 13. marts 2024 (Digital Post), så fristen udløber 10. april 2024."
            in brev["klagevejledning"][0]
        )


def test_without_a_kommune_file_deadlines_still_run_and_the_letter_refuses(
    tmp_path: Path,
) -> None:
    settings = ServiceSettings(data_dir=tmp_path / "data", katalog_dir=tmp_path)
    app = VisitationApplication(env=store_env(settings, "visitation"), settings=settings)
    assert app.kalender == STANDARDKALENDER
    with pytest.raises(NotFound):
        app.kommunedata  # noqa: B018
