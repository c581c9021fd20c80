from __future__ import annotations


class DomainRuleViolation(Exception):
    """A command broke a rule of the domain.

    `rule` is a stable machine-readable name (it ends up in the problem response's
    `type`), and the text comes in Danish for the caseworker and English for integrators.
    """

    def __init__(self, rule: str, dansk: str, english: str) -> None:
        super().__init__(f"{rule}: {english}")
        self.rule = rule
        self.dansk = dansk
        self.english = english


class NotFound(Exception):
    """The aggregate or entity a command or query names does not exist."""

    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"{what} {ident} findes ikke / does not exist")
        self.what = what
        self.ident = ident
