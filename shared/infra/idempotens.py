"""Idempotency keys on every command route (issue 19): a phone that lost its answer sends
the same command again and gets the first answer back instead of a second effect.

The header is `Idempotency-Key` (IETF draft "The Idempotency-Key HTTP Header Field"). A
key belongs to the caller that sent it (the token's subject) and to one service: another
worker's key never replays someone else's answer. What happens:

- unknown key: the command runs; its saves are held back (eventstore.Udsat) and stored in
  one transaction together with the key's record of the answer (status, JSON body, a
  fingerprint of method, path, query and body, and the time). Either both are stored or
  neither, so a command that took effect always has its answer to replay.
- known key, same fingerprint: the stored answer, same status and body, with
  `Idempotency-Replayed: true`; the command does not run again.
- known key, another fingerprint: 422 `urn:bum:regel:idempotens-noegle-genbrugt`.
- a key older than `BUM_IDEMPOTENS_TIMER` hours (72 by default), by the application clock,
  has expired: it counts as unknown and its next answer replaces the old.
- two requests with one key at once: both run, the store's version check on the key's
  record lets one commit; the other's transaction (its command's events too) rolls back
  and it answers with the winner's stored answer (422 as above if the bodies differ).

Only 2xx answers are stored (the draft allows either): a refusal (4xx) or a failure
(5xx) stored nothing the command did, so its retry runs again and may now succeed, and a
rule violation answered again is the same refusal. An endpoint that stored events and
then raised keeps today's behaviour: those events are stored, without a key record.
Routes that answer a file (a non-JSON response) are not recorded either.

The key's record is an event in the service's own store (`Idempotensnoegle`); no relay
maps it, so it stays inside the service. An answer may show personal data (a case's
request texts): when the command's events carry a citizen's `Personoplysning`, the
answer is stored encrypted with that citizen's key (the first owner, sorted, if several),
so erasing the citizen erases the stored answer too, and a retry after that runs again.
An answer whose command wrote no personal data is stored as it is.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from shared.infra.eventstore import EventStoreApplication, Udsat
from shared.infra.problemer import PROBLEM, problem_for
from shared.kernel import DomainRuleViolation
from shared.kernel.personoplysning import INGEN_EJER, Personoplysning, ejere

log = structlog.get_logger("idempotens")

HEADER = "Idempotency-Key"
#: Set on an answer that is a replay of the stored first answer.
REPLAYED = "Idempotency-Replayed"
REGEL_GENBRUGT = "idempotens-noegle-genbrugt"
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Idempotensnoegle(Aggregate):
    """One caller's key in one service, with the answer its command got."""

    @staticmethod
    def create_id(tjeneste: str, subjekt: str, noegle: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"bum:idempotens:{tjeneste}:{subjekt}:{noegle}")

    class Besvaret(Aggregate.Event):
        """A later answer under the key, once its first had expired."""

        fingeraftryk: str
        status: int
        #: The JSON body; encrypted with its citizen's key where it may show their data.
        svar: str | Personoplysning
        svaret: datetime
        sti: str

    # The first answer is the created event itself: one row more per keyed command, not two.
    @event("BesvaretFoersteGang")
    def __init__(
        self,
        tjeneste: str,
        subjekt: str,
        noegle: str,
        fingeraftryk: str,
        status: int,
        svar: str | Personoplysning,
        svaret: datetime,
        sti: str,
    ) -> None:
        self._svar(fingeraftryk, status, svar, svaret)

    @event(Besvaret)
    def besvar(
        self,
        fingeraftryk: str,
        status: int,
        svar: str | Personoplysning,
        svaret: datetime,
        sti: str,
    ) -> None:
        self._svar(fingeraftryk, status, svar, svaret)

    def _svar(
        self, fingeraftryk: str, status: int, svar: str | Personoplysning, svaret: datetime
    ) -> None:
        self.fingeraftryk = fingeraftryk
        self.status = status
        self.svar = svar
        self.svaret = svaret

    def gaeldende(self, nu: datetime, levetid: timedelta) -> bool:
        return nu - self.svaret < levetid


def fingeraftryk(*dele: str | bytes) -> str:
    """A hash of what makes two requests the same command. A JSON body counts by its
    content, so a client that orders keys differently on a retry is not refused."""
    h = hashlib.sha256()
    for del_ in dele:
        raw = del_.encode() if isinstance(del_, str) else del_
        with contextlib.suppress(ValueError):
            raw = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
        h.update(len(raw).to_bytes(8, "big"))
        h.update(raw)
    return h.hexdigest()


@dataclass
class Svar:
    """One command's answer as stored: what a replay sends."""

    status: int
    krop: str
    genafspillet: bool

    def response(self) -> Response:
        headers = {REPLAYED: "true"} if self.genafspillet else {}
        return Response(
            self.krop, status_code=self.status, media_type="application/json", headers=headers
        )

    def json(self) -> Any:
        return json.loads(self.krop)


class NoegleGenbrugt(DomainRuleViolation):
    """The key was used before for another command (422, like every rule refused)."""

    titel = "Nøglen er brugt til en anden forespørgsel / idempotency key reused"

    def __init__(self, noegle: str) -> None:
        super().__init__(
            REGEL_GENBRUGT,
            "Idempotensnøglen er allerede brugt til en anden forespørgsel.",
            f"The Idempotency-Key {noegle!r} was used for another request.",
        )
        self.noegle = noegle


@dataclass
class Anmodning:
    """A command under an idempotency key, from the header (or a sync item)."""

    app: EventStoreApplication
    noegle_id: UUID
    tjeneste: str
    subjekt: str
    noegle: str
    fingeraftryk: str
    sti: str

    def _hent(self) -> Idempotensnoegle | None:
        try:
            found: Any = self.app.repository.get(self.noegle_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Idempotensnoegle) else None

    def _gemt(self, found: Idempotensnoegle | None) -> Svar | None:
        # How long a key is kept: settings.IdempotensSettings (BUM_IDEMPOTENS_TIMER hours).
        levetid = timedelta(hours=self.app.settings.idempotens.timer)
        if found is None or not found.gaeldende(self.app.ur.now(), levetid):
            return None
        if found.fingeraftryk != self.fingeraftryk:
            raise NoegleGenbrugt(self.noegle)
        krop = found.svar
        if isinstance(krop, Personoplysning):
            if krop.slettet or krop.tekst is None:
                return None  # the citizen was erased: nothing to replay, it runs again
            krop = krop.tekst
        return Svar(found.status, krop, genafspillet=True)

    def _forsegl(self, krop: str, udsat: Udsat) -> str | Personoplysning:
        """The answer as stored: under the key of the citizen whose data the command wrote."""
        if self.app.keys is None:
            return krop
        owners = set[str]().union(*(ejere(e) for e in udsat.events(self.app)))
        owners.discard(INGEN_EJER)
        return Personoplysning(min(owners), krop) if owners else krop

    def udfoer(self, kommando: Callable[[], Any], svar: Callable[[Any], Svar | None]) -> Any:
        """Run `kommando` once per key: the stored answer if there is one, else its result,
        stored (if `svar` makes a storable answer of it) with its events in one
        transaction. A rerun once if only a stale copy made the transaction fail."""
        for forsoeg in range(2):
            found = self._hent()
            gemt = self._gemt(found)
            if gemt is not None:
                return gemt
            udsat = Udsat()
            token = Udsat.aktiv.set(udsat)
            try:
                result = kommando()
            except BaseException:
                Udsat.aktiv.reset(token)
                udsat.gem_alle()  # what it saved before raising is stored, as without a key
                raise
            Udsat.aktiv.reset(token)
            answer = svar(result)
            if answer is None or not 200 <= answer.status < 300:
                udsat.gem_alle()
                return result
            krop, nu = self._forsegl(answer.krop, udsat), self.app.ur.now()
            if found is None:
                noegle = Idempotensnoegle(
                    self.tjeneste,
                    self.subjekt,
                    self.noegle,
                    self.fingeraftryk,
                    answer.status,
                    krop,
                    nu,
                    self.sti,
                )
            else:
                noegle = found
                noegle.besvar(self.fingeraftryk, answer.status, krop, nu, self.sti)
            try:
                udsat.gem_alle(self.app, noegle)
            except IntegrityError:
                # Lost to the same key (a concurrent retry): its answer is ours. Lost on
                # another aggregate: nothing was stored; once more on fresh state.
                andet = self._gemt(self._hent())
                if andet is not None:
                    return andet
                if forsoeg == 1:
                    raise
                log.info("idempotent_command_rerun", noegle_id=str(self.noegle_id))
                continue
            return answer
        raise AssertionError("unreachable: the second attempt returns or raises")


#: The request's key, set by the route's dependency and read in the endpoint's thread.
_anmodning: contextvars.ContextVar[Anmodning | None] = contextvars.ContextVar(
    "idempotens", default=None
)


def anmodning_for(
    app: EventStoreApplication, subjekt: str, noegle: str, fingeraftryk_: str, sti: str
) -> Anmodning:
    tjeneste = app.name
    return Anmodning(
        app,
        Idempotensnoegle.create_id(tjeneste, subjekt, noegle),
        tjeneste,
        subjekt,
        noegle,
        fingeraftryk_,
        sti,
    )


async def idempotens_noegle(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="Optional. A retry with the same key and body gets the first "
            "answer again (`Idempotency-Replayed: true`) instead of a second effect; the "
            "same key with another body is 422 (urn:bum:regel:idempotens-noegle-genbrugt). "
            "Keys belong to the caller and expire after BUM_IDEMPOTENS_TIMER hours (72). "
            "Only 2xx answers are kept.",
        ),
    ] = None,
) -> None:
    """Route dependency (every command route, by OneHopRoute): reads the key, on the event
    loop, for the endpoint's thread (a context variable travels with the thread hop)."""
    if idempotency_key is None:
        _anmodning.set(None)
        return
    app = getattr(request.app.state, "idempotens_lager", None)
    if not isinstance(app, EventStoreApplication):
        _anmodning.set(None)  # a test app without a store: keys are not kept
        return
    principal = getattr(request.state, "principal", None)
    subjekt = getattr(principal, "subject", None) or "anonym"
    body = await request.body()
    fp = fingeraftryk(request.method, request.url.path, request.url.query, body)
    _anmodning.set(anmodning_for(app, subjekt, idempotency_key, fp, request.url.path))


def _noegle_genbrugt(reused: NoegleGenbrugt) -> JSONResponse:
    found = problem_for(reused)
    assert found is not None
    return JSONResponse(found.body, status_code=found.status, media_type=PROBLEM)


def svar_for(route: APIRoute, result: Any) -> Svar | None:
    """The JSON answer FastAPI would send for `result` (None: not a JSON answer)."""
    if isinstance(result, Response):
        if result.media_type not in ("application/json", None) or not isinstance(
            getattr(result, "body", None), bytes
        ):
            return None
        return Svar(result.status_code, bytes(result.body).decode(), False)
    field = route.response_field
    if field is not None:
        value, errors = field.validate(result, {}, loc=("response",))
        if errors:
            return None  # FastAPI answers its own 500 for this; nothing to keep
        content = field.serialize(
            value,
            include=route.response_model_include,
            exclude=route.response_model_exclude,
            by_alias=route.response_model_by_alias,
            exclude_unset=route.response_model_exclude_unset,
            exclude_defaults=route.response_model_exclude_defaults,
            exclude_none=route.response_model_exclude_none,
        )
    else:
        content = jsonable_encoder(result)
    krop = JSONResponse(content).body
    return Svar(route.status_code or 200, bytes(krop).decode(), False)


def idempotent(endpoint: Callable[..., Any], route: Callable[[], APIRoute]) -> Callable[..., Any]:
    """A blocking command endpoint that honours the request's Idempotency-Key."""

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        anmodning = _anmodning.get()
        if anmodning is None:
            return endpoint(*args, **kwargs)
        try:
            result = anmodning.udfoer(
                lambda: endpoint(*args, **kwargs), lambda r: svar_for(route(), r)
            )
        except NoegleGenbrugt as reused:
            return _noegle_genbrugt(reused)
        return result.response() if isinstance(result, Svar) else result

    return run


def noegler_i(api: Any, app: EventStoreApplication) -> None:
    """The service's wiring names the store its keys are kept in: the one its commands
    write, so a key's record commits with the command's events."""
    api.state.idempotens_lager = app
