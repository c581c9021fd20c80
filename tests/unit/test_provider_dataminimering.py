"""Data minimisation: meal and cleaning providers get less of an order than personal care."""

from __future__ import annotations

import pytest

from services.provider.application.dataminimering import felter_udeladt, minimer

ORDER = {
    "bestilling_id": "b",
    "sag_id": "s",
    "kategori": "x",
    "aendringsindberetninger": [{"beskrivelse": "faldet"}],
    "leveringer": [{"faktiske_minutter": 20, "opgaver_udfoert": ["bad"]}],
}


def test_personal_care_sees_everything() -> None:
    shown = minimer(ORDER, "personlig")
    assert shown["sag_id"] == "s" and shown["leveringer"][0]["opgaver_udfoert"] == ["bad"]
    assert shown["dataminimering"] == {"kategori": "personlig", "udeladt": []}


def test_praktisk_gets_no_case_or_function_data() -> None:
    shown = minimer(ORDER, "praktisk")
    assert "sag_id" not in shown and "aendringsindberetninger" not in shown
    assert shown["leveringer"][0]["opgaver_udfoert"] == ["bad"]


def test_madservice_gets_least() -> None:
    shown = minimer(ORDER, "madservice")
    assert set(shown) == {"bestilling_id", "kategori", "leveringer", "dataminimering"}
    assert shown["leveringer"] == [{"faktiske_minutter": 20}]


@pytest.mark.parametrize(
    ("mindre", "mere"),
    [("madservice", "praktisk"), ("praktisk", "personlig"), ("madservice", "rehabilitering")],
)
def test_strictly_less(mindre: str, mere: str) -> None:
    assert set(felter_udeladt(mere)) < set(felter_udeladt(mindre))
