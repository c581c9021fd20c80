from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Aktoer:
    """Who did something: recorded on every command event so an auditor can answer
    "who did what, in which role, for which organisation"."""

    id: str
    rolle: str
    organisation: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "rolle": self.rolle, "organisation": self.organisation}
