"""A store written by v1 of a domain event still replays: supervision's store from before
the relays numbered each case's events (HaendelseRegistreret v1, envelopes without
`case_sequence`; written by commit 3905f95) is read by today's code through the v1 -> v2
upcaster, and the events written beside them today replay too."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from services.supervision import rebuild
from services.supervision.application.aktindsigt import Aktindsigt
from services.supervision.application.projektioner import Tilsynsprojektioner
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.supervision.application.tilsyn import Tilsyn
from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.infra.settings import ServiceSettings
from shared.kernel import Aktoer
from shared.kernel.personoplysning import SLETTET_TEKST
from tests.integration.test_supervision_fritekst import flow as fritekst_flow
from tests.scenario import VISITATOR, decided_case

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "supervision-v1.sqlite"
V1_CASE = UUID("7fc772f5-b0e7-4d5c-9c91-db978e975614")  # what the v1 code recorded
TILSYNET = Aktoer("tilsyn-ole", "tilsyn", "kommunen")
#: An answer as of a moment after everything a test records (events carry the real time).
ALT_KENDT = datetime(2100, 1, 1, tzinfo=UTC)


def test_v1_store_replays_and_takes_todays_events(tmp_path: Path) -> None:
    shutil.copy(FIXTURE, tmp_path / "supervision.sqlite")
    settings = ServiceSettings(data_dir=tmp_path)
    app = SupervisionApplication(env=store_env(settings, "supervision"))

    old = app.hent_forloeb(V1_CASE).haendelser
    assert [h["event_type"] for h in old] == [
        "AnsoegningModtaget",
        "FunktionsvurderingRegistreret",
        "AfgoerelseTruffet",
    ]
    assert all(h["case_sequence"] is None for h in old)  # upcast: not numbered at the source

    # Today's events land in the same store as v3 and replay beside the v1 ones.
    visitation = VisitationApplication(
        env=store_env(ServiceSettings(data_dir=tmp_path / "v"), "visitation")
    )

    sag_id = decided_case(visitation, date(2026, 11, 2))
    visitation.opret_klage(sag_id, "afgoerelse", date(2026, 11, 9), "For lidt", VISITATOR)
    handler = RecordEverything(app)
    for event in public_events(
        visitation,
        "visitation",
        to_public,
        visitation.process_recorder.select_notifications(start=1, limit=100),
        {},
    ):
        app.save(*handler(event))
    assert [h["case_sequence"] for h in app.hent_forloeb(sag_id).haendelser] == [1, 2, 3, 4]
    assert app.hent_forloeb(V1_CASE).haendelser == old

    with sqlite3.connect(tmp_path / "supervision.sqlite") as db:
        versions = [
            json.loads(state).get("class_version", 1)
            for topic, state in db.execute("SELECT topic, state FROM stored_events")
            if topic.endswith("HaendelseRegistreret")
        ]
    # History is never rewritten; new: the case's 4 and the 13 of the provider register
    # visitation imported at start (its demo providers), at today's version (v3: each
    # names the case's citizen, once known).
    assert versions == [1, 1, 1] + [3] * (4 + 13)
    assert rebuild.main(["--quiet"], settings) == 0  # every projection rebuilds from both


def _plain(value: Any) -> Any:
    """What supervision wrote before it sealed its own free text: plain strings."""
    if isinstance(value, dict):
        if value.get("_type_") == "personoplysning_aesgcm":
            return "v1-tekst"
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_supervisions_own_v1_events_with_plain_text_still_replay(tmp_path: Path) -> None:
    """Aktindsigt requests and inspections stored before v2 (plain anmoder, omfang, finding,
    follow-up) are read as Personoplysning owned by the case's subject (or the inspection's):
    readable as before, and shown as the placeholder once the citizen's erasure deletes the
    case's subject, though history is not rewritten."""
    settings = ServiceSettings(data_dir=tmp_path)
    app = SupervisionApplication(env=store_env(settings, "supervision"))
    sag_id, borger_id = uuid4(), uuid4()
    record = RecordEverything(app)
    for event in fritekst_flow(sag_id, borger_id):
        app.save(*record(event))
    projektioner = Tilsynsprojektioner(app)
    aktindsigt = Aktindsigt(app, projektioner)
    anmodning_id = aktindsigt.anmod(
        sag_id, "Jens", "part", "Hele sagen", date(2026, 11, 3), TILSYNET
    ).id
    tilsyn = Tilsyn(app, projektioner)
    # The flow grants nothing, so the inspection is planned with the case as its one
    # candidate: a finding about a case must concern one in the sample.
    planlagt = Tilsynsbesoeg.planlaeg(
        "omsorg-plus-aps",
        True,
        "hjem",
        date(2026, 11, 20),
        [str(sag_id)],
        1,
        1,
        TILSYNET.as_dict(),
        kendte_leverandoerer={"omsorg-plus-aps"},
    )
    app.save(planlagt)
    tilsyn_id = planlagt.id
    tilsyn.registrer_fund(tilsyn_id, sag_id, "kritisk", "Fundet", TILSYNET)
    tilsyn.registrer_fund(tilsyn_id, None, "tilfredsstillende", "Hos leverandøren", TILSYNET)
    besoeg = tilsyn.opret_opfoelgning(tilsyn_id, "Punkt", date(2026, 12, 1), "Lederen", TILSYNET)
    punkt_id = next(iter(besoeg.opfoelgning))
    tilsyn.luk_opfoelgning(tilsyn_id, punkt_id, date(2026, 11, 30), "Lukket", TILSYNET)
    app.close()

    with sqlite3.connect(tmp_path / "supervision.sqlite") as db:
        rewritten = 0
        for rowid, topic, state in db.execute("SELECT rowid, topic, state FROM stored_events"):
            data = json.loads(state)
            if "Sagsforloeb" not in topic and data.pop("class_version", 1) == 2:
                rewritten += 1
                db.execute(
                    "UPDATE stored_events SET state = ? WHERE rowid = ?",
                    (json.dumps(_plain(data)).encode(), rowid),
                )
    assert rewritten == 5  # the request, two findings, the follow-up and its closing

    fresh = SupervisionApplication(env=store_env(settings, "supervision"))
    projektioner = Tilsynsprojektioner(fresh)
    aktindsigt, tilsyn = Aktindsigt(fresh, projektioner), Tilsyn(fresh, projektioner)
    anmodning = aktindsigt.hent(anmodning_id)
    assert (anmodning.anmoder.vis(), anmodning.anmoder.ejer) == ("v1-tekst", f"sag:{sag_id}")
    rapport = tilsyn.vis(tilsyn.hent(tilsyn_id).rapport(date(2026, 12, 2)))
    assert [f["beskrivelse"] for f in rapport["fund"]] == ["v1-tekst", "v1-tekst"]
    (punkt,) = rapport["opfoelgning"]
    assert (punkt["ansvarlig"], punkt["lukket"]["bemaerkning"]) == ("v1-tekst", "v1-tekst")
    fund = tilsyn.hent(tilsyn_id).fund
    assert [f["beskrivelse"].ejer for f in fund] == [f"sag:{sag_id}", f"tilsyn:{tilsyn_id}"]

    assert fresh.keys is not None
    fresh.keys.erase(str(borger_id))
    fresh.keys.erase(f"sag:{sag_id}")
    vist = aktindsigt.vis(aktindsigt.hent(anmodning_id))
    assert vist["anmoder"] == vist["omfang"] == SLETTET_TEKST
    svar = aktindsigt.svar(anmodning_id, ALT_KENDT, ALT_KENDT)
    (post,) = next(a["poster"] for a in svar["afsnit"] if a["noegle"] == "tilsyn")
    assert post["linjer"] == [SLETTET_TEKST]
    fresh.close()
