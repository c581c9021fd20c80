"""The background deadline check: once a day, for every provider, the replacement deadlines
that passed unmet become LeveringSvigtet, without anyone calling the endpoint.

Idempotent twice over: the watch runs the check at most once per day, and the order emits
LeveringSvigtet only once per duty however often it is asked (so a restart, a second
instance or the manual endpoint on the same day adds nothing).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.provider.application.policies import SYSTEM
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists


class Fristvagt:
    def __init__(self, app: ProviderApplication, lists: ProviderWorkLists) -> None:
        self.app = app
        self.lists = lists
        self.sidst_kontrolleret: date | None = None

    def kontroller(self, idag: date) -> list[tuple[UUID, UUID]]:
        """(order, cancelled visit) of each new delivery failure as of `idag`."""
        if self.sidst_kontrolleret == idag:
            return []
        ids = self.lists.bestillinger_med_erstatningspligt(None)  # every provider
        svigt = self.app.kontroller_frister(ids, idag, SYSTEM)
        self.sidst_kontrolleret = idag
        return svigt
