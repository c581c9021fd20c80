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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.catalogue.model import Rehabilitering
from services.visitation.domain import upcasting
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning, eje
from shared.reference.leverandoerer import er_godkendt

if TYPE_CHECKING:
    from services.visitation.domain.values import Afgoerelse

#: § 83, stk. 1: personlig hjælp, praktisk hjælp and madservice.
KATEGORIER_83 = frozenset({"personlig", "praktisk", "madservice"})
RETNINGSGIVENDE_MAAL_83A = frozenset({"udrede", "udvikle"})
FORLOEBSUDFALD = frozenset({"gennemfoert", "afbrudt"})


@dataclass(frozen=True)
class Rehabiliteringsforloeb:
    """The course as the case knows it now (state, not stored: rebuilt from the events)."""

    forloeb_id: UUID
    bevilget_dato: date
    niveau: str
    startdato: date
    slutdato: date
    retningsgivende_maal: str
    individuelle_maal: tuple[Personoplysning, ...]  # the citizen's own goals, in their words
    leverandoer_id: str
    katalog_version: str | None
    afsluttet_dato: date | None = None
    udfald: str | None = None  # gennemfoert | afbrudt


def _regel(regel: str, da: str, en: str) -> DomainRuleViolation:
    return DomainRuleViolation(regel, da, en)


def kraev_83a_stillingtagen(
    afgoerelse: Afgoerelse,
    tidligere: Sequence[Afgoerelse],
    vurdering: tuple[date, bool] | None,
    forloeb: Sequence[Rehabiliteringsforloeb],
) -> None:
    """§ 83, stk. 3: the first § 83 grant on a case needs a § 83 a assessment first, and if a
    course could help, the course must have ended or been abandoned."""
    # A helhedspleje forløb (ældreloven) is personal and practical help too.
    if afgoerelse.helhedspleje is None and not any(
        b.kategori in KATEGORIER_83 for b in afgoerelse.bevillinger
    ):
        return
    if any(
        a.helhedspleje is not None or any(b.kategori in KATEGORIER_83 for b in a.bevillinger)
        for a in tidligere
    ):
        return
    if vurdering is None:
        raise _regel(
            "83a-vurdering-foer-83",
            "Før der bevilges hjælp efter serviceloven § 83, skal det vurderes, om et "
            "rehabiliteringsforløb efter § 83 a kan forbedre funktionsevnen (§ 83, stk. 3).",
            "Before granting help under section 83 the municipality must assess whether a "
            "section 83 a reablement course could improve function (section 83(3)).",
        )
    if vurdering[1] and not any(f.afsluttet_dato is not None for f in forloeb):
        raise _regel(
            "83a-forloeb-foer-83",
            "Vurderingen er, at et rehabiliteringsforløb kan hjælpe: forløbet skal være "
            "afsluttet eller afbrudt, før der bevilges hjælp efter § 83.",
            "The assessment says a reablement course could help: the course must have ended "
            "or been abandoned before section 83 help is granted.",
        )


def forloeb_gyldigt(
    vurdering: tuple[date, bool] | None,
    forloeb: Sequence[Rehabiliteringsforloeb],
    bevilget_dato: date,
    niveau: str,
    startdato: date,
    uger: int,
    individuelle_maal: Sequence[str],
    leverandoer_id: str,
    rammer: Rehabilitering,
) -> None:
    if vurdering is None or not vurdering[1]:
        raise _regel(
            "83a-forloeb-kraever-vurdering",
            "Et rehabiliteringsforløb kræver en vurdering af, at forløbet kan forbedre "
            "funktionsevnen.",
            "A reablement course needs an assessment that it could improve function.",
        )
    if any(f.afsluttet_dato is None for f in forloeb):
        raise _regel(
            "83a-forloeb-allerede-aktivt",
            "Borgeren har allerede et aktivt rehabiliteringsforløb i sagen.",
            "The citizen already has an active reablement course on this case.",
        )
    if niveau not in rammer.niveauer:
        raise _regel(
            "83a-ukendt-niveau",
            f"Niveauet {niveau!r} findes ikke; kvalitetsstandarden kender {rammer.niveauer}.",
            f"Level {niveau!r} is unknown; the quality standard has {rammer.niveauer}.",
        )
    if not rammer.min_uger <= uger <= rammer.max_uger:
        raise _regel(
            "83a-varighed",
            f"Et rehabiliteringsforløb varer {rammer.min_uger}-{rammer.max_uger} uger.",
            f"A reablement course lasts {rammer.min_uger}-{rammer.max_uger} weeks.",
        )
    maal_gyldige(individuelle_maal)
    if startdato < bevilget_dato or bevilget_dato < vurdering[0]:
        raise _regel(
            "83a-ugyldig-periode",
            "Forløbet bevilges tidligst på vurderingsdagen og starter tidligst på bevillingsdagen.",
            "A course is granted no earlier than the assessment and starts no earlier than "
            "the grant.",
        )
    if not er_godkendt(leverandoer_id, "rehabilitering", startdato):
        raise _regel(
            "leverandoer-ikke-godkendt",
            f"{leverandoer_id} er ikke godkendt til rehabilitering den {startdato}.",
            f"{leverandoer_id} is not approved for reablement on {startdato}.",
        )


def maal_gyldige(individuelle_maal: Sequence[str]) -> None:
    if not individuelle_maal or not all(m.strip() for m in individuelle_maal):
        raise _regel(
            "83a-individuelle-maal",
            "Forløbet skal have individuelle mål, fastsat sammen med borgeren (§ 83 a, stk. 2).",
            "The course needs individual goals set with the citizen (section 83 a(2)).",
        )


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
            raise _regel(
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
        )
        if retningsgivende_maal not in RETNINGSGIVENDE_MAAL_83A:
            raise _regel(
                "83a-retningsgivende-maal",
                "Det retningsgivende mål for et rehabiliteringsforløb er at udrede eller udvikle.",
                "The directional goal of a reablement course is to assess or to develop.",
            )
        self._rehabiliteringsforloeb_bevilget(
            forloeb_id,
            bevilget_dato,
            niveau,
            startdato,
            startdato + timedelta(weeks=uger) - timedelta(days=1),
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
            raise _regel(
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
            raise _regel(
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
            raise _regel(
                "83a-afslutning-ugyldig",
                "Et forløb afsluttes som gennemført eller afbrudt, med en begrundelse.",
                "A course ends as completed or abandoned, with a reason.",
            )
        if dato < forloeb.bevilget_dato:
            raise _regel(
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
