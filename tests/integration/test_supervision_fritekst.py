"""Supervision's copy of the published events keeps the citizen's free text only encrypted
under the citizen's key, on both stores: the history, the case state and the aktindsigt
read it as text; once the key is erased they read the placeholder (also from a warm cache),
and the read models rebuilt from the store equal the live ones."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.supervision.application.aktindsigt import Aktindsigt
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.supervision.wiring import build
from shared.contracts import PublicEvent
from shared.infra.crypto_shredding import KeyStore, KeyStoreSettings, new_master_key
from shared.infra.eventstore import store_env
from shared.kernel import Aktoer
from shared.kernel.personoplysning import SLETTET_TEKST, sagens_ejer
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_supervision_replay import feed, scenario

pytestmark = pytest.mark.integration

ANMODNING, KLAGE, AFLYSNING = "Bad efter hofteoperation", "Datteren er uenig", "Indlagt på OUH"
TIDLIG = "Hospitalet ringede"  # a provider's note that arrives before visitation's events
TIL = Aktoer("tilsyn-ole", "tilsyn", "kommunen")
TIL_HTTP = {**headers_for("tilsyn", "tilsyn-ole"), "X-Formaal": "tilsynsbesoeg"}


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


#: The requester's name, the scope and an inspector's finding: one word each that the
#: PDF cannot wrap apart, so a byte check of the uncompressed PDF finds them.
ANMODER, OMFANG = "Advokat Lindqvist", "Journalen om faldet i badeværelset"
FUND, OPFOELGNING, ANSVARLIG = "Medicinskabet stod åbent", "Låste skabe", "Leder Hjortshøj"


def _alt(client: TestClient, url: str, tilsyn_url: str) -> str:
    """Everything supervision serves about the request and the inspection, as text (the
    uncompressed PDFs as Latin-1, as the core fonts write them)."""
    dele = [
        client.get(url, headers=TIL_HTTP).text,
        client.get(f"{url}/svar", headers=TIL_HTTP).text,
        client.get(f"{url}/svar", headers=TIL_HTTP, params={"format": "html"}).text,
        client.get(f"{url}/svar", headers=TIL_HTTP, params={"format": "pdf"}).content.decode(
            "latin-1"
        ),
        client.get(tilsyn_url, headers=TIL_HTTP).text,
        client.get(tilsyn_url, headers=TIL_HTTP, params={"format": "html"}).text,
        client.get(tilsyn_url, headers=TIL_HTTP, params={"format": "pdf"}).content.decode(
            "latin-1"
        ),
    ]
    return "\n".join(dele)


def test_an_erasure_reaches_aktindsigt_and_inspections_in_json_html_and_pdf(
    store_settings: SettingsFactory,
) -> None:
    """Regression (issue 14): the requester's name and scope and an inspection finding about
    the case were stored in plain and still served after the citizen's erasure."""
    settings = store_settings("supervision")
    wiring = build(settings)
    sag_id, v_events, p_events = scenario(store_settings)
    app: SupervisionApplication = wiring.consumers[0].app  # type: ignore[attr-defined]
    feed(app, v_events + p_events)
    client = TestClient(wiring.api)

    r = client.post(
        f"/sager/{sag_id}/aktindsigt",
        headers=TIL_HTTP,
        json={"anmoder": ANMODER, "egenskab": "repraesentant", "omfang": OMFANG,
              "modtaget_dato": "2026-12-01"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert (r.json()["anmoder"], r.json()["omfang"]) == (ANMODER, OMFANG)
    url = f"/aktindsigt/{r.json()['anmodning_id']}"
    plan = {"leverandoer_id": "omsorg-plus-aps", "planlagt_dato": "2026-11-20", "seed": 1}
    tilsyn = client.post("/tilsyn/besoeg", headers=TIL_HTTP, json=plan).json()
    tilsyn_url = f"/tilsyn/besoeg/{tilsyn['tilsyn_id']}"
    fund = {"sag_id": str(sag_id), "vurdering": "kritisk", "beskrivelse": FUND}
    assert client.post(f"{tilsyn_url}/fund", headers=TIL_HTTP, json=fund).status_code == 201
    punkt = {"beskrivelse": OPFOELGNING, "frist": "2026-12-01", "ansvarlig": ANSVARLIG}
    r = client.post(f"{tilsyn_url}/opfoelgning", headers=TIL_HTTP, json=punkt)
    assert r.status_code == 201 and r.json()["ansvarlig"] == ANSVARLIG

    stored = raw_states(app)
    for text in (ANMODER, OMFANG, FUND, OPFOELGNING, ANSVARLIG):
        assert json.dumps(text)[1:-1].encode() not in stored and text.encode() not in stored
    foer = _alt(client, url, tilsyn_url)
    for word in ("Lindqvist", "badeværelset", "Medicinskabet"):
        assert word in foer, word  # the check below can see them where they are shown

    # The citizen's erasure (visitation's: the citizen's key and the case's own subject).
    borger_id = app.borger_id(sag_id)
    assert borger_id is not None and app.keys is not None
    app.keys.erase(str(borger_id))
    app.keys.erase(sagens_ejer(sag_id))

    # The running service (its caches filled before) and a fresh one rebuilt from the store.
    fresh = TestClient(build(settings).api)
    for c in (client, fresh):
        efter = _alt(c, url, tilsyn_url)
        for word in ("Lindqvist", "badeværelset", "Medicinskabet"):
            assert word not in efter, word
        anmodning = c.get(url, headers=TIL_HTTP).json()
        assert anmodning["anmoder"] == anmodning["omfang"] == SLETTET_TEKST
        rapport = c.get(tilsyn_url, headers=TIL_HTTP).json()
        assert rapport["fund"][0]["beskrivelse"] == SLETTET_TEKST
        assert rapport["fund"][0]["vurdering"] == "kritisk"  # the rest of the record stays
        svar = c.get(f"{url}/svar", headers=TIL_HTTP).json()
        (post,) = next(a["poster"] for a in svar["afsnit"] if a["noegle"] == "tilsyn")
        assert post["linjer"] == [SLETTET_TEKST]
    # Text about no one case is under the inspection's own subject, not the citizen's.
    assert "Hjortshøj" in fresh.get(tilsyn_url, headers=TIL_HTTP).text
