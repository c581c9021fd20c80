"""Supervision's application: case histories as published, replay as of a moment, the
access log, and the read models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from services.supervision.application.sagslaeser import Sagslaeser
from services.supervision.domain.sagsforloeb import Sagsforloeb
from shared.contracts import CONTRACTS, PublicEvent
from shared.contracts.personoplysninger import fritekst_skema, personoplysninger_i
from shared.infra.adgangslog import logger_for
from shared.infra.auth import Principal
from shared.infra.es import aggregat_ved_version
from shared.infra.service_app import ServiceApplication
from shared.kernel import Aktoer, NotFound
from shared.kernel.adgang import Adgang
from shared.kernel.fuldmagt import Fuldmagter, fuldmagtsregister_id
from shared.kernel.personoplysning import sagens_ejer
from shared.reference.kommunedata import kommunenavn

#: Events read per page while looking for the first that names the citizen.
_SIDE = 20


class SupervisionApplication(ServiceApplication):
    name = "supervision"

    # The free text in the envelopes it records is the citizen's personal data: stored
    # under the citizen's key from the key store the other services use, so one erasure
    # reaches supervision's copy too (ServiceApplication).

    @property
    def kommune(self) -> str:
        """The municipality supervising (BUM_KOMMUNE, as visitation reads it; herlev)."""
        return self.settings.kommune

    @property
    def kommunenavn(self) -> str:
        """How reports are signed: the kommune's own name from its data file (the folder
        visitation reads, BUM_KATALOG_DIR), e.g. "Sorø Kommune"."""
        return kommunenavn(self.kommune, self.settings.katalog_dir)

    def er_slettet(self, ejer: str) -> bool:
        """Whether the owner's key is erased (answered from memory for a few seconds)."""
        return self.keys is not None and self.keys.er_slettet(ejer)

    def hent_forloeb(self, sag_id: UUID) -> Sagsforloeb:
        try:
            forloeb: Sagsforloeb = self.repository.get(sag_id)
            if not forloeb.hele_historikken:
                # A head the consumer's turn holds: this read wants the whole history,
                # replayed apart from the turn (and its cache).
                forloeb = self.repository.get(sag_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise NotFound("sag", sag_id) from None
        return forloeb

    def forloeb_til_registrering(self, sag_id: UUID) -> Sagsforloeb | None:
        """The case history to record a public event in: the consumer's own copy if it
        holds one, else a head made from the stream's first and last events (None: no
        history yet). Its cost does not grow with the case's age (Sagsforloeb.hoved).

        Only in a consumer's turn, whose tracking has already dropped redeliveries; any
        other caller gets the whole history, whose event ids the aggregate checks."""
        turn = self.hurtig_repository.current_turn()
        if turn is None or not turn.tracked:
            try:
                return self.hent_forloeb(sag_id)
            except NotFound:
                return None
        return cast(
            "Sagsforloeb | None",
            self.hurtig_repository.get_for_writer(sag_id, self._forloebshoved),
        )

    def _forloebshoved(self, sag_id: UUID) -> Sagsforloeb | None:
        store = self.repository.event_store
        seneste = list(store.get(sag_id, desc=True, limit=1))
        if not seneste:
            return None
        return self._hoved(sag_id, seneste[0], None)

    def forhaand_hoveder(self, sag_ids: Sequence[UUID]) -> None:
        """Heads of a consumer batch's case histories read ahead: the newest and the first
        event of every case not in the turn or its cache, in one query, instead of a round
        trip or two per message (issue 15)."""
        nyeste, foerste = self.hurtig_repository.forhaand(sag_ids, foerste=True)
        turn = self.hurtig_repository.current_turn()
        assert turn is not None or not nyeste
        for sag_id, sidste in nyeste.items():
            assert turn is not None
            try:
                turn.handed[sag_id] = self._hoved(sag_id, sidste, foerste.get(sag_id))
            except NotFound:
                continue  # not a case history: the handler meets that message's error itself

    def _hoved(self, sag_id: UUID, sidste: Any, foerste: Aggregate.Event | None) -> Sagsforloeb:
        """The head at the newest event `sidste` (the first given, or read here)."""
        if not isinstance(sidste, Sagsforloeb.HaendelseRegistreret | Sagsforloeb.SagsforloebAabnet):
            raise NotFound("sag", sag_id)  # another aggregate's id
        store = self.repository.event_store
        # The citizen as the newest event carries it (v3), else as the first event naming
        # one has it: almost always the first page (visitation's AnsoegningModtaget names
        # the citizen; provider events may come before it, topics being unordered between
        # each other). The first event also dates the history's opening.
        borger_id: str | None = getattr(sidste, "borger_id", None)
        efter: int | None = None
        while foerste is None or borger_id is None:
            side = list(store.get(sag_id, gt=efter, limit=1 if borger_id else _SIDE))
            if foerste is None and side and isinstance(side[0], Aggregate.Event):
                foerste = side[0]
            for e in side:
                if borger_id is None and isinstance(e, Sagsforloeb.HaendelseRegistreret):
                    kandidat = e.haendelse["data"].get("borger_id")
                    if isinstance(kandidat, str):
                        borger_id = kandidat
            if len(side) < _SIDE:
                break
            efter = side[-1].originator_version
        assert foerste is not None
        return aggregat_ved_version(
            Sagsforloeb,
            sag_id,
            sidste.originator_version,
            foerste.timestamp,
            sidste.timestamp,
            Sagsforloeb.hoved(borger_id),
        )

    @cached_property
    def laeser(self) -> Sagslaeser:
        """Case reads from a cache kept up to date with the store (sagslaeser.py)."""
        return Sagslaeser(self.repository.event_store, self.er_slettet)

    def historik(self, sag_id: UUID, som_kendt_pr: datetime | None = None) -> list[dict[str, Any]]:
        """The case's public events in history order, as recorded by `som_kendt_pr`."""
        return self.laeser.historik(sag_id, som_kendt_pr)

    def borger_id(self, sag_id: UUID) -> str | None:
        """The citizen a case is about, as the sources published it (None if never named)."""
        return self.laeser.borger_id(sag_id)

    def fuldmagter(self, borger_id: str) -> Fuldmagter:
        """The citizen's fuldmagter as visitation published them: their register's events
        are recorded like a case's, under the register id."""
        fuldmagter = Fuldmagter()
        try:
            register = self.hent_forloeb(fuldmagtsregister_id(borger_id))
        except NotFound:
            return fuldmagter
        for h in register.haendelser:
            fuldmagter.registrer(h["event_type"], h["data"])
        return fuldmagter

    def hent_forloeb_for(self, sag_id: UUID, caller: Principal) -> Sagsforloeb:
        """The case, if this caller may see it: a citizen only their own, or one whose
        recorded fuldmagt to them covers seeing the case today; anyone else's case answers
        404, as if it did not exist."""
        forloeb = self.hent_forloeb(sag_id)
        if caller.rolle == "borger":
            borger_id = self.borger_id(sag_id) or ""
            if not caller.acts_for_borger(borger_id, self.fuldmagter(borger_id), "se_sagen"):
                raise NotFound("sag", sag_id)
        return forloeb

    def tilstand(self, sag_id: UUID, som_kendt_pr: datetime | None = None) -> dict[str, Any]:
        """The case as supervision can read it from what was recorded by `som_kendt_pr`."""
        return self.laeser.tilstand(sag_id, som_kendt_pr)

    def registrer_adgang(
        self, sag_id: UUID, aktoer: Aktoer, endpoint: str, formaal: str | None = None
    ) -> UUID:
        """Log a read of a case's data. Callers log before they answer: no log, no data."""
        borger_id = self.borger_id(sag_id)  # from the case reader, no replay
        (adgang,) = logger_for(self).registrer(aktoer, endpoint, formaal, [(sag_id, borger_id)])
        return adgang.id


class RecordEverything:
    """Process policy: every public event of every service goes into the case's history.

    The envelope is kept as received, except that the contract's free-text fields
    (`Fritekst`) are recorded as Personoplysning of the citizen, so the store holds them
    encrypted under the citizen's key. A provider event that arrives before any event naming
    the citizen (topics are not ordered between each other) is owned by the case's own
    subject, which visitation's erasure deletes along with the citizen's key."""

    def __init__(self, app: SupervisionApplication) -> None:
        self.app = app

    def forhaand(self, events: Sequence[PublicEvent]) -> None:
        """A batch's case histories read ahead (the consumer calls this before applying)."""
        turn = self.app.hurtig_repository.current_turn()
        if turn is not None and turn.tracked:
            self.app.forhaand_hoveder([e.case_id for e in events])

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        forloeb = self.app.forloeb_til_registrering(event.case_id) or Sagsforloeb(
            sag_id=str(event.case_id)
        )
        envelope = event.model_dump(mode="json")
        contract = CONTRACTS.get((event.event_type, event.schema_version))
        if contract is not None:
            ejer = envelope["data"].get("borger_id") or forloeb.borger_id()
            skema = fritekst_skema(contract)
            envelope["data"] = personoplysninger_i(
                envelope["data"], skema, ejer or sagens_ejer(event.case_id)
            )
        forloeb.registrer(envelope)
        return [forloeb]


class RecordReads:
    """Process policy: a read another service published (PersonoplysningerLaest) joins the
    access log, with the time it happened there."""

    def __call__(self, event: PublicEvent) -> Sequence[Aggregate]:
        if event.event_type != "PersonoplysningerLaest":
            return []  # a later contract on the topic: tracked, and left for a later fold
        d = event.data
        return [
            Adgang(
                tjeneste=event.source,
                endpoint=d["endpoint"],
                sag_id=d.get("sag_id"),
                borger_id=d.get("borger_id"),
                aktoer=event.actor.model_dump(),
                formaal=d.get("formaal"),
                laest=event.occurred_at.isoformat(),
            )
        ]
