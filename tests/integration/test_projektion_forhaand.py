"""A long catch-up fetches the next batch of the log on another thread while it folds the
current one (projektioner.py): the figures and the position equal a pass that reads one
batch at a time, on both stores, also when the pass stops at a given position."""

from __future__ import annotations

from typing import Any

import pytest

from services.supervision.application import projektioner as pj
from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.maaling import fyld_lager
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory

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
