"""Complaints: each its own Klagesag beside the case (domain/klagesag.py), filed against
the case as read when the command runs; complaints filed before the cut stay in the case
and are reconsidered there. The case's whole list merges both, for the reader.

VisitationApplication inherits this; kept apart so the application module stays small."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.visitation.domain.klagesag import Klagesag, klage_id, ny_klage
from services.visitation.domain.meddelelse import KLAGEFRIST_UGER
from shared.infra.tid import Ur
from shared.kernel import Aktoer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from eventsourcing.application import Repository
    from eventsourcing.persistence import Recording

    from services.visitation.catalogue.model import Kvalitetsstandard
    from services.visitation.domain.kalender import Arbejdskalender
    from services.visitation.domain.sag import Sag
    from services.visitation.domain.values import Klage

T = TypeVar("T")
#: Tries to file a complaint when other processes take the next number meanwhile.
FORSOEG = 3


class Klagebehandling:
    if TYPE_CHECKING:
        #: The application clock (EventStoreApplication.ur).
        ur: Ur
        repository: Repository[UUID]

        @property
        def kalender(self) -> Arbejdskalender: ...

        def _kommando(self, sag_id: UUID, command: Callable[[Sag], T]) -> T: ...
        def run_command(
            self, aggregate_ids: UUID | Iterable[UUID], command: Callable[[], T]
        ) -> T: ...
        def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]: ...
        def hent_sag(self, sag_id: UUID) -> Sag: ...
        def _afgoerelsens_katalog(self, sag: Sag, index: int) -> Kvalitetsstandard | None: ...

    def klagesager(self, sag_id: UUID) -> list[Klagesag]:
        """The case's complaints since the cut, in the order filed: number 1, 2, ... until
        one is missing (a complaint's id derives from its case and number)."""
        ud: list[Klagesag] = []
        while (k := self._klagesag(sag_id, klage_id(sag_id, len(ud) + 1))) is not None:
            ud.append(k)
        return ud

    def _klagesag(self, sag_id: UUID, id_: UUID) -> Klagesag | None:
        try:
            k: object = self.repository.get(id_)
        except AggregateNotFoundError:
            return None
        return k if isinstance(k, Klagesag) and k.sag_id == sag_id else None

    # -- commands ------------------------------------------------------------------
    def opret_klage(
        self,
        sag_id: UUID,
        klagetype: str,
        modtaget_dato: date,
        beskrivelse: str,
        aktoer: Aktoer,
    ) -> Klage:
        """A new Klagesag, checked against the case (a decision, its klagefrist) which is
        read, not written. Held as the case's writer in this process, so two complaints on
        one case take numbers in turn; another process taking the same number makes the
        save fail, and the next number is tried."""
        kalender = self.kalender

        def opret() -> Klage:
            for _ in range(FORSOEG):
                sag = self.hent_sag(sag_id)
                katalog = self._afgoerelsens_katalog(sag, -1)
                klagesag = ny_klage(
                    sag,
                    len(self.klagesager(sag_id)) + 1,
                    klagetype,
                    modtaget_dato,
                    beskrivelse,
                    aktoer,
                    self.ur.now(),
                    klagefrist_uger=katalog.frister.klagefrist_uger if katalog else KLAGEFRIST_UGER,
                    kalender=kalender,
                )
                try:
                    self.save(klagesag)
                except IntegrityError:
                    continue
                return klagesag.klage
            raise IntegrityError(f"no free complaint number on case {sag_id}")

        return self.run_command(sag_id, opret)

    def genvurder_klage(
        self,
        sag_id: UUID,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: str,
        aktoer: Aktoer,
    ) -> None:
        self._paa_klagen(
            sag_id,
            klage_id,
            lambda sag: sag.genvurder_klage(
                klage_id, dato, udfald, begrundelse, aktoer, self.ur.now()
            ),
            lambda klagesag: klagesag.genvurder(dato, udfald, begrundelse, aktoer, self.ur.now()),
        )

    def registrer_ankestyrelsens_afgoerelse(
        self,
        sag_id: UUID,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: str,
        aktoer: Aktoer,
    ) -> None:
        self._paa_klagen(
            sag_id,
            klage_id,
            lambda sag: sag.registrer_ankestyrelsens_afgoerelse(
                klage_id, dato, udfald, begrundelse, aktoer, self.ur.now()
            ),
            lambda klagesag: klagesag.registrer_ankestyrelsens_afgoerelse(
                dato, udfald, begrundelse, aktoer, self.ur.now()
            ),
        )

    def _paa_klagen(
        self,
        sag_id: UUID,
        klage_id: UUID,
        paa_sagen: Callable[[Sag], None],
        paa_klagesagen: Callable[[Klagesag], None],
    ) -> None:
        """A command on a complaint where it lives: in the case for one filed before the
        cut, else in its own Klagesag, run by that aggregate's one writer."""
        if self._klagesag(sag_id, klage_id) is None:  # filed on the case before the cut
            self._kommando(sag_id, paa_sagen)
            return

        def udfoer() -> None:
            klagesag = self._klagesag(sag_id, klage_id)
            assert klagesag is not None
            paa_klagesagen(klagesag)
            self.save(klagesag)

        self.run_command(klage_id, udfoer)

    # -- the case's whole list, for the reader ------------------------------------------
    def klager(self, sag: Sag, klagesager: list[Klagesag] | None = None) -> list[Klage]:
        nye = self.klagesager(sag.id) if klagesager is None else klagesager
        return [*sag.klager, *(k.klage for k in nye)]

    def ankeafgoerelser(
        self, sag: Sag, klagesager: list[Klagesag] | None = None
    ) -> dict[UUID, tuple[date, str]]:
        nye = self.klagesager(sag.id) if klagesager is None else klagesager
        ud = dict(sag.ankeafgoerelser)
        ud.update({k.id: k.ankeafgoerelse for k in nye if k.ankeafgoerelse is not None})
        return ud
