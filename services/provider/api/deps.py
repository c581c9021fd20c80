"""What provider's route modules share: the dependencies, clock and router factory every
service's routes use (shared/infra/ruter.py)."""

from __future__ import annotations

from shared.infra.ruter import Actor, Caller, Laesning, Laest, ruter

__all__ = ["Actor", "Caller", "Laesning", "Laest", "ruter"]
