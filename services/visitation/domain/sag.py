"""The visitation case (Sag): one application, its assessment, decision and complaints.

Commands are public methods that check the rules first and then trigger a past-tense event;
the private @event methods only change state, so replaying old events never re-checks rules
that may have changed since.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.visitation.domain import rules
from services.visitation.domain.values import (
    Afgoerelse,
    Anmodning,
    Funktionsvurdering,
    Klage,
)
from shared.kernel import Aktoer, DomainRuleViolation


class Borger(Aggregate):
    """The citizen. The aggregate id is the pseudonymous borger_id used on every topic; the
    CPR number stays inside visitation."""

    @event("BorgerRegistreret")
    def __init__(self, cpr: str, navn: str, aktoer: Aktoer, occurred_at: datetime) -> None:
        self.cpr = cpr
        self.navn = navn


class BorgerIndeks(Aggregate):
    """Finds a citizen by CPR number without putting the CPR number in an aggregate id that
    could leave the service (the index id is a one-way hash of it)."""

    NAMESPACE = UUID("0f4b3f5e-28c5-4d0c-9a0e-3c2a8c1f6b21")

    @staticmethod
    def create_id(cpr: str) -> UUID:
        return uuid.uuid5(BorgerIndeks.NAMESPACE, cpr)

    @event("Oprettet")
    def __init__(self, cpr: str, borger_id: UUID) -> None:
        self.borger_id = borger_id


class Sag(Aggregate):
    """Events are declared explicitly: they are the case's record, and the public
    contracts and read models refer to them by class."""

    class AnsoegningModtaget(Aggregate.Created):
        borger_id: UUID
        modtaget_dato: date
        kanal: str
        henvendelse_fra: str
        anmodninger: tuple[Anmodning, ...]
        aktoer: Aktoer
        occurred_at: datetime

    class FunktionsvurderingRegistreret(Aggregate.Event):
        vurdering: Funktionsvurdering
        aktoer: Aktoer
        occurred_at: datetime

    class AfgoerelseTruffet(Aggregate.Event):
        afgoerelse: Afgoerelse
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    class KlageOprettet(Aggregate.Event):
        klage: Klage
        aktoer: Aktoer
        occurred_at: datetime

    class BestillingKvitteret(Aggregate.Event):
        bevilling_id: UUID
        leverandoer_id: str
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
            borger_id, modtaget_dato, kanal, henvendelse_fra, anmodninger, aktoer, occurred_at
        )

    # -- commands ------------------------------------------------------------------
    def registrer_funktionsvurdering(
        self, vurdering: Funktionsvurdering, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        rules.funktionsvurdering_gyldig(vurdering, self.modtaget_dato)
        self._funktionsvurdering_registreret(vurdering, aktoer, occurred_at)

    def traef_afgoerelse(
        self, afgoerelse: Afgoerelse, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        if self.afgoerelser:
            raise DomainRuleViolation(
                "afgoerelse-allerede-truffet",
                "Der er allerede truffet afgørelse i sagen; ændringer kræver en ny afgørelse "
                "efter revurdering eller klage.",
                "The case already has a decision; changes need a new decision after "
                "re-assessment or complaint.",
            )
        rules.afgoerelse_gyldig(
            afgoerelse, self.anmodninger, bool(self.vurderinger), self.modtaget_dato
        )
        # The citizen's pseudonym travels in the event: consumers need it, and an event
        # should be understandable without the aggregate's earlier state.
        self._afgoerelse_truffet(afgoerelse, self.borger_id, aktoer, occurred_at)

    def opret_klage(
        self,
        klage_id: UUID,
        klagetype: str,
        modtaget_dato: date,
        beskrivelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> Klage:
        if not self.afgoerelser:
            raise DomainRuleViolation(
                "klage-uden-afgoerelse",
                "Der kan først klages, når der er truffet afgørelse i sagen.",
                "A complaint needs a decision to complain about.",
            )
        if not beskrivelse.strip():
            raise DomainRuleViolation(
                "klage-uden-beskrivelse",
                "Klagen skal beskrive, hvad der klages over.",
                "The complaint must say what it is about.",
            )
        seneste = self.afgoerelser[-1]
        klage = Klage(
            klage_id=klage_id,
            klagetype=klagetype,
            afgoerelse_id=seneste.afgoerelse_id if klagetype == "afgoerelse" else None,
            modtaget_dato=modtaget_dato,
            beskrivelse=beskrivelse,
            for_sent=klagetype == "afgoerelse"
            and rules.klage_for_sent(seneste.truffet_dato, modtaget_dato),
        )
        self._klage_oprettet(klage, aktoer, occurred_at)
        return klage

    def noter_bestilling_kvitteret(
        self, bevilling_id: UUID, leverandoer_id: str, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        """The provider acknowledged the order. Idempotent; unknown grants are ignored."""
        if bevilling_id in self.kvitterede_bestillinger or bevilling_id not in {
            b.bevilling_id for a in self.afgoerelser for b in a.bevillinger
        }:
            return
        self._bestilling_kvitteret(bevilling_id, leverandoer_id, aktoer, occurred_at)

    # -- events ----------------------------------------------------------------------
    @event(FunktionsvurderingRegistreret)
    def _funktionsvurdering_registreret(
        self, vurdering: Funktionsvurdering, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.vurderinger.append(vurdering)

    @event(AfgoerelseTruffet)
    def _afgoerelse_truffet(
        self, afgoerelse: Afgoerelse, borger_id: UUID, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.afgoerelser.append(afgoerelse)

    @event(KlageOprettet)
    def _klage_oprettet(self, klage: Klage, aktoer: Aktoer, occurred_at: datetime) -> None:
        self.klager.append(klage)

    @event(BestillingKvitteret)
    def _bestilling_kvitteret(
        self, bevilling_id: UUID, leverandoer_id: str, aktoer: Aktoer, occurred_at: datetime
    ) -> None:
        self.kvitterede_bestillinger[bevilling_id] = leverandoer_id
