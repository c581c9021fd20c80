"""`aggregate_id in repository` answers without replaying (shared/infra/repository.py):
a consumer asks whether a grant's order exists for every grant of every decision, and the
library's own answer replays the order's whole history. Against the real stores."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from services.supervision.application.supervision_app import SupervisionApplication
from services.supervision.domain.sagsforloeb import Sagsforloeb
from shared.infra.aggregate_cache import Turn
from shared.infra.batch_view import batch_view
from shared.infra.eventstore import store_env
from tests.conftest import SettingsFactory

pytestmark = pytest.mark.integration


def test_contains_reads_one_row_and_sees_the_turns_own(store_settings: SettingsFactory) -> None:
    app = SupervisionApplication(env=store_env(store_settings("supervision"), "supervision"))
    forloeb = Sagsforloeb(str(uuid4()))
    for n in range(50):
        forloeb.registrer({"event_id": str(n), "data": {}})
    app.save(forloeb)
    decoded = 0
    inner = app.mapper.to_domain_event

    def counted(stored: Any) -> Any:
        nonlocal decoded
        decoded += 1
        return inner(stored)

    app.mapper.to_domain_event = counted  # type: ignore[method-assign]
    assert forloeb.id in app.repository
    assert uuid4() not in app.repository
    assert "not an id" not in app.repository
    assert decoded == 0  # the library's answer decodes all 51 events

    # In a consumer's batch a new aggregate exists before anything is stored.
    ny = Sagsforloeb(str(uuid4()))
    with batch_view(app).open(Turn(None)):
        assert ny.id not in app.repository
        batch_view(app).remember([ny])
        assert ny.id in app.repository
    assert ny.id not in app.repository  # the batch was never stored
