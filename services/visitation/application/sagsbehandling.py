"""Commands on the application case before the decision (samtykke, partshøring, manglende
medvirken, tilbagetrækning). VisitationApplication inherits them; kept apart so the
application module stays small."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from shared.infra.tid import Ur
from shared.kernel import Aktoer

if TYPE_CHECKING:
    from services.visitation.domain.sag import Sag
    from shared.reference.leverandoerer import Leverandoerregister

T = TypeVar("T")


class Sagsbehandling:
    if TYPE_CHECKING:
        #: The application clock (EventStoreApplication.ur).
        ur: Ur

        def _kommando(self, sag_id: UUID, command: Callable[[Sag], T]) -> T: ...

        @property
        def leverandoerregister(self) -> Leverandoerregister: ...

    def registrer_samtykke(
        self, sag_id: UUID, dato: date, indforstaaet: bool, bemaerkning: str, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.registrer_samtykke(
                dato, indforstaaet, bemaerkning, aktoer, self.ur.now()
            ),
        )

    def send_partshoering(
        self, sag_id: UUID, sendt_dato: date, svarfrist: date, oplysninger: str, aktoer: Aktoer
    ) -> UUID:
        partshoering_id = uuid.uuid4()
        self._kommando(
            sag_id,
            lambda sag: sag.send_partshoering(
                partshoering_id, sendt_dato, svarfrist, oplysninger, aktoer, self.ur.now()
            ),
        )
        return partshoering_id

    def besvar_partshoering(
        self, sag_id: UUID, partshoering_id: UUID, dato: date, svar: str, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.besvar_partshoering(partshoering_id, dato, svar, aktoer, self.ur.now()),
        )

    def noter_manglende_medvirken(
        self,
        sag_id: UUID,
        dato: date,
        beskrivelse: str,
        konsekvenser_oplyst_dato: date | None,
        aktoer: Aktoer,
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.noter_manglende_medvirken(
                dato, beskrivelse, konsekvenser_oplyst_dato, aktoer, self.ur.now()
            ),
        )

    def traek_ansoegning_tilbage(
        self, sag_id: UUID, dato: date, begrundelse: str, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.traek_ansoegning_tilbage(dato, begrundelse, aktoer, self.ur.now()),
        )

    def vaelg_leverandoer(
        self, sag_id: UUID, kategori: str, leverandoer_id: str, dato: date, aktoer: Aktoer
    ) -> None:
        self._kommando(
            sag_id,
            lambda sag: sag.vaelg_leverandoer(
                kategori,
                leverandoer_id,
                dato,
                "borgerens_valg",
                aktoer,
                self.ur.now(),
                leverandoerer=self.leverandoerregister,
            ),
        )
