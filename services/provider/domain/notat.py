"""A care worker's note on one visit (besøgsnotat): what was done, what they noticed.

The provider's own record of the visit, written from the phone during or after it (often
offline, then synced). It is the citizen's personal data, kept encrypted under their key
and erased with them, and it is not published: visitation hears of a lasting change in the
citizen's function through an ændringsindberetning, not through the daily notes.

One aggregate per note: a note needs nothing but the visit to exist (checked by the
command against the visit's period), so writing one never contends with the deliveries
and cancellations that change the period.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.provider.domain.values import Enhedsregistrering
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import Personoplysning, eje

#: A note is a few lines of what happened, not a journal of its own.
MAKS_TEGN = 4000


class Besoegsnotat(Aggregate):
    class NotatSkrevet(Aggregate.Created):
        bestilling_id: UUID
        besoeg_id: UUID
        borger_id: UUID
        leverandoer_id: str
        medarbejder_id: str
        tekst: Personoplysning
        #: When the worker wrote it (on the device when synced; else when received).
        skrevet: datetime
        enhed: Enhedsregistrering | None
        aktoer: Aktoer
        occurred_at: datetime

    @event(NotatSkrevet)
    def __init__(
        self,
        bestilling_id: UUID,
        besoeg_id: UUID,
        borger_id: UUID,
        leverandoer_id: str,
        medarbejder_id: str,
        tekst: Personoplysning,
        skrevet: datetime,
        enhed: Enhedsregistrering | None,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.bestilling_id = bestilling_id
        self.besoeg_id = besoeg_id
        self.borger_id = borger_id
        self.leverandoer_id = leverandoer_id
        self.medarbejder_id = medarbejder_id
        self.tekst = tekst
        self.skrevet = skrevet
        self.enhed = enhed


def nyt_notat(
    bestilling_id: UUID,
    besoeg_id: UUID,
    borger_id: UUID,
    leverandoer_id: str,
    medarbejder_id: str,
    tekst: Personoplysning,
    enhed: Enhedsregistrering | None,
    aktoer: Aktoer,
    nu: datetime,
) -> Besoegsnotat:
    """The rules of a note: some text, not a novel; the citizen owns it."""
    indhold = (tekst.tekst or "").strip()
    if not indhold:
        raise DomainRuleViolation("notat-tomt", "Notatet er tomt.", "A note needs some text.")
    if len(indhold) > MAKS_TEGN:
        raise DomainRuleViolation(
            "notat-for-langt",
            f"Et besøgsnotat er højst {MAKS_TEGN} tegn.",
            f"A visit note is at most {MAKS_TEGN} characters.",
        )
    return Besoegsnotat(
        bestilling_id=bestilling_id,
        besoeg_id=besoeg_id,
        borger_id=borger_id,
        leverandoer_id=leverandoer_id,
        medarbejder_id=medarbejder_id,
        tekst=eje(tekst, borger_id),
        skrevet=enhed.registreret_paa_enhed if enhed is not None else nu,
        enhed=enhed,
        aktoer=aktoer,
        occurred_at=nu,
    )
