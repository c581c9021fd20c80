"""Case reads through the cache (sagslaeser.py) answer exactly what a replay answers.

The reference is the uncached path: the `Sagsforloeb` replayed from the store, its history
filtered and sorted (`Sagsforloeb.historik`) and folded from the first event. Envelopes
arrive out of history order and in several saves between reads, so the fast-forward and
the dropping of stale checkpoints are both exercised.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from bench.syntetiske_sager import sag_haendelser
from services.supervision.application import sagslaeser
from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.supervision.domain.sagstilstand import Sagstilstand, sag_som_kendt
from shared.contracts import PublicEvent
from shared.infra.eventstore import store_env
from shared.kernel import NotFound
from tests.conftest import SettingsFactory

pytestmark = pytest.mark.integration


def _envelopes(sag_id: UUID, cases: int) -> list[dict[str, Any]]:
    out = []
    for n in range(cases):
        for h in sag_haendelser(n, date(2026, 1, 5)):
            h = {**h, "case_id": str(sag_id), "event_id": str(uuid4())}
            out.append(PublicEvent.model_validate(h).model_dump(mode="json"))
    return out


def _reference(app: SupervisionApplication, sag_id: UUID, moment: datetime | None) -> Any:
    historik = app.hent_forloeb(sag_id).historik(moment)
    return historik, sag_som_kendt(str(sag_id), historik)


def _check(app: SupervisionApplication, sag_id: UUID, moments: list[datetime | None]) -> None:
    for moment in moments:
        historik, tilstand = _reference(app, sag_id, moment)
        assert app.historik(sag_id, moment) == historik, moment
        assert app.tilstand(sag_id, moment) == tilstand, moment
    assert app.borger_id(sag_id) == app.hent_forloeb(sag_id).borger_id()


def test_cached_reads_equal_the_replay(store_settings: SettingsFactory) -> None:
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    sag_id = uuid4()
    envelopes = _envelopes(sag_id, 20)  # 300 envelopes: several checkpoints
    random.Random(3).shuffle(envelopes)  # recorded out of history order
    recorded = sorted(datetime.fromisoformat(h["recorded_at"]) for h in envelopes)
    moments: list[datetime | None] = [None, recorded[0] - timedelta(seconds=1)]
    moments += [m for m in recorded[::7]] + [m + timedelta(seconds=1) for m in recorded[::11]]

    forloeb = Sagsforloeb(sag_id=str(sag_id))
    for chunk in (envelopes[:90], envelopes[90:200], envelopes[200:]):
        for h in chunk:
            forloeb.registrer(h)
        app.save(forloeb)
        _check(app, sag_id, moments)  # reads between saves: cache fast-forwarded each time


def test_a_new_reader_sees_what_another_process_stored(store_settings: SettingsFactory) -> None:
    settings = store_settings("supervision")
    writer = SupervisionApplication(env=store_env(settings, "supervision"))
    reader = SupervisionApplication(env=store_env(settings, "supervision"))
    sag_id = uuid4()
    envelopes = _envelopes(sag_id, 6)
    forloeb = Sagsforloeb(sag_id=str(sag_id))
    for h in envelopes[:40]:
        forloeb.registrer(h)
    writer.save(forloeb)
    assert reader.tilstand(sag_id)["antal_haendelser"] == 40
    for h in envelopes[40:]:
        forloeb.registrer(h)
    writer.save(forloeb)
    assert reader.tilstand(sag_id) == _reference(writer, sag_id, None)[1]


def test_unknown_case_is_not_found(store_settings: SettingsFactory) -> None:
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    with pytest.raises(NotFound):
        app.tilstand(uuid4())
    with pytest.raises(NotFound):
        app.historik(uuid4())


def test_a_copy_folds_on_independently() -> None:
    sag_id = uuid4()
    envelopes = sorted(_envelopes(sag_id, 3), key=lambda h: h["recorded_at"])
    whole = Sagstilstand(str(sag_id))
    for h in envelopes:
        whole.registrer(h)
    half = Sagstilstand(str(sag_id))
    for h in envelopes[:20]:
        half.registrer(h)
    before = half.som_dict()
    rest = half.kopi()
    for h in envelopes[20:]:
        rest.registrer(h)
    assert rest.som_dict() == whole.som_dict()
    assert half.som_dict() == before  # the checkpoint did not move
    assert sagslaeser.CHECKPOINT_INTERVAL > 1
