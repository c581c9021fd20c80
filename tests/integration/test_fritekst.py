"""The citizen's free text in a case is stored encrypted with their key, and the case's
events stored before that (v1: plain strings) still replay through the upcasters."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.klagesag import ny_klage
from services.visitation.domain.values import Anmodning
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from shared.infra.tid import now
from shared.kernel.personoplysning import fritekst
from tests.conftest import SettingsFactory
from tests.scenario import VISITATOR, decided_case

pytestmark = pytest.mark.integration

KLAGE = "Hun kan ikke selv komme i bad efter faldet"
GENVURDERING = "Faldet ændrer ikke behovet for hjælp til bad"


def _case_with_text(app: VisitationApplication, i_sagen: bool = False) -> Any:
    """A decided case with a complaint upheld on reconsideration: a Klagesag beside the
    case, or (`i_sagen`) inside the case's history, as cases before the cut hold them."""
    sag_id = decided_case(app, date(2026, 11, 2))
    if i_sagen:
        sag = app.hent_sag(sag_id)
        klage = ny_klage(sag, 1, "afgoerelse", date(2026, 11, 9), KLAGE, VISITATOR, now()).klage
        sag._klage_oprettet(klage, VISITATOR, now())  # as the old code recorded it
        app.save(sag)
    else:
        klage = app.opret_klage(sag_id, "afgoerelse", date(2026, 11, 9), KLAGE, VISITATOR)
    app.genvurder_klage(
        sag_id, klage.klage_id, date(2026, 11, 10), "fastholdt", GENVURDERING, VISITATOR
    )
    return sag_id


def test_free_text_is_ciphertext_in_the_store(store_settings: SettingsFactory) -> None:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    sag_id = _case_with_text(app)
    stored = b"".join(
        n.state for n in app.process_recorder.select_notifications(start=1, limit=100)
    )
    for secret in ("Hjælp til bad", KLAGE, GENVURDERING, "Varigt nedsat funktionsevne"):
        assert json.dumps(secret)[1:-1].encode() not in stored and secret.encode() not in stored
    sag = app.hent_sag(sag_id)
    (klage,) = app.klager(sag)
    app.close()
    assert sag.anmodninger[0].beskrivelse.vis() == "Hjælp til bad"
    assert klage.beskrivelse.vis() == KLAGE
    assert {sag.anmodninger[0].beskrivelse.ejer, klage.beskrivelse.ejer} == {str(sag.borger_id)}


def _as_v1(value: Any) -> Any:
    """What the code before encryption wrote: the plain text where the ciphertext is."""
    if isinstance(value, dict):
        if value.get("_type_") == "personoplysning_aesgcm":
            return "v1-tekst"
        return {k: _as_v1(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_v1(v) for v in value]
    return value


def test_events_stored_before_encryption_still_replay(tmp_path: Path) -> None:
    settings = ServiceSettings(data_dir=tmp_path)
    app = VisitationApplication(env=store_env(settings, "visitation"))
    sag_id = _case_with_text(app, i_sagen=True)
    # Rewrite the case's events into the v1 shape (no class_version, plain strings), as a
    # store written before this change holds them.
    with sqlite3.connect(tmp_path / "visitation.sqlite") as db:
        rows = db.execute(
            "SELECT rowid, state FROM stored_events WHERE originator_id = ?",
            (sag_id.hex,),
        ).fetchall()
        assert rows
        for rowid, state in rows:
            data = _as_v1(json.loads(state))
            if data.pop("class_version", 1) == 2:
                db.execute(
                    "UPDATE stored_events SET state = ? WHERE rowid = ?",
                    (json.dumps(data).encode(), rowid),
                )
    fresh = VisitationApplication(env=store_env(settings, "visitation"))
    sag = fresh.hent_sag(sag_id)
    assert sag.version == 6  # every event replays
    assert sag.anmodninger[0].beskrivelse.vis() == "v1-tekst"
    assert sag.klager[0].beskrivelse.vis() == "v1-tekst"
    # Owned by the case's citizen once applied, even where the v1 event did not name them.
    assert sag.klager[0].beskrivelse.ejer == str(sag.borger_id)
    # History is not rewritten: the v1 plain text stays readable after an erasure.
    assert fresh.keys is not None
    fresh.keys.erase(str(sag.borger_id))
    again = VisitationApplication(env=store_env(settings, "visitation")).hent_sag(sag_id)
    assert again.klager[0].beskrivelse.vis() == "v1-tekst"
    assert again.vurderinger[0].bemaerkning is None


PARTSHOERING = "Hjemmesygeplejen oplyser, at hun selv støvsuger"
SVAR = "Kun stuen, og det tager hele dagen"
ANKE = "Kommunens vurdering af rengøringen er korrekt"


def test_hearing_and_ankestyrelsen_texts_are_ciphertext_too(
    store_settings: SettingsFactory,
) -> None:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    dag = date(2026, 11, 11)
    # A hearing comes before a decision: on a case still open.
    rent = Anmodning(uuid.uuid4(), fritekst("Rengøring"), "praktisk")
    aaben = app.modtag_ansoegning(
        "0202401234", "Else", dag, "telefon", "borger", (rent,), VISITATOR
    )
    hoering = app.send_partshoering(aaben.id, dag, date(2026, 11, 18), PARTSHOERING, VISITATOR)
    app.besvar_partshoering(aaben.id, hoering, dag, SVAR, VISITATOR)
    sag_id = _case_with_text(app)  # complaint upheld on reconsideration
    klage_id = app.klager(app.hent_sag(sag_id))[0].klage_id
    app.registrer_ankestyrelsens_afgoerelse(sag_id, klage_id, dag, "stadfaestet", ANKE, VISITATOR)
    stored = b"".join(
        n.state for n in app.process_recorder.select_notifications(start=1, limit=100)
    )
    for secret in (PARTSHOERING, SVAR, ANKE):
        assert json.dumps(secret)[1:-1].encode() not in stored and secret.encode() not in stored
    p = app.hent_sag(aaben.id).partshoeringer[hoering]
    app.close()
    assert (p.oplysninger.vis(), p.svar and p.svar.vis()) == (PARTSHOERING, SVAR)


INDIVIDUEL = "Lægedokumenteret støvallergi; kan ikke selv gøre rent"


def test_a_grants_individual_reason_is_sealed_and_v3_decisions_still_replay(
    tmp_path: Path,
) -> None:
    """A grant outside the catalogue carries the individual reason, which describes the
    citizen's need: v4 of AfgoerelseTruffet (and v2 of LeverandoerValgt/-Skiftet, which
    carry the grants) seal it; a decision stored by v3 with it in plain replays."""
    settings = ServiceSettings(data_dir=tmp_path)
    app = VisitationApplication(env=store_env(settings, "visitation"))
    sag_id = decided_case(app, date(2026, 11, 2), individuel_begrundelse=INDIVIDUEL)
    sag = app.hent_sag(sag_id)
    borger_id = str(sag.borger_id)
    nu = sag.afgoerelser[0].bevillinger[0].individuel_begrundelse
    assert nu is not None and (nu.vis(), nu.ejer) == (INDIVIDUEL, borger_id)
    app.close()
    with sqlite3.connect(tmp_path / "visitation.sqlite") as db:
        ((rowid, state),) = db.execute(
            "SELECT rowid, state FROM stored_events WHERE originator_id = ? AND topic LIKE ?",
            (sag_id.hex, "%AfgoerelseTruffet"),
        ).fetchall()
        assert json.dumps(INDIVIDUEL)[1:-1].encode() not in state
        data = json.loads(state)
        assert data.pop("class_version") == 4
        # What v3 wrote: the individual reason in plain (the rest had no text to seal).
        data["class_version"] = 3
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (json.dumps(_as_v1(data)).encode(), rowid),
        )
    fresh = VisitationApplication(env=store_env(settings, "visitation"))
    (bevilling,) = fresh.hent_sag(sag_id).afgoerelser[0].bevillinger
    fresh.close()
    begrundelse = bevilling.individuel_begrundelse
    assert begrundelse is not None
    assert (begrundelse.vis(), begrundelse.ejer) == ("v1-tekst", borger_id)
