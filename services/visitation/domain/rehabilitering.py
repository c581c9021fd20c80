"""§ 83 a rehabilitering before § 83 help, as a part of the case (Sag inherits it).

Serviceloven § 83, stk. 3: before assessing the need for § 83 help the municipality must
assess whether a § 83 a course could improve the citizen's function. A course is granted as
a whole (level, 4-12 weeks, individual goals; no list of indsatser), its goals change only
together with the citizen, and on its end or abandonment a new § 83 assessment is due.

The event classes live here and are stored under this module's topic
(`...rehabilitering:Rehabiliteringsdel.<Name>`): moving them later needs register_topic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.catalogue.model import Rehabilitering
from services.visitation.domain import upcasting
from services.visitation.domain.rehabilitering_regler import (
    FORLOEBSUDFALD,
    RETNINGSGIVENDE_MAAL_83A,
    Rehabiliteringsforloeb,
    forloeb_gyldigt,
    maal_gyldige,
)
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning, eje
from shared.kernel.tidsramme import plus_dage
from shared.reference.leverandoerer import Leverandoerregister


class Rehabiliteringsdel(Aggregate):
    """The § 83 a part of a case. Sag calls `_init_rehabilitering` from its creation."""

    if TYPE_CHECKING:
        borger_id: UUID

        def kraev_sagsbehandling_tilladt(self) -> None: ...

    # v2 of the events below: the citizen's free text is Personoplysning (upcasting.py).
    class RehabiliteringVurderet(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.rehab_vurdering_v1_v2)
        vurderet_dato: date
        kan_forbedre_funktionsevne: bool
        begrundelse: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    class RehabiliteringsforloebBevilget(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.rehab_forloeb_v1_v2)
        forloeb_id: UUID
        bevilget_dato: date
        niveau: str
        startdato: date
        slutdato: date
        retningsgivende_maal: str
        individuelle_maal: tuple[Personoplysning, ...]
        leverandoer_id: str
        katalog_version: str | None
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    class RehabiliteringsmaalAendret(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.rehab_maal_v1_v2)
        forloeb_id: UUID
        dato: date
        individuelle_maal: tuple[Personoplysning, ...]
        aktoer: Aktoer
        occurred_at: datetime

    class RehabiliteringsforloebAfsluttet(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.rehab_afslutning_v1_v2)
        forloeb_id: UUID
        dato: date
        udfald: str
        begrundelse: Personoplysning
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    def _init_rehabilitering(self) -> None:
        self.rehab_vurdering: tuple[date, bool] | None = None
        self.rehab_forloeb: dict[UUID, Rehabiliteringsforloeb] = {}

    # -- commands ------------------------------------------------------------------
    def vurder_rehabilitering(
        self,
        vurderet_dato: date,
        kan_forbedre_funktionsevne: bool,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.kraev_sagsbehandling_tilladt()  # a relative's application: citizen first
        if not begrundelse.strip():
            raise DomainRuleViolation(
                "83a-vurdering-uden-begrundelse",
                "Vurderingen efter § 83, stk. 3 skal begrundes.",
                "The section 83(3) assessment needs a reason.",
            )
        tekst = Personoplysning.af(self.borger_id, begrundelse)
        self._rehabilitering_vurderet(
            vurderet_dato, kan_forbedre_funktionsevne, tekst, aktoer, occurred_at
        )

    def bevilg_rehabiliteringsforloeb(
        self,
        forloeb_id: UUID,
        bevilget_dato: date,
        niveau: str,
        startdato: date,
        uger: int,
        retningsgivende_maal: str,
        individuelle_maal: tuple[str, ...],
        leverandoer_id: str,
        rammer: Rehabilitering,
        katalog_version: str | None,
        aktoer: Aktoer,
        occurred_at: datetime,
        *,
        leverandoerer: Leverandoerregister,
    ) -> Rehabiliteringsforloeb:
        forloeb_gyldigt(
            self.rehab_vurdering,
            list(self.rehab_forloeb.values()),
            bevilget_dato,
            niveau,
            startdato,
            uger,
            individuelle_maal,
            leverandoer_id,
            rammer,
            leverandoerer,
        )
        if retningsgivende_maal not in RETNINGSGIVENDE_MAAL_83A:
            raise DomainRuleViolation(
                "83a-retningsgivende-maal",
                "Det retningsgivende mål for et rehabiliteringsforløb er at udrede eller udvikle.",
                "The directional goal of a reablement course is to assess or to develop.",
            )
        self._rehabiliteringsforloeb_bevilget(
            forloeb_id,
            bevilget_dato,
            niveau,
            startdato,
            plus_dage(startdato, -1, uger=uger),
            retningsgivende_maal,
            self._som_personoplysninger(individuelle_maal),
            leverandoer_id,
            katalog_version,
            self.borger_id,
            aktoer,
            occurred_at,
        )
        return self.rehab_forloeb[forloeb_id]

    def _aktivt_forloeb(self, forloeb_id: UUID) -> Rehabiliteringsforloeb:
        forloeb = self.rehab_forloeb.get(forloeb_id)
        if forloeb is None or forloeb.afsluttet_dato is not None:
            raise DomainRuleViolation(
                "83a-forloeb-ikke-aktivt",
                "Rehabiliteringsforløbet findes ikke eller er allerede afsluttet.",
                "The reablement course does not exist or has already ended.",
            )
        return forloeb

    def aendr_rehabiliteringsmaal(
        self,
        forloeb_id: UUID,
        dato: date,
        individuelle_maal: tuple[str, ...],
        aftalt_med_borgeren: bool,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self._aktivt_forloeb(forloeb_id)
        if not aftalt_med_borgeren:
            raise DomainRuleViolation(
                "83a-maal-kun-med-borgeren",
                "Målene for et rehabiliteringsforløb ændres kun i samarbejde med borgeren.",
                "The goals of a reablement course change only together with the citizen.",
            )
        maal_gyldige(individuelle_maal)
        self._rehabiliteringsmaal_aendret(
            forloeb_id, dato, self._som_personoplysninger(individuelle_maal), aktoer, occurred_at
        )

    def afslut_rehabiliteringsforloeb(
        self,
        forloeb_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        forloeb = self._aktivt_forloeb(forloeb_id)
        if udfald not in FORLOEBSUDFALD or not begrundelse.strip():
            raise DomainRuleViolation(
                "83a-afslutning-ugyldig",
                "Et forløb afsluttes som gennemført eller afbrudt, med en begrundelse.",
                "A course ends as completed or abandoned, with a reason.",
            )
        if dato < forloeb.bevilget_dato:
            raise DomainRuleViolation(
                "83a-afslutning-foer-bevilling",
                "Forløbet kan ikke afsluttes før det blev bevilget.",
                "A course cannot end before it was granted.",
            )
        tekst = Personoplysning.af(self.borger_id, begrundelse)
        self._rehabiliteringsforloeb_afsluttet(
            forloeb_id, dato, udfald, tekst, self.borger_id, aktoer, occurred_at
        )

    def _som_personoplysninger(self, tekster: Sequence[str]) -> tuple[Personoplysning, ...]:
        return tuple(Personoplysning.af(self.borger_id, t) for t in tekster)

    # -- events ----------------------------------------------------------------------
    @event(RehabiliteringVurderet)
    def _rehabilitering_vurderet(
        self,
        vurderet_dato: date,
        kan_forbedre_funktionsevne: bool,
        begrundelse: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.rehab_vurdering = (vurderet_dato, kan_forbedre_funktionsevne)

    @event(RehabiliteringsforloebBevilget)
    def _rehabiliteringsforloeb_bevilget(
        self,
        forloeb_id: UUID,
        bevilget_dato: date,
        niveau: str,
        startdato: date,
        slutdato: date,
        retningsgivende_maal: str,
        individuelle_maal: tuple[Personoplysning, ...],
        leverandoer_id: str,
        katalog_version: str | None,
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.rehab_forloeb[forloeb_id] = Rehabiliteringsforloeb(
            forloeb_id,
            bevilget_dato,
            niveau,
            startdato,
            slutdato,
            retningsgivende_maal,
            eje(tuple(individuelle_maal), self.borger_id),
            leverandoer_id,
            katalog_version,
        )

    @event(RehabiliteringsmaalAendret)
    def _rehabiliteringsmaal_aendret(
        self,
        forloeb_id: UUID,
        dato: date,
        individuelle_maal: tuple[Personoplysning, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        # eje: a v1 event did not name the owner of its (plain) text; the case's citizen is.
        self.rehab_forloeb[forloeb_id] = dataclasses.replace(
            self.rehab_forloeb[forloeb_id],
            individuelle_maal=eje(tuple(individuelle_maal), self.borger_id),
        )

    @event(RehabiliteringsforloebAfsluttet)
    def _rehabiliteringsforloeb_afsluttet(
        self,
        forloeb_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: Personoplysning,
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.rehab_forloeb[forloeb_id] = dataclasses.replace(
            self.rehab_forloeb[forloeb_id], afsluttet_dato=dato, udfald=udfald
        )
