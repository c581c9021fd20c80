"""Authentication and authorisation in one place per service: a table of endpoint × role,
enforced before any route runs, default deny.

Every request but the public documents (health, OpenAPI, AsyncAPI, schemas) must carry a
valid bearer token (else 401). The route it matches must list the token's role in the
service's access table (else 403); a route missing from the table is refused for every
role, so a new endpoint is closed until someone decides who may use it. What a role is
bound to (a leverandør to its provider, a borger to their own case) is checked where the
data is, in the service's application layer, with the `Principal` this puts on the request.

The same tables render the endpoint × role matrix in `docs/access-matrix.md`, and the
end-to-end test walks them against the running services.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import anyio
import structlog
from fastapi import Depends, FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.infra.api import (
    PROBLEM_RESPONSES,
    OneHopRoute,
    install_problem_handlers,
    principal_of,
)
from shared.infra.auth import (
    ROLLER,
    Forbidden,
    TokenVerifier,
    Unauthenticated,
)
from shared.infra.docs_assets import add_offline_docs
from shared.infra.settings import AuthSettings, fra_miljoeet
from shared.infra.tracing import TraceRequests

log = structlog.get_logger("access")

#: (HTTP method, route path template) -> the roles that may call it.
AccessTable = Mapping[tuple[str, str], frozenset[str]]

#: Served without a token: liveness and the published documents (no personal data).
PUBLIC_PATHS = frozenset(
    {"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
    | {"/asyncapi.json", "/asyncapi.yaml", "/contracts/schemas"}
    # Liveness and readiness for the orchestrator's probes (shared/infra/readiness.py).
    | {"/health/live", "/health/ready"}
    # Prometheus' scrape (shared/infra/metrics.py): counts and timings by route template,
    # topic and consumer group, never an id of a citizen or case.
    | {"/metrics"}
)
#: The schemas, and the Swagger UI/ReDoc scripts and styles the docs pages load (served by
#: the service itself: docs work on a network with no internet, shared/infra/docs_assets.py).
PUBLIC_PREFIXES = ("/contracts/schemas/", "/docs-assets/")
#: No command of ours is anywhere near this; a bigger body is refused before parsing (413).
MAX_BODY_BYTES = 256 * 1024


def roles(*names: str) -> frozenset[str]:
    unknown = set(names) - set(ROLLER)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return frozenset(names)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def _problem(send: Send, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body.encode())).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="bum"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})


class Authentication:
    """ASGI middleware: every request but the public documents needs a valid bearer token.

    It runs before routing, so an unauthenticated caller learns nothing, not even whether
    a path exists. The verified principal is put on the request for `authorize`.
    """

    def __init__(self, app: ASGIApp, *, verifier: TokenVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _problem(send, 401, "Ikke logget ind / not authenticated", "Bearer token needed")
            return
        token = token.strip()
        try:
            # A token seen before is answered from the cache without a thread hop; a new
            # one is verified off the event loop (the signature check is CPU work).
            found = self.verifier.cached(token) or await anyio.to_thread.run_sync(
                self.verifier.verify, token
            )
        except Unauthenticated as bad:
            log.info("token_refused", reason=str(bad), path=scope["path"])
            await _problem(send, 401, "Ugyldigt token / invalid token", str(bad))
            return
        scope.setdefault("state", {})["principal"] = found
        await self.app(scope, receive, send)


class BodyLimit:
    """ASGI middleware: a declared body over the limit gets a 413 problem before anything
    reads it (FastAPI's own limit, also set, catches bodies sent without a length)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
            if not declared.isdigit() or int(declared) > self.max_bytes:
                detail = f"request bodies are limited to {self.max_bytes} bytes"
                await _problem(send, 413, "For stor forespørgsel / content too large", detail)
                return
        await self.app(scope, receive, send)


async def authorize(request: Request) -> None:
    """App-wide dependency: the matched route must list the caller's role (default deny).

    `async def`: a table lookup, no I/O, so it runs on the event loop rather than costing
    every request a hop to the thread pool."""
    route = request.scope.get("route")
    template = str(getattr(route, "path", ""))
    if is_public(template):
        return
    table: AccessTable = request.app.state.access_table
    caller = principal_of(request)
    if caller.rolle not in table.get((request.method, template), frozenset()):
        log.warning(
            "access_denied",
            subject=caller.subject,
            rolle=caller.rolle,
            method=request.method,
            route=template,
        )
        raise Forbidden(f"role {caller.rolle} may not {request.method} {template}")


def secure_api(
    title: str,
    version: str,
    description: str,
    access_table: AccessTable,
    verifier: TokenVerifier | None = None,
    auth: AuthSettings | None = None,
    **fastapi_options: Any,
) -> FastAPI:
    """A service's FastAPI app with authentication, the access table and problem responses.
    Tokens are checked by `verifier`, or one made from `auth` (the service's settings; an
    API built alone, in a test, takes the environment's)."""
    api = FastAPI(
        title=title,
        version=version,
        description=description,
        dependencies=[Depends(authorize)],
        responses=PROBLEM_RESPONSES,
        max_body_size=MAX_BODY_BYTES,
        # Our own pages instead, whose assets the service serves (no CDN: docs_assets.py).
        docs_url=None,
        redoc_url=None,
        **fastapi_options,
    )
    # Routes added on the app itself (health, contracts) run blocking bodies in one hop;
    # each service's routers say the same with APIRouter(route_class=OneHopRoute).
    api.router.route_class = OneHopRoute
    add_offline_docs(api)
    api.state.access_table = access_table
    api.add_middleware(
        Authentication, verifier=verifier or TokenVerifier(auth or fra_miljoeet().auth)
    )
    api.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)  # before any work
    # Outside the body limit and the authentication, so a refused request has its span
    # too; passes straight through while tracing is off.
    api.add_middleware(TraceRequests)
    install_problem_handlers(api)
    return api


def matrix_rows(tables: Mapping[str, AccessTable], all_roles: tuple[str, ...]) -> list[str]:
    """Markdown rows of the endpoint × role matrix over several services."""
    head = "| service | method | endpoint | " + " | ".join(all_roles) + " |"
    rows = [head, "|" + "---|" * (3 + len(all_roles))]
    for service, table in tables.items():
        for (method, path), allowed in sorted(table.items(), key=lambda i: (i[0][1], i[0][0])):
            marks = " | ".join("✔" if r in allowed else "" for r in all_roles)
            rows.append(f"| {service} | {method} | `{path}` | {marks} |")
    return rows
