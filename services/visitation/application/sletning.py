"""Erasure of a citizen's personal data (crypto-shredding), where the law allows it.

The key store is shared by the services (one `BUM_KEYSTORE_URL` database, or one
`BUM_KEYSTORE_DIR`): erasing the citizen's key here makes their data unreadable in every
service's event store at once, with no message to lose. See docs/personal-data.md.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.utils import get_topic

from services.visitation.application.visitation_app import VisitationApplication
from services.visitation.domain.sag import Sag
from services.visitation.domain.sletning import kraev_sletning_tilladt
from shared.kernel import Aktoer, DomainRuleViolation
from shared.kernel.personoplysning import sagens_ejer


def borgerens_sag_ids(app: VisitationApplication, borger_id: UUID) -> list[UUID]:
    """The ids of every case of the citizen, in the order they were opened. Read from the
    log (only the cases' first events), so it is complete: an erasure rests on it, and the
    access log names the cases a read of the citizen's own data (fuldmagter) concerns."""
    topic = get_topic(Sag.AnsoegningModtaget)
    sag_ids: list[UUID] = []
    start = 1
    while True:
        page = app.process_recorder.select_notifications(start=start, limit=500, topics=[topic])
        for n in page:
            created = app.mapper.to_domain_event(n)
            if isinstance(created, Sag.AnsoegningModtaget) and created.borger_id == borger_id:
                sag_ids.append(created.originator_id)
        if len(page) < 500:
            return sag_ids
        start = page[-1].id + 1


def borgerens_sager(app: VisitationApplication, borger_id: UUID) -> list[Sag]:
    """Every case of the citizen (an erasure is rare, and no read model may be trusted to
    be complete for a legal decision)."""
    return [app.hent_sag(i) for i in borgerens_sag_ids(app, borger_id)]


def slet_personoplysninger(
    app: VisitationApplication, borger_id: UUID, grund: str, aktoer: Aktoer
) -> date:
    """Refuse unless every case has ended and the retention has passed; then record the
    erasure (without personal data) and delete the citizen's key."""
    assert app.keys is not None
    borger = app.hent_borger(borger_id)
    if app.keys.is_erased(str(borger_id)):
        raise DomainRuleViolation(
            "personoplysninger-allerede-slettet",
            "Borgerens personoplysninger er allerede slettet.",
            "The citizen's personal data is already erased.",
        )
    sager = borgerens_sager(app, borger_id)
    if borger.slettet is not None:  # recorded, but the key's deletion did not happen
        _slet_noegler(app, borger_id, sager)
        return borger.slettet
    idag = app.ur.now().date()
    aar = app.settings.opbevaring.aar
    kraev_sletning_tilladt(sager, idag, aar)
    # Recorded first: if the erasure then fails, a retry finds the record and finishes it.
    borger.noter_sletning(grund, idag, aktoer, app.ur.now())
    app.save(borger)
    _slet_noegler(app, borger_id, sager)
    return idag


def _slet_noegler(app: VisitationApplication, borger_id: UUID, sager: list[Sag]) -> None:
    """The citizen's key, and each case's own subject (free text another service received
    before it knew the citizen; see `sagens_ejer`). The citizen's key goes last: while it
    exists, a failed erasure is retried (the check above) and finishes the cases' keys."""
    assert app.keys is not None
    for sag in sager:
        app.keys.erase(sagens_ejer(sag.id))
    app.keys.erase(str(borger_id))
