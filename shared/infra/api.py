"""What every service's HTTP API shares: problem responses, the actor, health."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Annotated, Any

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.infra.auth import Forbidden, Principal
from shared.infra.idempotens import COMMAND_METHODS, idempotens_noegle, idempotent
from shared.infra.problemer import KENDTE, PROBLEM, problem_for
from shared.infra.sagsfejl import SAGSFEJL
from shared.kernel import Aktoer

log = structlog.get_logger("api")


class Problem(BaseModel):
    """RFC 9457 problem document; rule violations add `regel` and `dansk`, invalid requests
    `errors`."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str


def _problem_response(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM: {}}}


#: Documented on every operation, so clients (and schemathesis) know the error shapes.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem_response("No valid bearer token"),
    403: _problem_response("The token's role may not do this"),
    404: _problem_response("Not found (or not yours)"),
    409: _problem_response("Concurrent change: read again and retry"),
    413: _problem_response("Request body too large"),
    422: _problem_response("Invalid request or a domain rule violated"),
    503: _problem_response("Event store unavailable"),
}


def problem(
    status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    """An RFC 9457 problem document."""
    body = {"type": type_, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install_problem_handlers(app: FastAPI) -> None:
    # Refusals and store failures: one mapping (problemer.py), shared with the shift sync.
    async def known(_: Request, exc: Exception) -> JSONResponse:
        found = problem_for(exc)
        assert found is not None  # registered only for the kinds problem_for knows
        if found.status == 503:
            log.error("store_unavailable", error=repr(exc))
        return JSONResponse(found.body, status_code=found.status, media_type=PROBLEM)

    for kind in KENDTE:
        app.add_exception_handler(kind, known)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        return problem(
            422,
            "Ugyldig forespørgsel / invalid request",
            "The request does not match the schema.",
            "urn:bum:ugyldig",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # 404 for an unknown path, 405, 413 for a body over the limit ...: same shape.
        return problem(exc.status_code, str(exc.detail), str(exc.detail))

    # Not `exception_handler(Exception)`: Starlette hands that to its outermost
    # ServerErrorMiddleware, which sends the 500 and then re-raises, and uvicorn answers an
    # exception after a sent response by closing the keep-alive connection (the client's
    # next request got ECONNRESET). This middleware ends the exchange cleanly instead.
    app.add_middleware(InterneFejl)


class InterneFejl:
    """ASGI middleware: an exception nothing else handled becomes a 500 problem document,
    and the exception goes no further, so the server keeps the connection open."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            # Never a stack trace to the caller; the log has it.
            log.exception("unhandled_error", error=repr(exc), path=scope.get("path"))
            if started:
                raise  # half a response is out: only closing the connection tells the client
            response = problem(500, "Intern fejl / internal error", "The error has been logged.")
            await response(scope, receive, send)


def attachment(filename: str, disposition: str = "attachment") -> dict[str, str]:
    """A Content-Disposition header for a download whose name contains caller input: only
    ASCII letters, digits, dot, dash and underscore survive, so no header injection and no
    encoding error (schemathesis found both)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("._") or "download"
    return {"Content-Disposition": f'{disposition}; filename="{safe[:120]}"'}


def principal_of(request: Request) -> Principal:
    """The caller the Authentication middleware verified (a plain function, for code that
    already holds the request)."""
    found: Any = getattr(request.state, "principal", None)
    if not isinstance(found, Principal):
        raise Forbidden("no authenticated principal on this request")
    return found


# The dependencies below only read what the middleware put on the request: `async def`, so
# FastAPI calls them on the event loop. A plain `def` dependency costs a hop to the thread
# pool and back per request, each a GIL hand-over between threads (issue 15).


async def principal(request: Request) -> Principal:
    """FastAPI dependency: the caller the Authentication middleware verified."""
    return principal_of(request)


async def actor(request: Request) -> Aktoer:
    """FastAPI dependency: who acts, from the verified token, never from the request body,
    so every command event records the authenticated actor, role and organisation."""
    return principal_of(request).aktoer


#: The dependencies every route module uses, declared once: who acts (for the events) and
#: who calls (for access rules), both from the verified token.
Actor = Annotated[Aktoer, Depends(actor)]
Caller = Annotated[Principal, Depends(principal)]


def in_one_hop(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A blocking endpoint as a coroutine that runs its whole body in one thread-pool call.

    FastAPI runs a plain `def` endpoint in the thread pool and then, for its response model,
    validates the answer in the thread pool a second time: two hops per request, each a GIL
    hand-over. Awaited as a coroutine, the body (the store I/O) takes one hop and the
    response is validated on the event loop (CPU only, no I/O). `functools.wraps` keeps the
    name, docstring and signature, so routing, OpenAPI and the access log's endpoint name
    stay the same.
    """

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


class OneHopRoute(APIRoute):
    """Route class for every BUM router (`APIRouter(route_class=OneHopRoute)`; `secure_api`
    sets it on the app's own router): a plain `def` endpoint, which blocks on the event
    store, runs in one thread-pool hop (`in_one_hop`); an `async def` one as it is.

    A blocking command route (POST, PUT, PATCH, DELETE) also takes an `Idempotency-Key`
    header, documented in the OpenAPI, and answers a retry with its first answer
    (idempotens.py), within the same hop."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        me: list[APIRoute] = []
        if not inspect.iscoroutinefunction(endpoint):
            if COMMAND_METHODS & {m.upper() for m in kwargs.get("methods") or ()}:
                endpoint = idempotent(endpoint, lambda: me[0])
                kwargs["dependencies"] = [
                    *(kwargs.get("dependencies") or ()),
                    Depends(idempotens_noegle),
                ]
            endpoint = in_one_hop(endpoint)
        super().__init__(path, endpoint, **kwargs)
        me.append(self)


class Sagsfejlstatus(BaseModel):
    antal: int
    pr_sted: dict[str, int]
    seneste: list[dict[str, str]] = Field(description="the last few: sag_id, hvor, fejltype")


class Helbred(BaseModel):
    """Progress of the service's relay and consumer follow these fields (they differ per
    service: an open object)."""

    model_config = ConfigDict(extra="allow")

    status: str = Field(examples=["ok"])
    service: str
    sagsfejl: Sagsfejlstatus = Field(
        description="cases left out of an answer because a rule could not handle them"
    )


def add_health(app: FastAPI, service: str, status: Callable[[], dict[str, Any]]) -> None:
    @app.get(
        "/health",
        tags=["drift"],
        response_model=Helbred,
        summary="Liveness and progress of relay/consumer",
    )
    def health() -> dict[str, Any]:
        # Cases left out of an answer because a rule could not handle them (sagsfejl.py).
        return {"status": "ok", "service": service, "sagsfejl": SAGSFEJL.status(), **status()}
