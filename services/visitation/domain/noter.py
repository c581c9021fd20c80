"""What the providers and the clock note about a case, kept beside the case in small
aggregates of their own: the receipt of each grant's order (Bestillingskvittering), the
delivery failures and refused orders of one month (Leveringsnoter), and each missed
deadline (Fristoverskridelse).

Why not on the case: these are written by the consumer or the clock check, grow with the
weeks of delivery (a failure a week is a hundred events in two years) and no rule of the
case reads them; each needs only its own idempotency. On the case they made every later
command replay them. A note is checked against the case when it is taken (e.g. the grant
must exist), read only: the case's version is not bumped, so a note never makes a
visitator's command lose a race (docs/scaling.md, section 8).

Cases written before the cut keep their old notes in their own history (Sag's event
classes replay them); `ny_kvittering` and friends look there too, so a redelivered report
is not noted twice.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import Aktoer

if TYPE_CHECKING:
    from services.visitation.domain.frister import Frist
    from services.visitation.domain.sag import Sag

NOTE_NAMESPACE = UUID("b6c1d2e3-4f50-4a61-9b72-8c93d4e5f607")


def maaned(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def maaneder(fra: date, til: date) -> list[str]:
    """Every month from `fra`'s to `til`'s, both included."""
    ud: list[str] = []
    aar, md = fra.year, fra.month
    while (aar, md) <= (til.year, til.month):
        ud.append(f"{aar:04d}-{md:02d}")
        aar, md = (aar + 1, 1) if md == 12 else (aar, md + 1)
    return ud


class Bestillingskvittering(Aggregate):
    """The provider acknowledged the order of one grant (one per case and grant)."""

    class BestillingKvitteret(Aggregate.Created):
        sag_id: UUID
        bevilling_id: UUID
        leverandoer_id: str
        aktoer: Aktoer
        occurred_at: datetime

    @staticmethod
    def create_id(sag_id: UUID, bevilling_id: UUID) -> UUID:
        return uuid.uuid5(NOTE_NAMESPACE, f"kvittering/{sag_id}/{bevilling_id}")

    @event(BestillingKvitteret)
    def __init__(
        self,
        sag_id: UUID,
        bevilling_id: UUID,
        leverandoer_id: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.sag_id = sag_id
        self.bevilling_id = bevilling_id
        self.leverandoer_id = leverandoer_id


def ny_kvittering(
    sag: Sag,
    kvittering: Bestillingskvittering | None,
    bevilling_id: UUID,
    leverandoer_id: str,
    aktoer: Aktoer,
    occurred_at: datetime,
) -> Bestillingskvittering | None:
    """The receipt to save, or None: already noted (here or in the case's old history),
    or a grant the case does not have (ignored, as a receipt always was)."""
    if kvittering is not None or bevilling_id in sag.kvitterede_bestillinger:
        return None
    if bevilling_id not in {b.bevilling_id for a in sag.afgoerelser for b in a.bevillinger}:
        return None
    return Bestillingskvittering(sag.id, bevilling_id, leverandoer_id, aktoer, occurred_at)


class Leveringsnoter(Aggregate):
    """One case's delivery failures (by the visit's original date) and refused orders (by
    the order's start) in one calendar month: the visitator's § 90 follow-up list."""

    class Oprettet(Aggregate.Created):
        sag_id: UUID
        maaned: str

    class LeveringSvigtNoteret(Aggregate.Event):
        besoeg_id: UUID
        leverandoer_id: str
        oprindelig_dato: date
        aarsag: str
        aktoer: Aktoer
        occurred_at: datetime

    class BestillingAfvistNoteret(Aggregate.Event):
        """The provider refused an order (not approved for the category on its start)."""

        bevilling_id: UUID
        leverandoer_id: str
        kategori: str
        startdato: date
        begrundelse: str
        aktoer: Aktoer
        occurred_at: datetime

    @staticmethod
    def create_id(sag_id: UUID, maaned: str) -> UUID:
        return uuid.uuid5(NOTE_NAMESPACE, f"leveringsnoter/{sag_id}/{maaned}")

    @event(Oprettet)
    def __init__(self, sag_id: UUID, maaned: str) -> None:
        self.sag_id = sag_id
        self.maaned = maaned
        #: besoeg_id -> (leverandoer_id, original date)
        self.leveringssvigt: dict[UUID, tuple[str, date]] = {}
        #: (bevilling_id, leverandoer_id, startdato) -> the provider's reason
        self.afviste_bestillinger: dict[tuple[UUID, str, date], str] = {}

    def noter_leveringssvigt(
        self,
        sag: Sag,
        besoeg_id: UUID,
        leverandoer_id: str,
        oprindelig_dato: date,
        aarsag: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> bool:
        """Idempotent: a redelivered LeveringSvigtet is noted once (also across the cut)."""
        assert maaned(oprindelig_dato) == self.maaned, "the month of the visit's date"
        if besoeg_id in self.leveringssvigt or besoeg_id in sag.leveringssvigt:
            return False
        self._levering_svigt_noteret(
            besoeg_id, leverandoer_id, oprindelig_dato, aarsag, aktoer, occurred_at
        )
        return True

    def noter_bestilling_afvist(
        self,
        sag: Sag,
        bevilling_id: UUID,
        leverandoer_id: str,
        kategori: str,
        startdato: date,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> bool:
        """Idempotent: a redelivered BestillingAfvist is noted once (also across the cut)."""
        assert maaned(startdato) == self.maaned, "the month of the order's start"
        noegle = (bevilling_id, leverandoer_id, startdato)
        if noegle in self.afviste_bestillinger or noegle in sag.afviste_bestillinger:
            return False
        self._bestilling_afvist_noteret(
            bevilling_id, leverandoer_id, kategori, startdato, begrundelse, aktoer, occurred_at
        )
        return True

    @event(LeveringSvigtNoteret)
    def _levering_svigt_noteret(
        self,
        besoeg_id: UUID,
        leverandoer_id: str,
        oprindelig_dato: date,
        aarsag: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.leveringssvigt[besoeg_id] = (leverandoer_id, oprindelig_dato)

    @event(BestillingAfvistNoteret)
    def _bestilling_afvist_noteret(
        self,
        bevilling_id: UUID,
        leverandoer_id: str,
        kategori: str,
        startdato: date,
        begrundelse: str,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.afviste_bestillinger[(bevilling_id, leverandoer_id, startdato)] = begrundelse


class Fristoverskridelse(Aggregate):
    """A deadline of the case the clock check found missed (one per case and deadline)."""

    class FristOverskredet(Aggregate.Created):
        sag_id: UUID
        frist_id: str
        fristtype: str
        frist: date
        konstateret_dato: date
        borger_id: UUID
        aktoer: Aktoer
        occurred_at: datetime

    @staticmethod
    def create_id(sag_id: UUID, frist_id: str) -> UUID:
        return uuid.uuid5(NOTE_NAMESPACE, f"frist/{sag_id}/{frist_id}")

    @event(FristOverskredet)
    def __init__(
        self,
        sag_id: UUID,
        frist_id: str,
        fristtype: str,
        frist: date,
        konstateret_dato: date,
        borger_id: UUID,
        aktoer: Aktoer,
        occurred_at: datetime,
    ) -> None:
        self.sag_id = sag_id
        self.frist_id = frist_id
        self.konstateret_dato = konstateret_dato


def ny_fristoverskridelse(
    sag: Sag,
    noteret: bool,
    frist: Frist,
    idag: date,
    aktoer: Aktoer,
    occurred_at: datetime,
) -> Fristoverskridelse | None:
    """The note to save, or None: not missed on `idag`, or already noted (`noteret`, or in
    the case's old history). The check may run any number of times."""
    if noteret or frist.frist_id in sag.overskredne_frister:
        return None
    if frist.status(idag) != "overskredet":
        return None
    # The citizen's pseudonym travels in the event: consumers need it.
    return Fristoverskridelse(
        sag.id,
        frist.frist_id,
        frist.fristtype,
        frist.frist,
        idag,
        sag.borger_id,
        aktoer,
        occurred_at,
    )
