"""Reading one case fast: its history kept in order, fast-forwarded by log position, and
checkpoints of the case-state fold.

Without it, every read of a case replays the whole `Sagsforloeb` from the store (a case with
daily visits has over a thousand events after a year), sorts it and folds it from the first
event: ~90 ms for 1,200 events (bench figure 4, goal < 10 ms). Here each case read recently
is kept as:
- its envelopes in history order (recorded_at, source, sequence) and the aggregate version
  they reflect. A read asks the store only for events after that version (one indexed
  query, usually empty), so what a read returns is never older than the store;
- the fold's state after every CHECKPOINT_INTERVAL envelopes. The state as known at a
  moment is the history prefix recorded by then (a bisection), folded on from the nearest
  checkpoint at or before it: at most CHECKPOINT_INTERVAL - 1 steps and one copy.
The result equals `sag_som_kendt(historik(som_kendt_pr))` exactly; tests compare the two.

Free text in the envelopes is kept as text (or the placeholder); an entry remembers whose
personal data it holds and is dropped and read again once one of those keys is erased, so a
cached case never shows erased text.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import EventStore

from services.supervision.domain.fold import Haendelse
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.supervision.domain.sagstilstand import Sagstilstand
from shared.kernel import NotFound
from shared.kernel.personoplysning import ejere, som_visning

#: A checkpoint copies the visit records, so memory grows with the square of a case's size
#: over the interval: a year's biggest case (4 visits a day, ~1,600 envelopes, ~1,500
#: visits) holds ~13 checkpoints, ~5 MB. A read folds at most 127 envelopes on (~0.3 ms).
CHECKPOINT_INTERVAL = 128
#: Cases kept: the cases being read now (an auditor's sample, a caseworker's day), not all.
CACHE_CASES = 64

Noegle = tuple[datetime, str, int]


def _noegle(h: Haendelse) -> Noegle:
    return (datetime.fromisoformat(h["recorded_at"]), h["source"], h["sequence"])


@dataclass
class _Sag:
    version: int = 0
    er_forloeb: bool = False
    noegler: list[Noegle] = field(default_factory=list)
    haendelser: list[Haendelse] = field(default_factory=list)
    #: checkpoints[i]: the fold after the first i * CHECKPOINT_INTERVAL envelopes.
    checkpoints: list[Sagstilstand] = field(default_factory=list)
    #: The citizen as the first envelope recorded that names one has it (as
    #: Sagsforloeb.borger_id), so the access log of a read needs no replay either.
    borger_id: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Owners of the personal data in `haendelser` whose key was still there when read.
    #: Replaced, never changed in place: another thread reads it without this entry's lock.
    ejere: frozenset[str] = frozenset()

    def tilfoej(self, h: Haendelse) -> None:
        noegle = _noegle(h)
        i = bisect.bisect_right(self.noegler, noegle)
        self.noegler.insert(i, noegle)
        self.haendelser.insert(i, h)
        # Checkpoints past an envelope that arrived out of history order are stale.
        del self.checkpoints[i // CHECKPOINT_INTERVAL + 1 :]

    def antal_kendt(self, som_kendt_pr: datetime | None) -> int:
        if som_kendt_pr is None:
            return len(self.haendelser)
        # Every key with this moment sorts before (moment, "\uffff", ...): the prefix is
        # exactly the envelopes recorded at or before the moment.
        return bisect.bisect_right(self.noegler, (som_kendt_pr, "\uffff", 0))

    def tilstand(self, sag_id: str, antal: int) -> Sagstilstand:
        if not self.checkpoints:
            self.checkpoints.append(Sagstilstand(sag_id))
        # Extend the checkpoints as far as this read needs (each is paid for once).
        while len(self.checkpoints) * CHECKPOINT_INTERVAL <= antal:
            n = len(self.checkpoints)
            state = self.checkpoints[-1].kopi()
            for h in self.haendelser[(n - 1) * CHECKPOINT_INTERVAL : n * CHECKPOINT_INTERVAL]:
                state.registrer(h)
            self.checkpoints.append(state)
        base = antal // CHECKPOINT_INTERVAL
        state = self.checkpoints[base].kopi()
        for h in self.haendelser[base * CHECKPOINT_INTERVAL : antal]:
            state.registrer(h)
        return state


class Sagslaeser:
    def __init__(
        self,
        events: EventStore[UUID],
        slettet: Callable[[str], bool] = lambda _ejer: False,
        maks: int = CACHE_CASES,
    ) -> None:
        self._events = events
        self._slettet = slettet
        self._maks = maks
        self._sager: OrderedDict[UUID, _Sag] = OrderedDict()
        self._lock = threading.Lock()

    def _sag(self, sag_id: UUID) -> _Sag:
        with self._lock:
            sag = self._sager.get(sag_id)
            if sag is not None and any(self._slettet(e) for e in sag.ejere):
                sag = None  # someone's key was erased since: read the case again
            if sag is None:
                sag = self._sager[sag_id] = _Sag()
                if len(self._sager) > self._maks:
                    self._sager.popitem(last=False)
            else:
                self._sager.move_to_end(sag_id)
            return sag

    def _opdateret(self, sag_id: UUID) -> _Sag:
        """The case's entry with everything the store has for it, its lock held (the
        caller releases it). An entry evicted meanwhile still serves this read."""
        sag = self._sag(sag_id)
        sag.lock.acquire()
        try:
            for e in self._events.get(sag_id, gt=sag.version or None):
                if isinstance(e, Sagsforloeb.HaendelseRegistreret):
                    nye = {x for x in ejere(e.haendelse) if not self._slettet(x)}
                    if not nye <= sag.ejere:
                        sag.ejere = sag.ejere | nye
                    sag.tilfoej(som_visning(e.haendelse, self._slettet))
                    borger_id = e.haendelse["data"].get("borger_id")
                    if sag.borger_id is None and isinstance(borger_id, str):
                        sag.borger_id = borger_id
                elif isinstance(e, Sagsforloeb.SagsforloebAabnet):
                    sag.er_forloeb = True
                sag.version = e.originator_version
            if not sag.er_forloeb:  # nothing stored, or another kind of aggregate
                with self._lock:
                    self._sager.pop(sag_id, None)
                raise NotFound("sag", sag_id)
        except BaseException:
            sag.lock.release()
            raise
        return sag

    def historik(self, sag_id: UUID, som_kendt_pr: datetime | None = None) -> list[Haendelse]:
        sag = self._opdateret(sag_id)
        try:
            return sag.haendelser[: sag.antal_kendt(som_kendt_pr)]
        finally:
            sag.lock.release()

    def borger_id(self, sag_id: UUID) -> str | None:
        sag = self._opdateret(sag_id)
        sag.lock.release()
        return sag.borger_id

    def tilstand(self, sag_id: UUID, som_kendt_pr: datetime | None = None) -> dict[str, Any]:
        sag = self._opdateret(sag_id)
        try:
            return sag.tilstand(str(sag_id), sag.antal_kendt(som_kendt_pr)).som_dict()
        finally:
            sag.lock.release()
