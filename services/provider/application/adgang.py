"""Who may see and change which provider's data: the one place the rule lives.

The actor and principal come from the verified bearer token (shared/infra/access.py).
"""

from __future__ import annotations

from uuid import UUID

from shared.infra.auth import FuldmagtOpslag, Principal
from shared.kernel import AdgangNaegtet, Aktoer

__all__ = [
    "LAESERE",
    "AdgangNaegtet",
    "er_fremmed_leverandoer",
    "kraev_borger",
    "kraev_leverandoer",
]

#: Roles that may read every provider's data (the authority and supervision).
LAESERE = frozenset({"visitator", "tilsyn", "revisor", "system"})


def kraev_leverandoer(aktoer: Aktoer, leverandoer_id: str, *, skriv: bool) -> None:
    """A provider's users (role "leverandoer"; the recorded organisation is the token's
    `leverandoer_id`, the one claim binding them, shared.infra.auth.TENANT_CLAIM) see and
    change only that provider's orders, citizens and visits; the system may change any;
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


def er_fremmed_leverandoer(aktoer: Aktoer, leverandoer_id: str) -> bool:
    """A provider's user asking about another provider's data."""
    return aktoer.rolle == "leverandoer" and aktoer.organisation != leverandoer_id


def kraev_borger(caller: Principal, borger_id: UUID, fuldmagter: FuldmagtOpslag) -> None:
    """Self-service: the citizen sees and cancels only their own visits; a relative only
    with a token naming the citizen in `fuldmagt_for` and a recorded fuldmagt from them to
    see and cancel visits, valid today (shared rule: Principal.acts_for_borger)."""
    if caller.acts_for_borger(str(borger_id), fuldmagter, "se_og_aflyse_besoeg"):
        return
    raise AdgangNaegtet(
        "kun-egne-besoeg",
        "Du har kun adgang til dine egne besøg, eller til besøg hos en borger, der har "
        "givet dig en gyldig fuldmagt til det.",
        "You may only access your own visits, or those of a citizen whose valid recorded "
        "fuldmagt covers it.",
    )
