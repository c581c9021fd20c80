"""A long catch-up fetches the next batch of the log on another thread while it folds the
current one (projektioner.py): the figures and the position equal a pass that reads one
batch at a time, on both stores, also when the pass stops at a given position. On
PostgreSQL the binary cursor's rows equal the library's."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.postgres import PostgresApplicationRecorder

from bench.syntetiske_sager import fyld_lager
from services.supervision.adapters.loglaeser import Raekke, laes_log
from services.supervision.application import projektioner as pj
from services.supervision.application.supervision_app import SupervisionApplication
from shared.infra.eventstore import store_env
from shared.infra.settings import ServiceSettings
from tests.conftest import Postgres, SettingsFactory

pytestmark = pytest.mark.integration


def _pass(
    app: SupervisionApplication, batch_size: int, upto: int | None = None
) -> tuple[int, int, dict[str, Any]]:
    p = pj.Tilsynsprojektioner(app)
    p.batch_size = batch_size
    applied = p.catch_up(upto=upto)
    return applied, p.position, p.resultater()


def test_prefetching_pass_equals_one_batch_at_a_time(store_settings: SettingsFactory) -> None:
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    fyld_lager(app, 600, pr_gem=50)
    whole = _pass(app, 100_000)  # one batch: nothing to prefetch
    assert whole[0] == whole[1] > 600
    # Batches of 7: every batch is full, so each next one is fetched ahead.
    assert _pass(app, 7) == whole
    # Stopping at a position inside a batch, and exactly at a batch's end.
    part = _pass(app, 100_000, upto=301)
    assert _pass(app, 7, upto=301) == part and part[1] == 301
    assert _pass(app, 7, upto=294)[1] == 294


def _library_rows(recorder: Any, start: int, limit: int, stop: int | None) -> list[Raekke]:
    """The same rows through the library's own `select_notifications` (dict rows, text)."""
    return [
        (n.id, n.topic, n.state)
        for n in recorder.select_notifications(start=start, limit=limit, stop=stop)
    ]


def test_binary_cursor_reads_what_the_library_reads(
    postgres: Postgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's rebuild fetches with a binary cursor and tuple rows (loglaeser.py): the
    same rows, as int, str and bytes, as the library's path, and the same figures and
    position for a whole pass, a prefetching one and one stopped inside a batch."""
    settings = ServiceSettings(
        store="postgres", database_url=postgres.new_database("bum_supervision")
    )
    app = SupervisionApplication(env=store_env(settings, "supervision"))
    assert isinstance(app.process_recorder, PostgresApplicationRecorder)
    fyld_lager(app, 600, pr_gem=50)
    recorder = app.process_recorder
    for start, limit, stop in ((1, 100_000, None), (1, 7, None), (250, 40, 270), (5, 10, 4)):
        binary = laes_log(recorder, start, limit, stop)
        assert binary == _library_rows(recorder, start, limit, stop)
        assert all(type(p) is int and type(t) is str and type(s) is bytes for p, t, s in binary)
    via_binary = [_pass(app, 100_000), _pass(app, 7), _pass(app, 7, upto=301)]
    monkeypatch.setattr(pj, "laes_log", _library_rows)
    via_library = [_pass(app, 100_000), _pass(app, 7), _pass(app, 7, upto=301)]
    assert via_binary == via_library
    assert via_binary[0][1] > 600 and via_binary[2][1] == 301
