"""A visitation store written while complaints, order receipts and the providers' notes
lived in the case's own history still loads and takes commands:
`tests/fixtures/visitation-v1.sqlite`, written by `tests/fixtures/lav_visitation_v1.py`
with that code.

The old case is read as before (GET /sager/{id} and the public events, from which
supervision's aktindsigt is built), and new complaints, receipts and notes on old cases are
recorded, shown and published with the same shape."""

from __future__ import annotations

import json
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.supervision.application.aktindsigt import Aktindsigt
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.frister import Arbejdsopgave, Frister
from services.visitation.application.policies import VisitationPolicy
from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.klagesag import klage_id
from shared.contracts import PublicEvent
from shared.infra.crypto_shredding import KeyStore
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.infra.settings import ServiceSettings
from tests.fixtures.lav_visitation_v1 import (
    BAD,
    GAMMEL_MODTAGET,
    MASTER,
    RENGOERING,
    SVIGT_UGER,
    TOEJVASK,
    UNG_BAD,
    UNG_MODTAGET,
    VISITATOR,
    provider_event,
)
from tests.integration.test_sletning import VIS
from tests.integration.test_sletning import _client as visitation_client

pytestmark = pytest.mark.integration
#: An aktindsigt answer as of a moment after everything a test records.
ALT_KENDT = datetime(2100, 1, 1, tzinfo=UTC)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
#: The public events the old store publishes, by type (supervision's aktindsigt and case
#: view are folded from exactly these).
PUBLICERET_V1 = {
    "AnsoegningModtaget": 2,
    "KvitteringSendt": 1,
    "FunktionsvurderingRegistreret": 3,
    "AfgoerelseTruffet": 3,
    "AfgoerelseMeddelt": 1,
    "BestillingKvitteret": 3,
    "KlageOprettet": 3,
    "KlageGenvurderet": 1,
    "AnkestyrelsensAfgoerelse": 1,
    "LeverandoerSkiftet": 1,
    "FristOverskredet": 2,
}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[VisitationApplication]:
    shutil.copy(FIXTURES / "visitation-v1.sqlite", tmp_path / "visitation-v1.sqlite")
    shutil.copy(FIXTURES / "visitation-v1-keys.sqlite", tmp_path / "keys.sqlite")
    keys = KeyStore(MASTER, sqlite_path=tmp_path / "keys.sqlite")
    app = VisitationApplication(
        env=store_env(ServiceSettings(data_dir=tmp_path), "visitation-v1"), keys=keys
    )
    yield app
    app.close()


def sager(app: VisitationApplication) -> tuple[UUID, UUID]:
    by_date = {app.hent_sag(i).modtaget_dato: i for i in Frister(app).sag_ids()}
    return by_date[GAMMEL_MODTAGET], by_date[UNG_MODTAGET]


def published(app: VisitationApplication) -> list[PublicEvent]:
    notes = app.process_recorder.select_notifications(start=1, limit=10_000)
    return public_events(app, "visitation", to_public, notes, {})


def consume(app: VisitationApplication, event: PublicEvent) -> None:
    app.save(*VisitationPolicy(app)(event))


def kvittering(sag_id: UUID, bevilling_id: UUID, d: date) -> PublicEvent:
    return provider_event(
        sag_id,
        "BestillingModtaget",
        datetime(d.year, d.month, d.day, 7, tzinfo=UTC),
        {
            "bestilling_id": str(uuid.uuid5(bevilling_id, "omsorg-plus-aps")),
            "bevilling_id": str(bevilling_id),
            "leverandoer_id": "omsorg-plus-aps",
            "indsats_kode": "H1.3",
            "kategori": "personlig",
            "minutter_pr_besoeg": 30,
        },
    )


def svigt(sag_id: UUID, d: date) -> PublicEvent:
    return provider_event(
        sag_id,
        "LeveringSvigtet",
        datetime(d.year, d.month, d.day, 9, tzinfo=UTC) + timedelta(days=9),
        {
            "besoeg_id": str(uuid.uuid5(BAD, d.isoformat())),
            "bestilling_id": str(uuid.uuid5(BAD, "omsorg-plus-aps")),
            "leverandoer_id": "omsorg-plus-aps",
            "oprindelig_dato": d.isoformat(),
            "erstatning_frist": (d + timedelta(days=8)).isoformat(),
            "aarsag": "Ingen medarbejder",
        },
    )


def vist(client: TestClient, sag_id: UUID) -> dict[str, Any]:
    r = client.get(f"/sager/{sag_id}", headers=VIS)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_old_cases_read_as_written(app: VisitationApplication) -> None:
    gammel, ung = sager(app)
    sag = vist(visitation_client(app), gammel)
    assert {k["klagetype"] for k in sag["klager"]} == {"afgoerelse", "levering"}
    assert len(sag["leveringssvigt"]) == SVIGT_UGER
    assert {b["bevilling_id"] for b in sag["kvitterede_bestillinger"]} == {
        str(BAD),
        str(RENGOERING),
        str(TOEJVASK),
    }
    assert [a["leverandoer_id"] for a in sag["afviste_bestillinger"]] == ["diakonien-selvejende"]
    assert len(sag["aendringsindberetninger"]) == 3
    assert [a["beskrivelse"] for a in sag["aendringsindberetninger"]] == [
        "Faldet 1. gang",
        "Faldet 2. gang",
        "Faldet 3. gang",
    ]
    assert len(sag["afgoerelser"]) == 2
    assert app.hent_sag(gammel).ankeafgoerelser  # hjemvist: the reason for decision 2
    assert vist(visitation_client(app), ung)["kvitterede_bestillinger"] == []
    # The old store gained the demo providers at start (4 created, 9 windows approved).
    assert Counter(e.event_type for e in published(app)) == {
        **PUBLICERET_V1,
        "LeverandoerregisterAendret": 13,
    }


def test_new_complaints_receipts_and_notes_on_old_cases(app: VisitationApplication) -> None:
    gammel, ung = sager(app)
    client = visitation_client(app)
    before = len(published(app))

    # A complaint on the two-year-old case, and the young case's complaint reconsidered.
    klage = app.opret_klage(gammel, "levering", date(2026, 11, 20), "Kom ikke igen", VISITATOR)
    (ung_klage,) = app.hent_sag(ung).klager
    app.genvurder_klage(
        ung, ung_klage.klage_id, date(2026, 10, 1), "fastholdt", "Behov dækket", VISITATOR
    )
    versioner = {i: app.hent_sag(i).version for i in (gammel, ung)}
    # The young case's order is acknowledged; the old case's again (a redelivery): once.
    consume(app, kvittering(ung, UNG_BAD, date(2026, 10, 2)))
    consume(app, kvittering(ung, UNG_BAD, date(2026, 10, 2)))
    consume(app, kvittering(gammel, BAD, date(2026, 10, 2)))
    # One more delivery failure on the old case, and one already noted (redelivered).
    consume(app, svigt(gammel, date(2026, 11, 16)))
    consume(app, svigt(gammel, GAMMEL_MODTAGET + timedelta(days=10)))
    # The clock check finds nothing new to record twice.
    assert Frister(app).kontroller(date(2026, 11, 30)) == []
    # The notes went beside the cases (noter.py), not into them; the old ones stay inside.
    assert {i: app.hent_sag(i).version for i in (gammel, ung)} == versioner
    assert app.kvittering(ung, UNG_BAD) is not None
    assert app.kvittering(gammel, BAD) is None  # its receipt is in the case's old history
    nov = app.leveringsnoter(gammel, date(2026, 11, 16))
    assert list(nov.leveringssvigt) == [uuid.uuid5(BAD, "2026-11-16")]
    assert len(app.hent_sag(gammel).leveringssvigt) == SVIGT_UGER

    g = vist(client, gammel)
    assert str(klage.klage_id) in {k["klage_id"] for k in g["klager"]}
    assert len(g["leveringssvigt"]) == SVIGT_UGER + 1
    assert len(g["kvitterede_bestillinger"]) == 3
    u = vist(client, ung)
    assert u["kvitterede_bestillinger"] == [
        {"bevilling_id": str(UNG_BAD), "leverandoer_id": "omsorg-plus-aps"}
    ]

    nye = published(app)[before:]
    assert [(e.event_type, e.case_id) for e in nye] == [
        ("KlageOprettet", gammel),
        ("KlageGenvurderet", ung),
        ("BestillingKvitteret", ung),
    ]
    assert nye[2].data == {"bevilling_id": str(UNG_BAD), "leverandoer_id": "omsorg-plus-aps"}

    # A year on, the clock check notes what is newly missed beside the cases, once, and
    # never again what the old case noted in its history.
    # A new complaint on the young case is never reconsidered: its deadline is missed.
    ny = app.opret_klage(ung, "afgoerelse", date(2026, 11, 20), "Stadig uenig", VISITATOR)
    gamle = app.hent_sag(gammel).overskredne_frister | app.hent_sag(ung).overskredne_frister
    assert len(gamle) == 2
    versioner = {i: app.hent_sag(i).version for i in (gammel, ung)}
    nye_frister = [
        o for o in Frister(app).kontroller(date(2027, 12, 1)) if isinstance(o, Arbejdsopgave)
    ]
    assert [(o.sag_id, o.frist.frist_id) for o in nye_frister] == [
        (ung, f"genvurdering:{ny.klage_id}")
    ]
    assert Frister(app).kontroller(date(2027, 12, 2)) == []
    assert {i: app.hent_sag(i).version for i in (gammel, ung)} == versioner
    (sidst,) = [e for e in published(app) if e.event_type == "FristOverskredet"][-1:]
    assert sidst.case_id in (gammel, ung) and sidst.data["konstateret_dato"] == "2027-12-01"

    # A fresh application replays every aggregate of the old and the new alike.
    fresh = VisitationApplication(env=app.env, keys=app.keys)
    try:
        assert vist(visitation_client(fresh), gammel) == {**g, "version": g["version"]}
    finally:
        fresh.close()


def test_a_complaint_on_the_old_case_reopens_it_beside_its_old_complaints(
    app: VisitationApplication,
) -> None:
    """The old case has two decisions, two complaints in its history and one reopening
    (Ankestyrelsen sent the first decision back). A new complaint is a Klagesag beside it:
    its deadline, its reconsideration and Ankestyrelsen's outcome count with the old ones,
    and its reopening allows a third decision."""
    gammel, _ = sager(app)
    client = visitation_client(app)
    version = app.hent_sag(gammel).version
    assert app.hent_sag(gammel).kan_afgoere(app.klagesager(gammel)) is False

    klage = app.opret_klage(gammel, "afgoerelse", date(2026, 11, 20), "Uenig igen", VISITATOR)
    assert klage.klage_id == klage_id(gammel, 1) and klage.for_sent is True
    frister = {f.frist_id: f for f in Frister(app).for_sag(gammel)}
    assert frister[f"genvurdering:{klage.klage_id}"].opfyldt_dato is None
    app.genvurder_klage(
        gammel, klage.klage_id, date(2026, 11, 25), "fastholdt", "Uændret", VISITATOR
    )
    frister = {f.frist_id: f for f in Frister(app).for_sag(gammel)}
    assert frister[f"genvurdering:{klage.klage_id}"].opfyldt_dato == date(2026, 11, 25)
    app.registrer_ankestyrelsens_afgoerelse(
        gammel, klage.klage_id, date(2026, 11, 30), "aendret", "Tøjvask hver uge", VISITATOR
    )
    sag = app.hent_sag(gammel)
    assert sag.version == version  # the case itself was read, not written
    assert sag.kan_afgoere(app.klagesager(gammel)) is True

    g = vist(client, gammel)
    assert len(g["klager"]) == 3 and g["klager"][-1]["klage_id"] == str(klage.klage_id)
    assert [a["udfald"] for a in g["sagsbehandling"]["ankestyrelsen"]] == ["hjemvist", "aendret"]
    nye = published(app)[-3:]
    assert [(e.event_type, e.case_id) for e in nye] == [
        ("KlageOprettet", gammel),
        ("KlageGenvurderet", gammel),
        ("AnkestyrelsensAfgoerelse", gammel),
    ]
    assert nye[0].data["klage_id"] == str(klage.klage_id)
    assert nye[2].data == {
        "klage_id": str(klage.klage_id),
        "dato": "2026-11-30",
        "udfald": "aendret",
        "begrundelse": "Tøjvask hver uge",
    }


def test_aktindsigt_in_supervision_lists_the_old_and_the_new(
    app: VisitationApplication, tmp_path: Path
) -> None:
    """Supervision's aktindsigt is folded from visitation's public events: the old case's
    answer lists what its history holds and what now lives beside it (a new complaint with
    its reconsideration, a receipt), each once."""
    gammel, ung = sager(app)
    klage = app.opret_klage(gammel, "afgoerelse", date(2026, 11, 20), "Uenig igen", VISITATOR)
    app.genvurder_klage(
        gammel, klage.klage_id, date(2026, 11, 21), "medhold", "Tøjvask skal ses", VISITATOR
    )
    consume(app, kvittering(ung, UNG_BAD, date(2026, 10, 2)))

    supervision = SupervisionApplication(
        env=store_env(ServiceSettings(data_dir=tmp_path / "s"), "supervision"), keys=app.keys
    )
    try:
        record = RecordEverything(supervision)
        for e in published(app):
            supervision.save(*record(e))
        aktindsigt = Aktindsigt(supervision, Tilsynsprojektioner(supervision))
        svar: dict[str, Any] = {}
        for sag_id in (gammel, ung):
            anmodning = aktindsigt.anmod(
                sag_id, "Jens", "part", "Hele sagen", date(2026, 12, 1), VISITATOR
            )
            svar[str(sag_id)] = aktindsigt.svar(anmodning.id, ALT_KENDT, ALT_KENDT)
    finally:
        supervision.close()
    g, u = (json.dumps(svar[str(i)], default=str, ensure_ascii=False) for i in (gammel, ung))
    for tekst in ("Ønsker tøjvask", "Kom ikke to gange", "Uenig igen", "Tøjvask skal ses"):
        assert g.count(tekst) == 1, tekst  # old complaints, the new one and its reconsideration
    # From the case's own history: the old reconsideration and Ankestyrelsen's outcome.
    assert g.count("Behov dækket") == 1 and g.count("Tøjvask ikke vurderet") == 1
    assert g.count("Bestilling kvitteret af omsorg-plus-aps") == 3  # the three old receipts
    assert u.count("For lidt bad") == 1
    assert u.count("Bestilling kvitteret af omsorg-plus-aps") == 1  # the new receipt
