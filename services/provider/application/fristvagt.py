"""The background deadline check: once a day, for every provider, the replacement deadlines
that passed unmet become LeveringSvigtet, without anyone calling the endpoint.

Idempotent twice over: the watch runs the check at most once per day, and the order emits
LeveringSvigtet only once per duty however often it is asked (so a restart, a second
instance or the manual endpoint on the same day adds nothing).

Its sibling `Forsinkelsesvagt` runs every few minutes on the clock's instant: late visits
(issue 16 item 2), and duties whose deadline is an instant (a promise in hours), which the
daily check would only see the day after.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from services.provider.application.policies import SYSTEM
from services.provider.application.provider_app import ProviderApplication
from services.provider.application.read_model import ProviderWorkLists
from services.provider.domain.regler import dansk_dato


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


class Forsinkelsesvagt:
    """The late-visit check, every few minutes (BUM_FORSINKELSESKONTROL_INTERVAL_S): visits
    not started within the kommune's tolerance get their BesoegForsinket and the duty or
    failure it brings (Besoegsplan.kontroller_forsinkelser), without anyone calling.

    Driven by the application clock's instant, not a day: an hour tolerance is due to the
    minute. Idempotent: each visit is found late once (the read model stops naming it, and
    the aggregate records BesoegForsinket only once), however often the check runs. A
    visit checked in late between two runs is judged by its check-in time: late, without a
    replacement duty (the help came), so the outcome never depends on when the check ran."""

    def __init__(self, app: ProviderApplication, lists: ProviderWorkLists) -> None:
        self.app = app
        self.lists = lists

    def kontroller(self, nu: datetime) -> list[tuple[UUID, UUID]]:
        """(order, visit) of each visit found late as of `nu`, then of each duty whose hour
        deadline passed unmet by `nu` (LeveringSvigtet to the minute, not the day after)."""
        fundet = self.app.kontroller_forsinkelser(
            self.lists.til_forsinkelseskontrol(nu), nu, SYSTEM
        )
        ids = self.lists.bestillinger_med_timefrist(nu)
        if not ids:  # the usual round: no hour deadline has run out, nothing to load
            return fundet
        return fundet + self.app.kontroller_frister(ids, dansk_dato(nu), SYSTEM, nu=nu)
