"""A store written by v1 of a domain event still replays: supervision's store from before
the relays numbered each case's events (HaendelseRegistreret v1, envelopes without
`case_sequence`; written by commit 3905f95) is read by today's code through the v1 -> v2
upcaster, and the v2 events written beside them replay too."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from uuid import UUID

from services.supervision import rebuild
from services.supervision.application.supervision_app import (
    RecordEverything,
    SupervisionApplication,
)
from services.visitation.adapters.public_events import to_public
from services.visitation.application.visitation_app import VisitationApplication
from shared.infra.eventstore import store_env
from shared.infra.public_events import public_events
from shared.infra.settings import ServiceSettings
from tests.scenario import VISITATOR, decided_case

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "supervision-v1.sqlite"
V1_CASE = UUID("7fc772f5-b0e7-4d5c-9c91-db978e975614")  # what the v1 code recorded


def test_v1_store_replays_and_takes_v2_events(tmp_path: Path) -> None:
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

    # Today's events land in the same store as v2 and replay beside the v1 ones.
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
    assert versions == [1, 1, 1, 2, 2, 2, 2]  # history is never rewritten
    assert rebuild.main(["--quiet"], settings) == 0  # every projection rebuilds from both
