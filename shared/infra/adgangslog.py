"""The access log, wired once for every service: record each read of a citizen's personal
data before it is answered, and publish it (visitation, provider) for supervision.

A route that returns a citizen's data takes the `Laest` dependency and names, before it
returns, whose data it shows; its router binds requests to the service's log:

    router = APIRouter(tags=[...], dependencies=[adgangslog_for(app)])

    def hent_sag(sag_id: UUID, aktoer: Actor, laest: Laest) -> dict[str, Any]:
        sag = app.hent_sag(sag_id)
        laest.sag(sag.id, sag.borger_id)
        ...

Who reads comes from the verified token (never from the request); why from the optional
`formaal` query parameter (or the `X-Formaal` header); what is the route's name. The write
goes through the service's EventStoreApplication, so concurrent reads share a transaction
(group commit) and a read costs about one queued insert. If the log cannot be written the
request fails: no log, no data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, Query, Request

from shared.contracts.adgangslog import PersonoplysningerLaestV1
from shared.infra.api import principal_of
from shared.infra.eventstore import EventStoreApplication
from shared.infra.public_events import PublicDraft
from shared.kernel import Aktoer
from shared.kernel.adgang import Adgang

#: Why reads are logged at all: the security rules on processing (GDPR art. 32), as the
#: former sikkerhedsbekendtgørelse § 19 spelled out (time, user, type, person).
LOVGRUNDLAG = "Databeskyttelsesforordningen art. 32; tidl. sikkerhedsbekendtgørelsen § 19"
FORMAAL_MAX = 200

#: (sag_id, borger_id): whose data one read showed; either may be unknown, not both.
Opslag = tuple[UUID | str | None, UUID | str | None]


def _tekst(value: UUID | str | None) -> str | None:
    return None if value is None or value == "" else str(value)


class Adgangslogger:
    """Records reads in one service's event store."""

    def __init__(self, app: EventStoreApplication, tjeneste: str) -> None:
        self.app = app
        self.tjeneste = tjeneste

    def registrer(
        self, aktoer: Aktoer, endpoint: str, formaal: str | None, opslag: Iterable[Opslag]
    ) -> list[Adgang]:
        """One `Adgang` per citizen (or case) shown, all stored in one save."""
        set_foer: set[tuple[str | None, str | None]] = set()
        adgange = []
        for sag_id, borger_id in opslag:
            noegle = (_tekst(sag_id), _tekst(borger_id))
            if noegle == (None, None) or noegle in set_foer:
                continue
            set_foer.add(noegle)
            adgange.append(
                Adgang(
                    tjeneste=self.tjeneste,
                    endpoint=endpoint,
                    sag_id=noegle[0],
                    borger_id=noegle[1],
                    aktoer=aktoer.as_dict(),
                    formaal=formaal,
                )
            )
        if adgange:
            self.app.save(*adgange)
        return adgange


class Laesning:
    """One request's read, as a route reports whose data it is about to answer with."""

    def __init__(
        self, request: Request, aktoer: Aktoer, endpoint: str, formaal: str | None
    ) -> None:
        self.request = request
        self.aktoer = aktoer
        self.endpoint = endpoint
        self.formaal = formaal

    def sag(
        self, sag_id: UUID | str | None, borger_id: UUID | str | None = None, hvad: str = ""
    ) -> None:
        """The read showed one citizen's (or one case's) data."""
        self.mange([(sag_id, borger_id)], hvad)

    def mange(self, opslag: Iterable[Opslag], hvad: str = "") -> None:
        """The read showed several citizens' data: one log entry for each."""
        logger = getattr(self.request.state, "adgangslog", None)
        if not isinstance(logger, Adgangslogger):
            raise RuntimeError("no access log bound: build the router with adgangslog_for(app)")
        logger.registrer(self.aktoer, hvad or self.endpoint, self.formaal, opslag)

    def raekker(self, raekker: Iterable[Any], hvad: str = "") -> None:
        """The read showed these rows (dicts or objects with `sag_id` and/or `borger_id`)."""
        self.mange(((_felt(r, "sag_id"), _felt(r, "borger_id")) for r in raekker), hvad)


def _felt(raekke: Any, navn: str) -> Any:
    if isinstance(raekke, dict):
        return raekke.get(navn)
    return getattr(raekke, navn, None)


async def laesning(
    request: Request,
    formaal: Annotated[
        str | None,
        Query(max_length=FORMAAL_MAX, description="Why the data is read (kept in the access log)"),
    ] = None,
    x_formaal: Annotated[
        str | None,
        Header(alias="X-Formaal", max_length=FORMAAL_MAX, description="As `formaal`"),
    ] = None,
) -> Laesning:
    """FastAPI dependency: the access log for this request, bound to the token's actor.

    `async def`: it only builds the binding (no I/O; the entry is written when the route
    names whose data it read, inside the route's own thread), so no thread-pool hop."""
    route = request.scope.get("route")
    endpoint = str(getattr(route, "name", "") or request.url.path)
    return Laesning(request, principal_of(request).aktoer, endpoint, formaal or x_formaal)


#: Annotate a route parameter with this to get the request's `Laesning`.
Laest = Annotated[Laesning, Depends(laesning)]


def logger_for(app: EventStoreApplication) -> Adgangslogger:
    """The application's access log (one per application, named after it)."""
    logger = getattr(app, "_adgangslogger", None)
    if not isinstance(logger, Adgangslogger):
        logger = Adgangslogger(app, app.name)
        app._adgangslogger = logger  # type: ignore[attr-defined]
    return logger


def adgangslog_for(app: EventStoreApplication) -> Any:
    """A router dependency binding its requests to `app`'s access log (one per application,
    named after it): `APIRouter(..., dependencies=[adgangslog_for(app)])`."""
    logger = logger_for(app)

    async def bind(request: Request) -> None:
        # Sets an attribute, nothing more: on the event loop, no thread-pool hop.
        request.state.adgangslog = logger

    return Depends(bind)


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def til_offentlig(event: Any) -> PublicDraft | None:
    """The relay mapping for `bum.adgangslog.v1`: each recorded read, nothing else."""
    if not isinstance(event, Adgang.AdgangRegistreret):
        return None
    sag_id, borger_id = _uuid(event.sag_id), _uuid(event.borger_id)
    noegle = sag_id or borger_id
    if noegle is None:
        # Not a pseudonymous id the contract can carry: kept in the service's own log,
        # never a reason to stop the relay.
        return None
    return PublicDraft(
        event_type="PersonoplysningerLaest",
        schema_version=1,
        case_id=noegle,
        occurred_at=event.timestamp,
        actor=Aktoer(**event.aktoer),
        legal_basis=LOVGRUNDLAG,
        payload=PersonoplysningerLaestV1(
            adgang_id=event.originator_id,
            sag_id=sag_id,
            borger_id=borger_id,
            endpoint=event.endpoint,
            formaal=event.formaal,
        ),
    )
