"""The visitation case (Sag): one application, its assessment and decisions, and the
grants they gave. Complaints (klagesag.py) and the providers' notes (noter.py) live beside
it: they read the case but do not write it (docs/scaling.md, section 8).

Commands are public methods that check the rules first and then trigger a past-tense event;
the private @event methods only change state, so replaying old events never re-checks rules
that may have changed since.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from services.visitation.catalogue.model import Kvalitetsstandard
from services.visitation.domain import rules, upcasting
from services.visitation.domain.aeldrelov import kraev_aeldrelovsform
from services.visitation.domain.ankestyrelsen import Ankedel
from services.visitation.domain.ansoegning import Ansoegningsdel
from services.visitation.domain.kriterier import bevilling_mod_katalog, kraev_frit_valg
from services.visitation.domain.meddelelse import Meddelelsesdel
from services.visitation.domain.opfoelgning import Opfoelgningsdel
from services.visitation.domain.rehabilitering import Rehabiliteringsdel
from services.visitation.domain.rehabilitering_regler import kraev_83a_stillingtagen
from services.visitation.domain.valgfrist import Valgfristdel
from services.visitation.domain.values import (
    Aendringsindberetning,
    Afgoerelse,
    Anmodning,
    Funktionsvurdering,
    Klage,
)
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning, eje
from shared.reference.leverandoerer import Leverandoerregister

if TYPE_CHECKING:
    from services.visitation.domain.klagesag import Klagesag

#: A RevurderingsopgaveOprettet opened by a provider's change report has this `kilde`
#: prefix, followed by the provider's id (policies.py).
KILDE_AENDRINGSINDBERETNING = "aendringsindberetning:"
_DANMARK = ZoneInfo("Europe/Copenhagen")


def _dansk_dato(tidspunkt: datetime) -> date:
    try:
        return tidspunkt.astimezone(_DANMARK).date()
    except OverflowError:  # outside year 1-9999 in Danish time: the day as written
        return tidspunkt.date()


class Sag(
    Rehabiliteringsdel, Opfoelgningsdel, Ansoegningsdel, Ankedel, Valgfristdel, Meddelelsesdel
):
    """Events are declared explicitly: they are the case's record, and the public
    contracts and read models refer to them by class."""

    # v2 of the events below: the citizen's free text is Personoplysning (upcasting.py).
    class AnsoegningModtaget(Aggregate.Created):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.ansoegning_v1_v2)
        borger_id: UUID
        modtaget_dato: date
        kanal: str
        henvendelse_fra: str
        anmodninger: tuple[Anmodning, ...]
        aktoer: Aktoer
        occurred_at: datetime

    class FunktionsvurderingRegistreret(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.funktionsvurdering_v1_v2)
        vurdering: Funktionsvurdering
        aktoer: Aktoer
        occurred_at: datetime

    class AfgoerelseTruffet(Aggregate.Event):
        class_version = 4
        upcast_v1_v2 = staticmethod(upcasting.afgoerelse_v1_v2)
        upcast_v2_v3 = staticmethod(upcasting.afgoerelse_v2_v3)
        upcast_v3_v4 = staticmethod(upcasting.afgoerelse_v3_v4)
        afgoerelse: Afgoerelse
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    # Complaints filed before they became aggregates of their own (klagesag.py): kept so
    # those cases replay, and their reconsideration is still recorded here.
    class KlageOprettet(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.klage_v1_v2)
        klage: Klage
        aktoer: Aktoer
        occurred_at: datetime

    class BestillingKvitteret(Aggregate.Event):
        """Written by the code before the receipts moved beside the case (noter.py): kept
        so those cases replay; new receipts are Bestillingskvittering's."""

        bevilling_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    class KvitteringSendt(Aggregate.Event):
        dato: date
        forventet_afgoerelse: date | None
        aktoer: Aktoer
        occurred_at: datetime

    class FristOverskredet(Aggregate.Event):
        """Written by the code before missed deadlines were noted beside the case
        (noter.py): kept so those cases replay; new ones are Fristoverskridelse's."""

        frist_id: str
        fristtype: str
        frist: date
        konstateret_dato: date
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    class KlageGenvurderet(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.genvurdering_v1_v2)
        klage_id: UUID
        dato: date
        udfald: str  # medhold | fastholdt (fastholdt includes partly upheld)
        begrundelse: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    class RevurderingsopgaveOprettet(Aggregate.Event):
        class_version = 2
        upcast_v1_v2 = staticmethod(upcasting.revurderingsopgave_v1_v2)
        opgave_id: UUID
        kilde: str  # e.g. "aendringsindberetning:<leverandoer_id>"
        modtaget_dato: date
        frist: date
        beskrivelse: Personoplysning
        omraader: tuple[str, ...]
        aktoer: Aktoer
        occurred_at: datetime

    @event(AnsoegningModtaget)
    def __init__(
        self,
        borger_id: UUID,
        modtaget_dato: date,
        kanal: str,
        henvendelse_fra: str,
        anmodninger: tuple[Anmodning, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.borger_id = borger_id
        self.modtaget_dato = modtaget_dato
        self.kanal = kanal
        self.henvendelse_fra = henvendelse_fra
        self.anmodninger = anmodninger
        self.vurderinger: list[Funktionsvurdering] = []
        self.afgoerelser: list[Afgoerelse] = []
        self.klager: list[Klage] = []
        self.kvitterede_bestillinger: dict[UUID, str] = {}
        self.kvittering_sendt: date | None = None
        self.overskredne_frister: set[str] = set()
        self.genvurderet: dict[UUID, date] = {}
        self.genvurdering_udfald: dict[UUID, str] = {}
        #: opgave_id -> (deadline, date met by a new assessment or None)
        self.revurderingsopgaver: dict[UUID, tuple[date, date | None]] = {}
        #: opgave_id -> the change report that opened the task (with its text)
        self.aendringsindberetninger: dict[UUID, Aendringsindberetning] = {}
        self._init_rehabilitering()
        self._init_opfoelgning()
        self._init_ansoegning()
        self._init_anke()
        self._init_meddelelse()

    @classmethod
    def modtag_ansoegning(
        cls,
        borger_id: UUID,
        modtaget_dato: date,
        kanal: str,
        henvendelse_fra: str,
        anmodninger: tuple[Anmodning, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> Sag:
        rules.ansoegning_skal_indeholde_anmodninger(anmodninger)
        return cls(
            borger_id,
            modtaget_dato,
            kanal,
            henvendelse_fra,
            eje(anmodninger, borger_id),
            aktoer,
            occurred_at,
        )

    # -- commands ------------------------------------------------------------------
    def registrer_funktionsvurdering(
        self, vurdering: Funktionsvurdering, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.kraev_sagsbehandling_tilladt()
        rules.funktionsvurdering_gyldig(vurdering, self.modtaget_dato)
        self._funktionsvurdering_registreret(eje(vurdering, self.borger_id), aktoer, occurred_at)

    def traef_afgoerelse(
        self,
        afgoerelse: Afgoerelse,
        aktoer: Aktoer,
        occurred_at: datetime,
        katalog: Kvalitetsstandard | None = None,
        partshoering_paakraevet: bool = False,
        foedselsdato: date | None = None,
        klagesager: Sequence[Klagesag] = (),
        *,
        leverandoerer: Leverandoerregister,
    ) -> Afgoerelse:
        """Decide. `katalog` is the approved standard in force on the decision date; the
        decision records its version and each grant gets the entry's delivery rules.
        Without one (no approved standard yet) the decision records no version.
        `klagesager`: the case's complaints (klagesag.py), whose reopenings allow a new
        decision, as read when the command runs."""
        if not self.kan_afgoere(klagesager):
            raise DomainRuleViolation(
                "afgoerelse-allerede-truffet",
                "Der er allerede truffet afgørelse i sagen; ændringer kræver en ny afgørelse "
                "efter revurdering eller klage.",
                "The case already has a decision; changes need a new decision after "
                "re-assessment or complaint.",
            )
        self.kraev_sagsbehandling_tilladt()
        self.kraev_sagsgrundlag(afgoerelse, partshoering_paakraevet)
        kraev_aeldrelovsform(afgoerelse, self.anmodninger, foedselsdato, katalog, leverandoerer)
        rules.afgoerelse_gyldig(
            afgoerelse,
            self.anmodninger,
            bool(self.vurderinger) or self.kan_afgoeres_uden_vurdering,
            self.modtaget_dato,
            leverandoerer,
        )
        kraev_83a_stillingtagen(
            afgoerelse, self.afgoerelser, self.rehab_vurdering, list(self.rehab_forloeb.values())
        )
        if katalog is not None:
            vurdering = self.vurderinger[-1] if self.vurderinger else None
            afgoerelse = dataclasses.replace(
                afgoerelse,
                katalog_version=katalog.katalog_version,
                bevillinger=tuple(
                    bevilling_mod_katalog(b, katalog, vurdering) for b in afgoerelse.bevillinger
                ),
            )
            for b in afgoerelse.bevillinger:
                kraev_frit_valg(b, leverandoerer)
        afgoerelse = eje(afgoerelse, self.borger_id)
        # The citizen's pseudonym travels in the event: consumers need it, and an event
        # should be understandable without the aggregate's earlier state.
        self._afgoerelse_truffet(afgoerelse, self.borger_id, aktoer, occurred_at)
        return afgoerelse

    def send_kvittering(
        self, dato: date, forventet_afgoerelse: date | None, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        """Kvittering for modtagelse, with the expected processing time (002)."""
        rules.kvittering_gyldig(
            self.modtaget_dato, self.kvittering_sendt, dato, forventet_afgoerelse
        )
        self._kvittering_sendt(dato, forventet_afgoerelse, aktoer, occurred_at)

    def genvurder_klage(
        self,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        """A complaint filed on the case before complaints became Klagesager (klagesag.py):
        its reconsideration is recorded where the complaint is."""
        klage = next((k for k in self.klager if k.klage_id == klage_id), None)
        rules.genvurdering_gyldig(klage, klage_id in self.genvurderet, dato, begrundelse)
        self._klage_genvurderet(
            klage_id,
            dato,
            udfald,
            Personoplysning.af(self.borger_id, begrundelse),
            aktoer,
            occurred_at,
        )

    def opret_revurderingsopgave(
        self,
        opgave_id: UUID,
        kilde: str,
        modtaget_dato: date,
        frist: date,
        beskrivelse: str,
        omraader: tuple[str, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> bool:
        """Idempotent per opgave_id: a redelivered change report opens no second task."""
        if opgave_id in self.revurderingsopgaver:
            return False
        self._revurderingsopgave_oprettet(
            opgave_id,
            kilde,
            modtaget_dato,
            frist,
            Personoplysning.af(self.borger_id, beskrivelse),
            omraader,
            aktoer,
            occurred_at,
        )
        return True

    # -- events ----------------------------------------------------------------------
    @event(FunktionsvurderingRegistreret)
    def _funktionsvurdering_registreret(
        self, vurdering: Funktionsvurdering, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        # eje: a v1 event did not name the owner of its (plain) text; the case's citizen is.
        self.vurderinger.append(eje(vurdering, self.borger_id))
        for opgave_id, (frist, opfyldt) in list(self.revurderingsopgaver.items()):
            if opfyldt is None:
                self.revurderingsopgaver[opgave_id] = (frist, vurdering.vurderet_dato)

    @event(AfgoerelseTruffet)
    def _afgoerelse_truffet(
        self, afgoerelse: Afgoerelse, borger_id: UUID, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.afgoerelser.append(afgoerelse)

    @event(KlageOprettet)
    def _klage_oprettet(self, klage: Klage, aktoer: Aktoer, occurred_at: datetime) -> None:
        self.klager.append(eje(klage, self.borger_id))

    @event(BestillingKvitteret)
    def _bestilling_kvitteret(
        self, bevilling_id: UUID, leverandoer_id: str, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.kvitterede_bestillinger[bevilling_id] = leverandoer_id

    @event(KvitteringSendt)
    def _kvittering_sendt(
        self, dato: date, forventet_afgoerelse: date | None, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.kvittering_sendt = dato

    @event(FristOverskredet)
    def _frist_overskredet(
        self,
        frist_id: str,
        fristtype: str,
        frist: date,
        konstateret_dato: date,
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.overskredne_frister.add(frist_id)

    @event(KlageGenvurderet)
    def _klage_genvurderet(
        self,
        klage_id: UUID,
        dato: date,
        udfald: str,
        begrundelse: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.genvurderet[klage_id] = dato
        self.genvurdering_udfald[klage_id] = udfald

    @event(RevurderingsopgaveOprettet)
    def _revurderingsopgave_oprettet(
        self,
        opgave_id: UUID,
        kilde: str,
        modtaget_dato: date,
        frist: date,
        beskrivelse: Personoplysning,
        omraader: tuple[str, ...],
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.revurderingsopgaver[opgave_id] = (frist, None)
        if kilde.startswith(KILDE_AENDRINGSINDBERETNING):
            self.aendringsindberetninger[opgave_id] = Aendringsindberetning(
                opgave_id=opgave_id,
                leverandoer_id=kilde.removeprefix(KILDE_AENDRINGSINDBERETNING),
                observeret_dato=modtaget_dato,
                indberettet_dato=_dansk_dato(occurred_at),
                # eje: a v1 event stored the text without naming its owner; the citizen is.
                beskrivelse=eje(beskrivelse, self.borger_id),
                omraader=tuple(omraader),
            )
