"""Upcasters for the case's events stored before free text was personal data (v1).

v1 stored the citizen's free text (an anmodning's description, an assessment's remark,
the reasons of a decision, a complaint, a reconsideration, a revurdering task, the § 83 a
consideration's and course end's reasons, the citizen's individual goals; until v4 of the
decision, a grant's individual reason for a need outside the catalogue) as plain strings;
v2 stores it as Personoplysning, encrypted with the citizen's key. Old stores keep their
plain text (history is not rewritten); it is read as a Personoplysning so the code has one
shape. Where the v1 event names the citizen (borger_id) that is the owner;
otherwise the aggregate sets the owner when it applies the event (`eje`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from shared.kernel.personoplysning import INGEN_EJER, opgrader, opgrader_felter


def ansoegning_v1_v2(state: dict[str, Any]) -> None:
    ejer = state["borger_id"]
    state["anmodninger"] = tuple(
        opgrader_felter(a, ejer, "beskrivelse") for a in state["anmodninger"]
    )


def funktionsvurdering_v1_v2(state: dict[str, Any]) -> None:
    state["vurdering"] = opgrader_felter(state["vurdering"], INGEN_EJER, "bemaerkning")


def afgoerelse_v1_v2(state: dict[str, Any]) -> None:
    ejer = state["borger_id"]
    afgoerelse = opgrader_felter(state["afgoerelse"], ejer, "begrundelse")
    state["afgoerelse"] = dataclasses.replace(
        afgoerelse,
        udfald=tuple(opgrader_felter(u, ejer, "begrundelse") for u in afgoerelse.udfald),
    )


def afgoerelse_v2_v3(state: dict[str, Any]) -> None:
    """v2 stored a helhedspleje forløb's individual goals (ældreloven) as plain strings."""
    afgoerelse = state["afgoerelse"]
    h = afgoerelse.helhedspleje
    if h is not None:
        maal = tuple(opgrader(state["borger_id"], m) for m in h.individuelle_maal)
        h = dataclasses.replace(h, individuelle_maal=maal)
        state["afgoerelse"] = dataclasses.replace(afgoerelse, helhedspleje=h)


def _bevillinger(ejer: object, bevillinger: Any) -> tuple[Any, ...]:
    return tuple(opgrader_felter(b, ejer, "individuel_begrundelse") for b in bevillinger)


def afgoerelse_v3_v4(state: dict[str, Any]) -> None:
    """v3 stored a grant's individual reason (a need outside the catalogue) in plain."""
    afgoerelse = state["afgoerelse"]
    bevillinger = _bevillinger(state["borger_id"], afgoerelse.bevillinger)
    state["afgoerelse"] = dataclasses.replace(afgoerelse, bevillinger=bevillinger)


def bevillinger_v1_v2(state: dict[str, Any]) -> None:
    """A choice or change of provider carries the grants, with their individual reasons
    (LeverandoerValgt, LeverandoerSkiftet); v1 stored those in plain."""
    state["bevillinger"] = _bevillinger(state["borger_id"], state["bevillinger"])


def klage_v1_v2(state: dict[str, Any]) -> None:
    state["klage"] = opgrader_felter(state["klage"], INGEN_EJER, "beskrivelse")


def genvurdering_v1_v2(state: dict[str, Any]) -> None:
    state["begrundelse"] = opgrader(INGEN_EJER, state["begrundelse"])


def revurderingsopgave_v1_v2(state: dict[str, Any]) -> None:
    state["beskrivelse"] = opgrader(INGEN_EJER, state["beskrivelse"])


# -- § 83 a (rehabilitering.py) ------------------------------------------------------------
def rehab_vurdering_v1_v2(state: dict[str, Any]) -> None:
    state["begrundelse"] = opgrader(INGEN_EJER, state["begrundelse"])


def rehab_forloeb_v1_v2(state: dict[str, Any]) -> None:
    ejer = state["borger_id"]
    state["individuelle_maal"] = tuple(opgrader(ejer, m) for m in state["individuelle_maal"])


def rehab_maal_v1_v2(state: dict[str, Any]) -> None:
    state["individuelle_maal"] = tuple(opgrader(INGEN_EJER, m) for m in state["individuelle_maal"])


def rehab_afslutning_v1_v2(state: dict[str, Any]) -> None:
    state["begrundelse"] = opgrader(state["borger_id"], state["begrundelse"])
