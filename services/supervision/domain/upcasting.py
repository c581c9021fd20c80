"""Upcasters for supervision's own events stored before their free text was personal data
(v1).

v1 stored an aktindsigt request's requester and scope, an inspection finding's description
and a follow-up item's description, responsible person and closing remark as plain strings;
v2 stores them as Personoplysning, encrypted under a key the right erasure deletes. Old
stores keep their plain text (history is not rewritten); it is read as a Personoplysning so
the code has one shape. The owner is the subject the text would have today where the v1
event tells it without the citizen: the case's own subject (`sag:<sag_id>`, which the
citizen's erasure deletes too, so readers show the placeholder for the old plain text as
well), or the inspection's own subject for text not about a case.
"""

from __future__ import annotations

from typing import Any

from shared.kernel.personoplysning import opgrader, sagens_ejer


def tilsynets_ejer(tilsyn_id: object) -> str:
    """The key subject of an inspection's free text that is about no one case (a finding
    at the provider's, a follow-up item): it may still name staff or citizens, so it is
    sealed too, and erasable on its own."""
    return f"tilsyn:{tilsyn_id}"


def aktindsigt_anmodet_v1_v2(state: dict[str, Any]) -> None:
    ejer = sagens_ejer(state["sag_id"])
    state["anmoder"] = opgrader(ejer, state["anmoder"])
    state["omfang"] = opgrader(ejer, state["omfang"])


def fund_v1_v2(state: dict[str, Any]) -> None:
    sag_id = state["sag_id"]
    ejer = sagens_ejer(sag_id) if sag_id else tilsynets_ejer(state["originator_id"])
    state["beskrivelse"] = opgrader(ejer, state["beskrivelse"])


def opfoelgning_v1_v2(state: dict[str, Any]) -> None:
    ejer = tilsynets_ejer(state["originator_id"])
    state["beskrivelse"] = opgrader(ejer, state["beskrivelse"])
    state["ansvarlig"] = opgrader(ejer, state["ansvarlig"])


def opfoelgning_lukket_v1_v2(state: dict[str, Any]) -> None:
    state["bemaerkning"] = opgrader(tilsynets_ejer(state["originator_id"]), state["bemaerkning"])
