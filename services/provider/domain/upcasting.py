"""Upcasters for the order's events stored before the provider's free text was personal
data (v1).

v1 stored a partial delivery's reason, a cancellation's reason and a change report's
description as plain strings; v2 stores them as Personoplysning, encrypted with the
citizen's key. Old stores keep their plain text (history is not rewritten); it is read as a
Personoplysning so the code has one shape. The v1 events do not name the citizen: the order
sets the owner when it applies the event (`eje`).
"""

from __future__ import annotations

from typing import Any

from shared.kernel.personoplysning import INGEN_EJER, opgrader_felter


def levering_v1_v2(state: dict[str, Any]) -> None:
    state["levering"] = opgrader_felter(state["levering"], INGEN_EJER, "delvis_aarsag")


def aflysning_v1_v2(state: dict[str, Any]) -> None:
    state["aflysning"] = opgrader_felter(state["aflysning"], INGEN_EJER, "aarsag")


def indberetning_v1_v2(state: dict[str, Any]) -> None:
    state["indberetning"] = opgrader_felter(state["indberetning"], INGEN_EJER, "beskrivelse")
