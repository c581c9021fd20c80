"""Supervision's copy of the published events keeps the citizen's free text only encrypted
under the citizen's key, on both stores: the history, the case state and the aktindsigt
read it as text; once the key is erased they read the placeholder (also from a warm cache),
and the read models rebuilt from the store equal the live ones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.supervision.application.aktindsigt import Aktindsigt
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from shared.contracts import PublicEvent
from shared.infra.crypto_shredding import KeyStore, KeyStoreSettings, new_master_key
from shared.infra.eventstore import store_env
from shared.kernel import Aktoer
from shared.kernel.personoplysning import SLETTET_TEKST, sagens_ejer
from tests.conftest import SettingsFactory

pytestmark = pytest.mark.integration

ANMODNING, KLAGE, AFLYSNING = "Bad efter hofteoperation", "Datteren er uenig", "Indlagt på OUH"
TIDLIG = "Hospitalet ringede"  # a provider's note that arrives before visitation's events
TIL = Aktoer("tilsyn-ole", "tilsyn", "kommunen")


#: When the aktindsigt is answered: after everything the test recorded.
SVARET = datetime(2026, 12, 1, 12, tzinfo=UTC)


def envelope(sag_id: UUID, source: str, n: int, event_type: str, **data: Any) -> PublicEvent:
    moment = datetime(2026, 11, 2, 8, n, tzinfo=UTC).isoformat()
    return PublicEvent.model_validate(
        {
            "event_id": str(uuid4()),
            "event_type": event_type,
            "schema_version": 1,
            "source": source,
            "case_id": str(sag_id),
            "sequence": n,
            "case_sequence": n,
            "occurred_at": moment,
            "recorded_at": moment,
            "actor": {"id": "x", "rolle": "visitator", "organisation": "kommunen"},
            "data": data,
        }
    )


def aflyst(sag_id: UUID, n: int, aarsag: str) -> PublicEvent:
    return envelope(
        sag_id,
        "provider",
        n,
        "BesoegAflyst",
        besoeg_id=str(uuid4()),
        bestilling_id=str(uuid4()),
        leverandoer_id="omsorg-plus-aps",
        aflyst_af="borger",
        aarsag=aarsag,
        varsel_timer=30.0,
        rettidig=True,
    )


def flow(sag_id: UUID, borger_id: UUID) -> list[PublicEvent]:
    return [
        aflyst(sag_id, 1, TIDLIG),  # before any event names the citizen
        envelope(
            sag_id,
            "visitation",
            2,
            "AnsoegningModtaget",
            borger_id=str(borger_id),
            modtaget_dato="2026-11-02",
            kanal="telefon",
            henvendelse_fra="borger",
            anmodninger=[
                {"anmodning_id": str(uuid4()), "beskrivelse": ANMODNING, "kategori": "personlig"}
            ],
        ),
        envelope(
            sag_id,
            "visitation",
            3,
            "KlageOprettet",
            klage_id=str(uuid4()),
            klagetype="afgoerelse",
            modtaget_dato="2026-11-02",
            beskrivelse=KLAGE,
        ),
        aflyst(sag_id, 4, AFLYSNING),
    ]


def raw_states(app: SupervisionApplication) -> bytes:
    notifications = app.process_recorder.select_notifications(start=1, limit=1000)
    return b"".join(n.state for n in notifications)


def texts(app: SupervisionApplication, sag_id: UUID) -> dict[str, Any]:
    h = {x["event_type"] + str(x["sequence"]): x["data"] for x in app.historik(sag_id)}
    return {
        "tidlig": h["BesoegAflyst1"]["aarsag"],
        "anmodning": h["AnsoegningModtaget2"]["anmodninger"][0]["beskrivelse"],
        "klage": h["KlageOprettet3"]["beskrivelse"],
        "aflysning": h["BesoegAflyst4"]["aarsag"],
        "replay": app.hent_forloeb(sag_id).historik()[2]["data"]["beskrivelse"],
    }


def test_free_text_is_encrypted_and_an_erasure_reaches_supervision(
    store_settings: SettingsFactory, tmp_path: Path
) -> None:
    keys = KeyStore.from_settings(
        KeyStoreSettings(master_key=new_master_key(), cache_seconds=0), tmp_path / "keys"
    )
    env = store_env(store_settings("supervision"), "supervision")
    app = SupervisionApplication(env=env, keys=keys)
    record = RecordEverything(app)
    sag_id, borger_id = uuid4(), uuid4()
    for event in flow(sag_id, borger_id):
        app.save(*record(event))

    stored = raw_states(app)
    assert b"KlageOprettet" in stored  # the envelopes are there, readable but for free text
    for text in (ANMODNING, KLAGE, AFLYSNING, TIDLIG):
        assert text.encode() not in stored, text
    assert texts(app, sag_id) == {
        "tidlig": TIDLIG,
        "anmodning": ANMODNING,
        "klage": KLAGE,
        "aflysning": AFLYSNING,
        "replay": KLAGE,
    }
    live = Tilsynsprojektioner(app)
    live.catch_up()

    # The erasure visitation performs: the citizen's key and the case's own subject.
    keys.erase(sagens_ejer(sag_id))
    keys.erase(str(borger_id))

    # The warm cache and a fresh process both read the placeholder now.
    fresh = SupervisionApplication(env=env, keys=keys)
    for reader in (app, fresh):
        assert set(texts(reader, sag_id).values()) == {SLETTET_TEKST}
        tilstand = reader.tilstand(sag_id)
        assert tilstand["borger_id"] == str(borger_id)
        assert KLAGE not in str(tilstand) and AFLYSNING not in str(tilstand)

    # The figures never held the free text: a rebuild from the store equals the live ones.
    rebuilt = Tilsynsprojektioner(fresh)
    rebuilt.catch_up()
    assert rebuilt.resultater() == live.resultater()
    maaned = rebuilt.resultater()["tilsynstal"]["leverandoerer"]["omsorg-plus-aps"]["2026-11"]
    assert maaned["aflysninger"] == {"borger": {"rettidig": 2}}

    # The aktindsigt still answers, with the placeholder where the text was.
    aktindsigt = Aktindsigt(fresh, rebuilt)
    anmodning = aktindsigt.anmod(sag_id, "Borgeren", "part", "Hele sagen", date(2026, 11, 3), TIL)
    svar = aktindsigt.svar(anmodning.id, SVARET, SVARET)
    assert KLAGE not in str(svar) and SLETTET_TEKST in str(svar)
