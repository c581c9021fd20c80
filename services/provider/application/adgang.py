"""Who may see and change which provider's data: the one place the rule lives.

Today the actor comes from headers; with bearer tokens only `actor()` changes, not this.
"""

from __future__ import annotations

from uuid import UUID

from shared.kernel import Aktoer

#: Roles that may read every provider's data (the authority and supervision).
LAESERE = frozenset({"visitator", "tilsyn", "revisor", "system"})


class AdgangNaegtet(Exception):
    """The actor may not touch this provider's or citizen's data (answered with 403)."""

    def __init__(self, rule: str, dansk: str, english: str) -> None:
        super().__init__(f"{rule}: {english}")
        self.rule = rule
        self.dansk = dansk
        self.english = english


def kraev_leverandoer(aktoer: Aktoer, leverandoer_id: str, *, skriv: bool) -> None:
    """A provider's users (role "leverandoer", organisation = provider id) see and change
    only that provider's orders, citizens and visits; the system may change any;
    visitation and supervision may only read."""
    if aktoer.rolle == "leverandoer" and aktoer.organisation == leverandoer_id:
        return
    if aktoer.rolle in ("system", "administrator") or (not skriv and aktoer.rolle in LAESERE):
        return
    raise AdgangNaegtet(
        "kun-egen-leverandoer",
        "Du har kun adgang til din egen leverandørs bestillinger, borgere og besøg.",
        "You may only access your own provider's orders, citizens and visits.",
    )


def kraev_borger(aktoer: Aktoer, borger_id: UUID) -> None:
    """Self-service: a citizen (or an authorised relative acting for them, role
    "paaroerende" with the citizen's id as organisation) sees only their own visits."""
    if aktoer.rolle == "borger" and aktoer.id == str(borger_id):
        return
    if aktoer.rolle == "paaroerende" and aktoer.organisation == str(borger_id):
        return
    raise AdgangNaegtet(
        "kun-egne-besoeg",
        "Du har kun adgang til dine egne besøg.",
        "You may only access your own visits.",
    )
