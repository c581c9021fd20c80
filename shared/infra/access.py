"""Authorisation in one place per service: a table of endpoint × role, enforced before any
route runs, default deny.

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
from fastapi import FastAPI, Request
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.infra.auth import Forbidden, Principal, TokenVerifier, Unauthenticated
from shared.kernel import Aktoer

log = structlog.get_logger("access")

#: (HTTP method, route path template) -> the roles that may call it.
AccessTable = Mapping[tuple[str, str], frozenset[str]]

PUBLIC_PATHS = frozenset(
    {
        "/health",
        "/openapi.json",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
        "/asyncapi.json",
        "/asyncapi.yaml",
        "/contracts/schemas",
        "/contracts/schemas/{file_name}",
    }
)


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


async def _problem(send: Send, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    headers = [(b"content-type", b"application/problem+json")]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="bum"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})


class AccessControl:
    """ASGI middleware: authenticate, then authorise against the service's table."""

    def __init__(
        self, app: ASGIApp, *, api: FastAPI, table: AccessTable, verifier: TokenVerifier
    ) -> None:
        self.app = app
        self.api = api
        self.table = table
        self.verifier = verifier

    def _route(self, scope: Scope) -> tuple[str | None, bool]:
        """The matched route's path template, and whether the method matched too."""
        partial = None
        for route in self.api.router.routes:
            match, _child = route.matches(scope)
            if match == Match.FULL:
                return str(getattr(route, "path", "")), True
            if match == Match.PARTIAL and partial is None:
                partial = str(getattr(route, "path", ""))
        return partial, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        template, method_matched = self._route(scope)
        if template in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token:
            await _problem(send, 401, "Ikke logget ind / not authenticated", "Bearer token needed")
            return
        try:
            principal = await anyio.to_thread.run_sync(self.verifier.verify, token.strip())
        except Unauthenticated as bad:
            log.info("token_refused", reason=str(bad), path=scope.get("path"))
            await _problem(send, 401, "Ugyldigt token / invalid token", str(bad))
            return
        if template is not None and method_matched:
            allowed = self.table.get((scope["method"], template), frozenset())
            if principal.rolle not in allowed:
                log.warning(
                    "access_denied",
                    subject=principal.subject,
                    rolle=principal.rolle,
                    method=scope["method"],
                    route=template,
                )
                await _problem(
                    send,
                    403,
                    "Ingen adgang / forbidden",
                    f"role {principal.rolle} may not {scope['method']} {template}",
                )
                return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def install_access_control(api: FastAPI, table: AccessTable, verifier: TokenVerifier) -> None:
    api.add_middleware(AccessControl, api=api, table=table, verifier=verifier)


def principal(request: Request) -> Principal:
    """FastAPI dependency: the caller AccessControl authenticated."""
    found: Any = getattr(request.state, "principal", None)
    if not isinstance(found, Principal):
        raise Forbidden("no authenticated principal on this request")
    return found


def actor(request: Request) -> Aktoer:
    """FastAPI dependency: who acts, from the verified token, never from the request body."""
    return principal(request).aktoer


def matrix_rows(tables: Mapping[str, AccessTable], all_roles: tuple[str, ...]) -> list[str]:
    """Markdown rows of the endpoint × role matrix over several services."""
    head = "| service | method | endpoint | " + " | ".join(all_roles) + " |"
    rows = [head, "|" + "---|" * (3 + len(all_roles))]
    for service, table in tables.items():
        for (method, path), allowed in sorted(table.items(), key=lambda i: (i[0][1], i[0][0])):
            marks = " | ".join("✔" if r in allowed else "" for r in all_roles)
            rows.append(f"| {service} | {method} | `{path}` | {marks} |")
    return rows
