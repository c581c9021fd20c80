"""Group commit on both stores: concurrent commands share transactions, each keeps its
own outcome, and of two commands on the same aggregate version exactly one wins."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.values import Funktionsniveau, Funktionsvurdering
from shared.infra.eventstore import ConcurrentChange, store_env
from tests.conftest import SettingsFactory
from tests.scenario import VISITATOR, decided_case

pytestmark = pytest.mark.integration


def test_concurrent_commands_share_transactions_and_keep_their_outcomes(
    store_settings: SettingsFactory,
) -> None:
    app = VisitationApplication(env=store_env(store_settings("visitation"), "visitation"))
    committer = app._committer
    assert committer is not None
    # What the application committed at start (the provider register's import) aside.
    foer = committer.commands
    start = threading.Barrier(16)

    def one_case(i: int) -> object:
        start.wait()
        return decided_case(app, date(2026, 11, 2), cpr=f"05014{i:05d}")

    with ThreadPoolExecutor(16) as pool:
        cases = list(pool.map(one_case, range(16)))
    assert len(set(cases)) == 16
    for sag_id in cases:  # every command's events are stored, in order
        sag = app.hent_sag(sag_id)
        assert sag.afgoerelser and sag.version == 4  # application, assessment, §83a, decision
    assert committer.commands - foer == 16 * 4

    # Two commands on the same version of one case: one commits, the other conflicts.
    a, b = app.repository.get(cases[0]), app.repository.get(cases[0])
    now = datetime(2026, 11, 9, 10, tzinfo=UTC)
    for sag in (a, b):  # a command on the case (complaints now live beside it)
        vurdering = Funktionsvurdering(
            uuid.uuid4(), date(2026, 11, 9), (Funktionsniveau("B1-3", 2),), None
        )
        sag.registrer_funktionsvurdering(vurdering, VISITATOR, now)
    outcomes: list[str] = []
    lost: list[ConcurrentChange] = []

    def save(sag: object) -> None:
        try:
            app.save(sag)
            outcomes.append("saved")
        except ConcurrentChange as exc:  # an IntegrityError that names what to reload
            outcomes.append("conflict")
            lost.append(exc)

    threads = [threading.Thread(target=save, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert lost[0].aggregate_id == cases[0]
    assert lost[0].current_version == app.hent_sag(cases[0]).version == a.version
    assert len(app.hent_sag(cases[0]).vurderinger) == 2
