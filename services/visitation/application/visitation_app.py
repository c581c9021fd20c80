"""Visitation's application: the unit of persistence and the commands a visitator gives."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.visitation.domain.sag import Borger, BorgerIndeks, Sag
from services.visitation.domain.values import (
    VALUE_TYPES,
    Afgoerelse,
    Anmodning,
    Funktionsvurdering,
    Klage,
)
from shared.infra.eventstore import EventStoreApplication
from shared.kernel import Aktoer, NotFound


def now() -> datetime:
    return datetime.now(UTC)


class VisitationApplication(EventStoreApplication):
    name = "visitation"
    value_types = VALUE_TYPES

    # -- commands ------------------------------------------------------------------
    def modtag_ansoegning(
        self,
        cpr: str,
        navn: str,
        modtaget_dato: date,
        kanal: str,
        henvendelse_fra: str,
        anmodninger: tuple[Anmodning, ...],
        aktoer: Aktoer,
    ) -> Sag:
        """Ansøgning modtaget. Registers the citizen on first contact."""
        tidspunkt = now()
        to_save: list[Borger | BorgerIndeks | Sag] = []
        indeks_id = BorgerIndeks.create_id(cpr)
        try:
            indeks: BorgerIndeks = self.repository.get(indeks_id)
            borger_id = indeks.borger_id
        except AggregateNotFoundError:
            borger = Borger(cpr=cpr, navn=navn, aktoer=aktoer, occurred_at=tidspunkt)
            borger_id = borger.id
            to_save += [borger, BorgerIndeks(cpr=cpr, borger_id=borger_id)]
        sag = Sag.modtag_ansoegning(
            borger_id, modtaget_dato, kanal, henvendelse_fra, anmodninger, aktoer, tidspunkt
        )
        to_save.append(sag)
        self.save(*to_save)
        return sag

    def registrer_funktionsvurdering(
        self, sag_id: UUID, vurdering: Funktionsvurdering, aktoer: Aktoer
    ) -> None:
        sag = self.hent_sag(sag_id)
        sag.registrer_funktionsvurdering(vurdering, aktoer, now())
        self.save(sag)

    def traef_afgoerelse(self, sag_id: UUID, afgoerelse: Afgoerelse, aktoer: Aktoer) -> None:
        sag = self.hent_sag(sag_id)
        sag.traef_afgoerelse(afgoerelse, aktoer, now())
        self.save(sag)

    def opret_klage(
        self,
        sag_id: UUID,
        klagetype: str,
        modtaget_dato: date,
        beskrivelse: str,
        aktoer: Aktoer,
    ) -> Klage:
        sag = self.hent_sag(sag_id)
        klage = sag.opret_klage(uuid.uuid4(), klagetype, modtaget_dato, beskrivelse, aktoer, now())
        self.save(sag)
        return klage

    # -- queries ---------------------------------------------------------------------
    def hent_sag(self, sag_id: UUID) -> Sag:
        try:
            sag: Sag = self.repository.get(sag_id)
        except AggregateNotFoundError:
            raise NotFound("sag", sag_id) from None
        if not isinstance(sag, Sag):
            raise NotFound("sag", sag_id)
        return sag

    def hent_borger(self, borger_id: UUID) -> Borger:
        try:
            borger: Borger = self.repository.get(borger_id)
        except AggregateNotFoundError:
            raise NotFound("borger", borger_id) from None
        return borger
