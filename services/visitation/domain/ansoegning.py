"""The application case before the decision: the citizen's confirmation of a relative's
application, partshøring, manglende medvirken and withdrawal. Sag inherits this part.

- A relative may start a case, but "visitator [vil] kontakte borgeren for at sikre, at
  borgeren er indforstået med at der påbegyndes en sag" (002): until the citizen has
  confirmed, the case is not assessed or decided. A citizen who does not want the case
  closes it (henlagt) without a decision.
- Partshøring (Forvaltningsloven § 19): information the citizen does not know, which is
  essential and to their disadvantage, is sent with a deadline for comments. A refusal
  resting on such information waits until the citizen answered or the deadline passed.
- Manglende medvirken: a citizen who does not take part is told in writing of the
  consequences, and the case is decided "på det foreliggende grundlag" (002).
- Tilbagetrækning: the applicant withdraws; the case closes without a decision.

Event classes live here and are stored under this module's topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning

if TYPE_CHECKING:
    from services.visitation.domain.values import Afgoerelse, Funktionsvurdering

#: Who may start a case on the citizen's behalf without it being the citizen's own request.
KRAEVER_BEKRAEFTELSE = frozenset({"paaroerende"})


@dataclass(frozen=True)
class Partshoering:
    """A hearing as the case knows it now (state, rebuilt from the events)."""

    partshoering_id: UUID
    sendt_dato: date
    svarfrist: date
    oplysninger: Personoplysning
    besvaret_dato: date | None = None
    svar: Personoplysning | None = None

    def afsluttet(self, dato: date) -> bool:
        """Answered, or its deadline has passed on `dato`."""
        return (self.besvaret_dato is not None and self.besvaret_dato <= dato) or (
            dato > self.svarfrist
        )


def _regel(regel: str, da: str, en: str) -> DomainRuleViolation:
    return DomainRuleViolation(regel, da, en)


class Ansoegningsdel(Aggregate):
    """Sag calls `_init_ansoegning` from its creation."""

    if TYPE_CHECKING:
        borger_id: UUID
        henvendelse_fra: str
        modtaget_dato: date
        afgoerelser: list[Afgoerelse]
        vurderinger: list[Funktionsvurdering]

    class SamtykkeRegistreret(Aggregate.Event):
        """The citizen's answer to a case a relative started (indforstaaet or not)."""

        dato: date
        indforstaaet: bool
        bemaerkning: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    class PartshoeringSendt(Aggregate.Event):
        partshoering_id: UUID
        sendt_dato: date
        svarfrist: date
        oplysninger: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    class PartshoeringBesvaret(Aggregate.Event):
        partshoering_id: UUID
        dato: date
        svar: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    class ManglendeMedvirkenNoteret(Aggregate.Event):
        dato: date
        beskrivelse: Personoplysning
        konsekvenser_oplyst_dato: date
        aktoer: Aktoer
        occurred_at: datetime

    class AnsoegningTilbagetrukket(Aggregate.Event):
        dato: date
        begrundelse: Personoplysning
        aktoer: Aktoer
        occurred_at: datetime

    def _fritekst(self, tekst: str) -> Personoplysning:
        # What the citizen, a relative or the visitator writes about the citizen is the
        # citizen's personal data: stored encrypted under their key (crypto-shredding).
        return Personoplysning.af(self.borger_id, tekst)

    def _init_ansoegning(self) -> None:
        #: (date, indforstaaet) of the citizen's answer to a relative's application
        self.samtykke: tuple[date, bool] | None = None
        self.partshoeringer: dict[UUID, Partshoering] = {}
        #: (date, konsekvenser_oplyst_dato) once non-cooperation is recorded
        self.manglende_medvirken: tuple[date, date] | None = None
        #: (date, reason) once the case is closed without a decision
        self.lukket: tuple[date, str] | None = None

    # -- guards the other commands call ------------------------------------------------
    @property
    def afventer_samtykke(self) -> bool:
        return self.henvendelse_fra in KRAEVER_BEKRAEFTELSE and self.samtykke is None

    def kraev_aaben_sag(self) -> None:
        if self.lukket is not None:
            raise _regel(
                "sag-lukket",
                f"Sagen er lukket uden afgørelse ({self.lukket[1]}, {self.lukket[0]}).",
                f"The case was closed without a decision ({self.lukket[1]}, {self.lukket[0]}).",
            )

    def kraev_sagsbehandling_tilladt(self) -> None:
        """Assessment and decision need an open case and, for a relative's application,
        the citizen's confirmation."""
        self.kraev_aaben_sag()
        if self.afventer_samtykke:
            raise _regel(
                "afventer-borgerens-samtykke",
                "Ansøgningen kom fra en pårørende: borgeren skal bekræfte, at sagen skal "
                "påbegyndes, før den vurderes eller afgøres.",
                "A relative applied: the citizen must confirm the case before it is assessed "
                "or decided.",
            )

    def kraev_sagsgrundlag(self, afgoerelse: Afgoerelse, partshoering_paakraevet: bool) -> None:
        """Before a decision: partshøring done where required, and an assessment unless the
        citizen did not cooperate (then only refusals on the information at hand)."""
        afslag = [u for u in afgoerelse.udfald if u.resultat in ("afslag", "delvist")]
        if afslag and partshoering_paakraevet and not self.partshoeringer:
            raise _regel(
                "partshoering-mangler",
                "Afslaget bygger på oplysninger, borgeren ikke kender: der skal "
                "partshøres først (Forvaltningsloven § 19).",
                "The refusal rests on information the citizen has not seen: a hearing "
                "must come first (Public Administration Act section 19).",
            )
        aabne = [
            p for p in self.partshoeringer.values() if not p.afsluttet(afgoerelse.truffet_dato)
        ]
        if afslag and aabne:
            raise _regel(
                "partshoering-aaben",
                f"Borgeren har frist til {aabne[0].svarfrist} til at udtale sig; der kan "
                "ikke gives afslag før svaret eller fristen.",
                f"The citizen may comment until {aabne[0].svarfrist}; no refusal before the "
                "answer or the deadline.",
            )
        kun_afslag = not afgoerelse.bevillinger and all(
            u.resultat == "afslag" for u in afgoerelse.udfald
        )
        if not self.vurderinger and self.manglende_medvirken is not None and not kun_afslag:
            raise _regel(
                "foreliggende-grundlag-kun-afslag",
                "Uden funktionsvurdering (manglende medvirken) kan der kun gives afslag "
                "på det foreliggende grundlag.",
                "Without an assessment (non-cooperation) only refusals on the information "
                "at hand are possible.",
            )

    @property
    def kan_afgoeres_uden_vurdering(self) -> bool:
        return self.manglende_medvirken is not None

    # -- commands ------------------------------------------------------------------
    def registrer_samtykke(
        self, dato: date, indforstaaet: bool, bemaerkning: str, aktoer: Aktoer, at: datetime
    ) -> None:
        self.kraev_aaben_sag()
        if self.henvendelse_fra not in KRAEVER_BEKRAEFTELSE:
            raise _regel(
                "samtykke-ikke-relevant",
                "Borgeren søgte selv; der skal ikke indhentes bekræftelse.",
                "The citizen applied in person; no confirmation is needed.",
            )
        if self.samtykke is not None:
            raise _regel(
                "samtykke-allerede-registreret",
                "Borgerens svar er allerede registreret.",
                "The citizen's answer is already recorded.",
            )
        if dato < self.modtaget_dato:
            raise _regel(
                "samtykke-foer-ansoegning",
                "Bekræftelsen kan ikke ligge før ansøgningen.",
                "The confirmation cannot predate the application.",
            )
        self._samtykke_registreret(dato, indforstaaet, self._fritekst(bemaerkning), aktoer, at)

    def send_partshoering(
        self,
        partshoering_id: UUID,
        sendt_dato: date,
        svarfrist: date,
        oplysninger: str,
        aktoer: Aktoer,
        at: datetime,
    ) -> None:
        self.kraev_sagsbehandling_tilladt()
        if self.afgoerelser:
            raise _regel(
                "partshoering-efter-afgoerelse",
                "Partshøring sker før afgørelsen.",
                "A hearing takes place before the decision.",
            )
        if not oplysninger.strip():
            raise _regel(
                "partshoering-uden-oplysninger",
                "Partshøringen skal gengive de oplysninger, borgeren høres om.",
                "The hearing must state the information the citizen is heard on.",
            )
        if sendt_dato < self.modtaget_dato or svarfrist <= sendt_dato:
            raise _regel(
                "partshoering-ugyldig-frist",
                "Partshøringen sendes tidligst på ansøgningsdagen, og svarfristen ligger "
                "efter afsendelsen.",
                "A hearing is sent no earlier than the application, with a deadline after it.",
            )
        self._partshoering_sendt(
            partshoering_id, sendt_dato, svarfrist, self._fritekst(oplysninger), aktoer, at
        )

    def besvar_partshoering(
        self, partshoering_id: UUID, dato: date, svar: str, aktoer: Aktoer, at: datetime
    ) -> None:
        self.kraev_aaben_sag()
        p = self.partshoeringer.get(partshoering_id)
        if p is None or p.besvaret_dato is not None:
            raise _regel(
                "partshoering-ukendt-eller-besvaret",
                "Partshøringen findes ikke eller er allerede besvaret.",
                "The hearing does not exist or has already been answered.",
            )
        if dato < p.sendt_dato or not svar.strip():
            raise _regel(
                "partshoering-svar-ugyldigt",
                "Svaret skal have indhold og kan ikke ligge før partshøringen.",
                "The answer needs content and cannot predate the hearing.",
            )
        # A late answer is still recorded (it may matter for a complaint), never refused.
        self._partshoering_besvaret(partshoering_id, dato, self._fritekst(svar), aktoer, at)

    def noter_manglende_medvirken(
        self,
        dato: date,
        beskrivelse: str,
        konsekvenser_oplyst_dato: date | None,
        aktoer: Aktoer,
        at: datetime,
    ) -> None:
        self.kraev_sagsbehandling_tilladt()
        if self.afgoerelser:
            raise _regel(
                "medvirken-efter-afgoerelse",
                "Manglende medvirken noteres før afgørelsen.",
                "Non-cooperation is recorded before the decision.",
            )
        if konsekvenser_oplyst_dato is None or konsekvenser_oplyst_dato > dato:
            raise _regel(
                "medvirken-konsekvenser-ikke-oplyst",
                "Borgeren skal være oplyst skriftligt om konsekvenserne af ikke at medvirke, "
                "før sagen afgøres på det foreliggende grundlag.",
                "The citizen must have been told in writing what not taking part means "
                "before the case is decided on the information at hand.",
            )
        if not beskrivelse.strip() or konsekvenser_oplyst_dato < self.modtaget_dato:
            raise _regel(
                "medvirken-ugyldig",
                "Beskriv, hvordan borgeren ikke har medvirket; datoerne ligger efter ansøgningen.",
                "Describe how the citizen did not take part; dates follow the application.",
            )
        self._manglende_medvirken_noteret(
            dato, self._fritekst(beskrivelse), konsekvenser_oplyst_dato, aktoer, at
        )

    def traek_ansoegning_tilbage(
        self, dato: date, begrundelse: str, aktoer: Aktoer, at: datetime
    ) -> None:
        self.kraev_aaben_sag()
        if self.afgoerelser:
            raise _regel(
                "tilbagetraekning-efter-afgoerelse",
                "Der er truffet afgørelse; hjælpen afsluttes i stedet ved ophør.",
                "The case is decided; end the help with an ophør instead.",
            )
        if dato < self.modtaget_dato or not begrundelse.strip():
            raise _regel(
                "tilbagetraekning-ugyldig",
                "Tilbagetrækningen skal begrundes og kan ikke ligge før ansøgningen.",
                "A withdrawal needs a reason and cannot predate the application.",
            )
        self._ansoegning_tilbagetrukket(dato, self._fritekst(begrundelse), aktoer, at)

    # -- events ----------------------------------------------------------------------
    @event(SamtykkeRegistreret)
    def _samtykke_registreret(
        self,
        dato: date,
        indforstaaet: bool,
        bemaerkning: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.samtykke = (dato, indforstaaet)
        if not indforstaaet:
            self.lukket = (dato, "borgeren ikke indforstået")

    @event(PartshoeringSendt)
    def _partshoering_sendt(
        self,
        partshoering_id: UUID,
        sendt_dato: date,
        svarfrist: date,
        oplysninger: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.partshoeringer[partshoering_id] = Partshoering(
            partshoering_id, sendt_dato, svarfrist, oplysninger
        )

    @event(PartshoeringBesvaret)
    def _partshoering_besvaret(
        self,
        partshoering_id: UUID,
        dato: date,
        svar: Personoplysning,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        p = self.partshoeringer[partshoering_id]
        self.partshoeringer[partshoering_id] = Partshoering(
            p.partshoering_id, p.sendt_dato, p.svarfrist, p.oplysninger, dato, svar
        )

    @event(ManglendeMedvirkenNoteret)
    def _manglende_medvirken_noteret(
        self,
        dato: date,
        beskrivelse: Personoplysning,
        konsekvenser_oplyst_dato: date,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.manglende_medvirken = (dato, konsekvenser_oplyst_dato)

    @event(AnsoegningTilbagetrukket)
    def _ansoegning_tilbagetrukket(
        self, dato: date, begrundelse: Personoplysning, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.lukket = (dato, "tilbagetrukket")
