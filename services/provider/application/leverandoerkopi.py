"""The provider service's register copy as one value, and how it follows the store.

Built from the copy aggregates when the application starts; after that every recorded
`RegisterNoteret` (the consumer's, once committed) replaces its provider's entry, so the
policy, the API and the per-provider topics see a newly approved provider at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from services.provider.domain.leverandoerkopi import Leverandoerkopi, Leverandoerkopiindeks
from shared.infra.aggregatopslag import hent_eller_none
from shared.reference.leverandoerer import Leverandoerregister


class Leverandoerregisterkopi:
    if TYPE_CHECKING:
        repository: Any

    _leverandoerregister: Leverandoerregister
    _leverandoerregister_laas: threading.Lock
    _nye_leverandoerer: list[Callable[[str], object]]

    @property
    def leverandoerregister(self) -> Leverandoerregister:
        return self._leverandoerregister

    def _start_leverandoerregister(self) -> None:
        self._leverandoerregister_laas = threading.Lock()
        self._nye_leverandoerer = []
        indeks = self.leverandoerkopiindeks()
        kopier = [] if indeks is None else map(self.leverandoerkopi, indeks.leverandoer_ids)
        self._leverandoerregister = Leverandoerregister.af(
            k.leverandoer for k in kopier if k is not None and k.leverandoer is not None
        )

    def ved_ny_leverandoer(self, lytter: Callable[[str], object]) -> None:
        """Call `lytter` with the id of each provider the copy learns of from now on (the
        wiring gives it its own topic)."""
        self._nye_leverandoerer.append(lytter)

    def leverandoerkopi(self, leverandoer_id: str) -> Leverandoerkopi | None:
        return hent_eller_none(
            self.repository, Leverandoerkopi.create_id(leverandoer_id), Leverandoerkopi
        )

    def leverandoerkopiindeks(self) -> Leverandoerkopiindeks | None:
        return hent_eller_none(self.repository, Leverandoerkopiindeks.ID, Leverandoerkopiindeks)

    def _folg_leverandoerregister(self, domain_events: list[Any]) -> None:
        """Fold the copy's recorded snapshots into the in-memory register."""
        nye = [
            e.leverandoer for e in domain_events if isinstance(e, Leverandoerkopi.RegisterNoteret)
        ]
        if not nye:
            return
        with self._leverandoerregister_laas:
            register = self._leverandoerregister
            ukendte = [lev.leverandoer_id for lev in nye if lev.leverandoer_id not in register]
            for lev in nye:
                register = register.med(lev)
            self._leverandoerregister = register
        for leverandoer_id in dict.fromkeys(ukendte):
            for lytter in self._nye_leverandoerer:
                lytter(leverandoer_id)
