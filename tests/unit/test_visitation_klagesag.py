"""The cost of a complaint on an old case (counted in events replayed, not milliseconds):
a reconsideration replays its complaint alone, whatever the case's age and however many
complaints came before; filing one replays the case (its decisions, not its notes or
complaints) and the case's earlier complaints, which are looked up in order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.klagesag import klage_id
from tests.scenario import VISITATOR, decided_case
from tests.unit.test_visitation_noter import _events_replayed, app  # noqa: F401  (fixture)


def test_a_reconsideration_replays_its_complaint_alone_on_any_case(
    app: VisitationApplication,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gammel = decided_case(app, date(2024, 11, 4))
    ung = decided_case(app, date(2026, 10, 26))
    # Two years of § 90 complaints on the old case, one a quarter; none on the young one.
    for kvartal in range(8):
        dag = date(2024, 12, 2) + timedelta(weeks=13 * kvartal)
        app.opret_klage(gammel, "levering", dag, f"Kom ikke ({kvartal})", VISITATOR)
    assert app.hent_sag(gammel).version == app.hent_sag(ung).version  # none inside

    replayed = _events_replayed(app, monkeypatch)
    filed, reconsidered = [], []
    for sag_id in (gammel, ung):
        replayed[0] = 0
        klage = app.opret_klage(sag_id, "afgoerelse", date(2026, 11, 9), "Uenig", VISITATOR)
        filed.append(replayed[0])
        replayed[0] = 0
        app.genvurder_klage(
            sag_id, klage.klage_id, date(2026, 11, 12), "fastholdt", "Uændret", VISITATOR
        )
        reconsidered.append(replayed[0])
    assert klage.klage_id == klage_id(ung, 1)
    # Reconsidering: the complaint (looked up, then its command), nothing of the case.
    assert reconsidered == [2, 2]
    # Filing: the case, and each earlier complaint (one event each), once to number it.
    sag_events = app.hent_sag(ung).version
    assert filed == [sag_events + 8, sag_events], filed
