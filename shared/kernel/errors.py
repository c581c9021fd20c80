from __future__ import annotations


class Afvisning(Exception):
    """A command or query refused by a rule the caller can read and act on.

    `rule` is a stable machine-readable name (it ends up in the problem response's
    `type`), and the text comes in Danish for the caseworker and English for integrators.
    The kinds below say why; how each is answered is decided in one place
    (shared/infra/problemer.py), for the API and for every item of a shift sync alike.
    """

    #: The problem document's title, unless a kind says otherwise.
    titel = "Reglen er ikke overholdt / rule violated"

    def __init__(self, rule: str, dansk: str, english: str) -> None:
        super().__init__(f"{rule}: {english}")
        self.rule = rule
        self.dansk = dansk
        self.english = english


class DomainRuleViolation(Afvisning):
    """A command broke a rule of the domain (422)."""


class AdgangNaegtet(Afvisning):
    """The actor may not touch this data, by a rule of access that names it (403)."""

    titel = "Ingen adgang / forbidden"


class NotFound(Exception):
    """The aggregate or entity a command or query names does not exist."""

    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"{what} {ident} findes ikke / does not exist")
        self.what = what
        self.ident = ident
