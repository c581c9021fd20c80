"""The provider's free text about a citizen (a cancellation's reason, a partial delivery's
reason, a change report) is stored encrypted with the citizen's key; after an erasure the
API shows the placeholder, also from a read model that decrypted it before; events stored
before that (v1: plain strings) still replay."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.provider.api.access import ACCESS
from services.provider.api.operations import build_operations
from services.provider.api.routes import build_router
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from shared.infra.access import secure_api
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from shared.kernel.personoplysning import SLETTET_TEKST
from tests.conftest import SettingsFactory
from tests.identity import headers_for
from tests.integration.test_provider_operations import OMSORG, apply, bevilling, message

pytestmark = pytest.mark.integration
AFLYSNING = "Hun er faldet og indlagt med brækket hofte"
DELVIS = "Borgeren var for forpint til bad"
AENDRING = "Kan ikke længere rejse sig fra sengen alene"
LEV = headers_for("leverandoer", "sosu-maria", leverandoer_id="omsorg-plus-aps")


def _order_with_text(app: ProviderApplication) -> tuple[UUID, UUID]:
    """An order for a fresh citizen with a cancelled visit, a partial delivery and a change
    report: (order id, citizen id)."""
    borger = uuid.uuid4()
    apply(
        app,
        message(
            "AfgoerelseTruffet",
            {
                "afgoerelse_id": str(uuid.uuid4()),
                "borger_id": str(borger),
                "truffet_dato": "2026-10-30",
                "udfald": [],
                # Personal care: data minimisation shows this provider the change reports.
                "bevillinger": [{**bevilling("omsorg-plus-aps"), "kategori": "personlig"}],
            },
        ),
    )
    order = next(
        b
        for b in (app.hent_bestilling(i) for i in ProviderWorkLists(app).aktive_bestillinger(None))
        if b.borger_id == borger
    )
    first, second, *_ = sorted(app.hel_besoegsplan(order).besoeg.values(), key=lambda b: b.dato)
    aflyst = datetime(2026, 11, 1, 18, tzinfo=UTC)
    app.aflys_besoeg(order.id, first.besoeg_id, "borger", AFLYSNING, aflyst, OMSORG)
    with _client(app) as c:
        r = c.post(
            f"/bestillinger/{order.id}/besoeg/{second.besoeg_id}/levering",
            headers=LEV,
            json={
                "leveret_tidspunkt": f"{second.dato.isoformat()}T10:00:00+01:00",
                "faktiske_minutter": 20,
                "medarbejder_id": "sosu-maria",
                "detaljer": {"delvis": True, "delvis_aarsag": DELVIS},
            },
        )
        assert r.status_code == 201, r.text
        r = c.post(
            f"/bestillinger/{order.id}/aendringsindberetninger",
            headers=LEV,
            json={"observeret_dato": "2026-11-01", "beskrivelse": AENDRING},
        )
        assert r.status_code == 201, r.text
    return order.id, borger


def _client(app: ProviderApplication, lists: ProviderWorkLists | None = None) -> TestClient:
    api = secure_api("provider", "test", "", access_table=ACCESS)
    lists = lists or ProviderWorkLists(app)
    api.include_router(build_router(app, lists))
    api.include_router(build_operations(app, lists))
    return TestClient(api, raise_server_exceptions=False)


def _texts(order: dict[str, Any], visits: list[dict[str, Any]]) -> set[str]:
    return (
        {a["aarsag"] for a in order["aflysninger"]}
        | {lev["delvis_aarsag"] for lev in order["leveringer"]}
        | {i["beskrivelse"] for i in order["aendringsindberetninger"]}
        | {v["detaljer"].get("aarsag") or v["detaljer"].get("delvis_aarsag") for v in visits}
    ) - {None}


def test_free_text_is_ciphertext_and_erasure_shows_the_placeholder(
    store_settings: SettingsFactory,
) -> None:
    app = ProviderApplication(env=store_env(store_settings("provider"), "provider"))
    order_id, borger = _order_with_text(app)
    stored = b"".join(
        n.state for n in app.process_recorder.select_notifications(start=1, limit=1000)
    )
    for secret in (AFLYSNING, DELVIS, AENDRING):
        assert json.dumps(secret)[1:-1].encode() not in stored and secret.encode() not in stored

    lists = ProviderWorkLists(app)  # decrypts now, before the erasure
    with _client(app, lists) as c:
        order = c.get(f"/bestillinger/{order_id}", headers=LEV).json()
        visits = c.get(
            "/leverandoerer/omsorg-plus-aps/besoeg?fra=2026-11-01&til=2026-11-30", headers=LEV
        ).json()
    assert _texts(order, visits) == {AFLYSNING, DELVIS, AENDRING}
    assert "ejer" not in json.dumps(order) + json.dumps(visits)  # rendered, not raw

    assert app.keys is not None
    app.keys.erase(str(borger))
    with _client(app, lists) as c:  # the same read model: it decrypted before the erasure
        order = c.get(f"/bestillinger/{order_id}", headers=LEV).json()
        visits = c.get(
            "/leverandoerer/omsorg-plus-aps/besoeg?fra=2026-11-01&til=2026-11-30", headers=LEV
        ).json()
    assert _texts(order, visits) == {SLETTET_TEKST}
    # A fresh application replays every event of the order.
    fresh = ProviderApplication(env=app.env)
    assert fresh.hent_bestilling(order_id).version == app.hent_bestilling(order_id).version
    app.close()
    fresh.close()


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
    app = ProviderApplication(env=store_env(settings, "provider"))
    order_id, borger = _order_with_text(app)
    # The order and its periods (the visits' events live in these).
    holders = list(app.hel_besoegsplan(app.hent_bestilling(order_id)).holdere())
    versions = [h.version for h in holders]
    app.close()
    with sqlite3.connect(tmp_path / "provider.sqlite") as db:
        rows = [
            row
            for h in holders
            for row in db.execute(
                "SELECT rowid, state FROM stored_events WHERE originator_id = ?", (h.id.hex,)
            ).fetchall()
        ]
        rewritten = 0
        for rowid, state in rows:
            data = json.loads(state)
            if data.get("class_version") == 2:
                del data["class_version"]
                rewritten += 1
                db.execute(
                    "UPDATE stored_events SET state = ? WHERE rowid = ?",
                    (json.dumps(_as_v1(data)).encode(), rowid),
                )
    assert rewritten == 3  # the cancellation, the delivery and the change report
    fresh = ProviderApplication(env=store_env(settings, "provider"))
    plan = fresh.hel_besoegsplan(fresh.hent_bestilling(order_id))
    assert [h.version for h in plan.holdere()] == versions
    (aflysning,) = plan.aflysninger.values()
    (levering,) = plan.leveringer.values()
    (indberetning,) = plan.bestilling.indberetninger
    texts = {aflysning.aarsag, levering.delvis_aarsag, indberetning.beskrivelse}
    assert {t.vis() for t in texts if t is not None} == {"v1-tekst"}
    # Owned by the order's citizen once applied, though the v1 event did not name them.
    assert {t.ejer for t in texts if t is not None} == {str(borger)}
    assert ProviderWorkLists(fresh).besoeg_for("omsorg-plus-aps", date(2026, 11, 1), None)
    fresh.close()
