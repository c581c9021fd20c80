"""All of supervision's read models, fed from its own notification log in one pass.

Most of the log is `HaendelseRegistreret` (a public event envelope kept whole). Those are
decoded straight from the stored JSON: the envelope is plain JSON, so turning it into a
domain event object first only costs time (the library path manages ~1k events/s with a
transaction per event; this pass reads thousands of rows per query). Supervision's own
events (access log, aktindsigt) go through the library's mapper.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import orjson
from eventsourcing.utils import get_topic

from services.supervision.adapters.loglaeser import Raekke, laes_log
from services.supervision.domain.adgangslog import Adgang, Adgangslog
from services.supervision.domain.fold import Haendelse
from services.supervision.domain.leveringsgrad import Leveringsgrad
from services.supervision.domain.sagsforloeb import Sagsforloeb
from services.supervision.domain.tilsynsbesoeg import Tilsynsbesoeg
from services.supervision.domain.tilsynsfund import Tilsynsfund
from services.supervision.domain.tilsynstal import Tilsynstal
from shared.infra.eventstore import EventStoreApplication
from shared.infra.projection import LogFollowingProjection
from shared.kernel.personoplysning import som_visning

T = TypeVar("T")
HAENDELSE_TOPIC = get_topic(Sagsforloeb.HaendelseRegistreret)
#: Supervision's own event types some read model folds; the rest (a case history opened,
#: an aktindsigt request) are not decoded at all during a pass.
EGNE_TOPICS = frozenset(
    {
        get_topic(Adgang.AdgangRegistreret),
        # Where access-log events were stored before the class moved to shared/kernel.
        "services.supervision.domain.adgangslog:Adgang.AdgangRegistreret",
        get_topic(Tilsynsbesoeg.FundRegistreret),
    }
)


@contextmanager
def uden_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for a pass: the folds keep hundreds of thousands of
    small records alive, and each collection would walk them all again (measured: ~15-20%
    of a rebuild's CPU time). Nothing a pass allocates is cyclic garbage; the collector
    resumes, as it was, afterwards."""
    var_aktiv = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if var_aktiv:
            gc.enable()


def kanonisk(value: Any) -> bytes:
    """The one byte representation figures are compared and fingerprinted in."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class Tilsynsprojektioner(LogFollowingProjection):
    batch_size = 10000

    def __init__(self, app: EventStoreApplication) -> None:
        super().__init__(app)
        self.leveringsgrad = Leveringsgrad()
        self.tilsynstal = Tilsynstal()
        self.adgangslog = Adgangslog()
        self.tilsynsfund = Tilsynsfund()
        self.haendelsestyper: dict[str, int] = {}
        self.sager: dict[str, int] = {}  # case id -> public events recorded
        #: Visitation's provider register, provider id -> its latest snapshot (the payload of
        #: LeverandoerregisterAendret): names and CVR for reports, who may be inspected.
        self.leverandoerregister: dict[str, dict[str, Any]] = {}
        self._ruter: dict[str, tuple[Callable[[Haendelse], None], ...]] = {}

    # -- folding -------------------------------------------------------------------------

    def offentlig(self, h: Haendelse) -> None:
        typ = h["event_type"]
        self.haendelsestyper[typ] = self.haendelsestyper.get(typ, 0) + 1
        if typ == "LeverandoerregisterAendret":
            # Keyed by the provider's register id, not a citizen's case: not in `sager`.
            self.leverandoerregister[h["data"]["leverandoer_id"]] = h["data"]
            return
        self.sager[h["case_id"]] = self.sager.get(h["case_id"], 0) + 1
        ruter = self._ruter.get(typ)
        if ruter is None:
            # Which folds care about this type, worked out once per type rather than
            # asked of every fold for every event (the rebuild's hot path).
            ruter = self._ruter[typ] = tuple(
                fold.registrer for fold in (self.leveringsgrad, self.tilsynstal) if fold.kender(typ)
            )
        for registrer in ruter:
            registrer(h)

    def egen(self, e: Any) -> None:
        self.adgangslog.egen(e)
        self.tilsynsfund.egen(e)

    def apply(self, domain_event: Any) -> None:
        if isinstance(domain_event, Sagsforloeb.HaendelseRegistreret):
            # No fold reads the free text; as text it equals the fast path's raw JSON
            # everywhere a fold looks.
            self.offentlig(som_visning(domain_event.haendelse))
        else:
            self.egen(domain_event)

    def catch_up(
        self, upto: int | None = None, fremdrift: Callable[[int], None] | None = None
    ) -> int:
        """Fold everything new in the log (up to notification `upto` when given).

        On a long pass (a rebuild, a cold start) the next batch is fetched on another thread
        while this one is folded: the database (its own process) and the read of rows wait
        on I/O without the GIL, so the two cores overlap fetching with folding."""
        mapper = self.app.mapper
        # With a cipher or compressor configured the stored state is not plain JSON.
        direkte = mapper.cipher is None and mapper.compressor is None
        recorder = self.app.process_recorder
        applied = 0
        forhaand: ThreadPoolExecutor | None = None
        naeste: Future[list[Raekke]] | None = None
        try:
            with self._lock, uden_gc():
                while upto is None or self.position < upto:
                    if naeste is not None:
                        raekker, naeste = naeste.result(), None
                    else:
                        raekker = laes_log(recorder, self.position + 1, self.batch_size, upto)
                    if not raekker:
                        break
                    sidste = raekker[-1][0]
                    if len(raekker) == self.batch_size and (upto is None or sidste < upto):
                        forhaand = forhaand or ThreadPoolExecutor(1, "projektion-forhaand")
                        naeste = forhaand.submit(
                            laes_log, recorder, sidste + 1, self.batch_size, upto
                        )
                    for position, topic, state in raekker:
                        if topic == HAENDELSE_TOPIC and direkte:
                            self.offentlig(orjson.loads(state)["haendelse"])
                        elif topic in EGNE_TOPICS or not direkte:
                            # Rare: fetch it again as a full notification for the mapper.
                            (n,) = recorder.select_notifications(start=position, limit=1)
                            self.apply(mapper.to_domain_event(n))
                    self.position = sidste
                    applied += len(raekker)
                    if fremdrift is not None:
                        fremdrift(len(raekker))
        finally:
            if forhaand is not None:
                forhaand.shutdown(wait=True, cancel_futures=True)
        return applied

    # -- reading -------------------------------------------------------------------------

    def resultater(self) -> dict[str, Any]:
        """Every read model's figures, in the shape the API serves them."""
        return {
            "leveringsgrad": self.leveringsgrad.resultat(),
            "tilsynstal": self.tilsynstal.resultat(),
            "adgangslog": self.adgangslog.resultat(),
            "tilsynsfund": self.tilsynsfund.resultat(),
            "haendelsestyper": dict(sorted(self.haendelsestyper.items())),
            "sager": dict(sorted(self.sager.items())),
        }

    def laes(self, fn: Callable[[Tilsynsprojektioner], T]) -> T:
        """Catch up, then read under the lock so no other thread folds meanwhile."""
        self.catch_up()
        with self._lock:
            return fn(self)

    def fingeraftryk(self) -> dict[str, Any]:
        """Position and a SHA-256 per read model: what the rebuild CLI compares."""
        resultater, position = self.laes(lambda p: (p.resultater(), p.position))
        return {
            "position": position,
            "projektioner": {
                navn: hashlib.sha256(kanonisk(v)).hexdigest() for navn, v in resultater.items()
            },
        }
