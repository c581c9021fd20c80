"""Personal data as a value the domain can hold but the store only ever sees encrypted.

A `Personoplysning` names whose data it is (`ejer`: the pseudonymous borger_id). The event
store's transcoder encrypts it with that citizen's own key (crypto-shredding); once the key
is deleted, the value comes back `slettet` and shows a placeholder, while every event that
carried it still replays.
"""

from __future__ import annotations

from dataclasses import dataclass

SLETTET_TEKST = "[personoplysning slettet]"


@dataclass(frozen=True)
class Personoplysning:
    ejer: str
    tekst: str | None
    slettet: bool = False

    @classmethod
    def af(cls, ejer: object, tekst: str) -> Personoplysning:
        return cls(str(ejer), tekst)

    def vis(self) -> str:
        """The text, or a clear placeholder once the citizen's key is gone."""
        return SLETTET_TEKST if self.slettet or self.tekst is None else self.tekst

    def __str__(self) -> str:
        return self.vis()

    def __repr__(self) -> str:  # never print personal data into a log by accident
        return f"Personoplysning(ejer={self.ejer!r}, slettet={self.slettet})"
