"""Who a test acts as: request headers with a bearer token signed by the test key pair.

The key pair is made once per test session (on first use: modules make headers as they are
imported) and trusted by every service the tests start, in-process or as a subprocess,
through BUM_AUTH_JWKS_FILE (tests/conftest.py sets it for the session).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from shared.infra.devtoken import keygen, mint


@functools.cache
def keys_dir() -> Path:
    """The session's signing key pair (and its key store's master key, conftest.py)."""
    directory = Path(tempfile.mkdtemp(prefix="bum-test-keys-"))
    keygen(directory)
    return directory


def token_for(
    rolle: str,
    sub: str | None = None,
    *,
    leverandoer_id: str | None = None,
    borger_id: str | None = None,
    organisation: str | None = None,
    fuldmagt_for: list[str] | None = None,
    ttl_seconds: int = 3600,
) -> str:
    return mint(
        keys_dir(),
        sub=sub or (borger_id if rolle == "borger" and borger_id else f"test-{rolle}"),
        rolle=rolle,
        organisation=organisation,
        leverandoer_id=leverandoer_id,
        borger_id=borger_id,
        fuldmagt_for=fuldmagt_for,
        ttl_seconds=ttl_seconds,
    )


def headers_for(
    rolle: str,
    sub: str | None = None,
    *,
    leverandoer_id: str | None = None,
    borger_id: str | None = None,
    organisation: str | None = None,
    fuldmagt_for: list[str] | None = None,
) -> dict[str, str]:
    """Headers of a request made by this user (a JSON body's content type is added by httpx)."""
    token = token_for(
        rolle,
        sub,
        leverandoer_id=leverandoer_id,
        borger_id=borger_id,
        organisation=organisation,
        fuldmagt_for=fuldmagt_for,
    )
    return {"Authorization": f"Bearer {token}"}


def headers_as(rolle: str, *, leverandoer_id: str, borger_id: str) -> dict[str, str]:
    """A well-formed token of `rolle`: bound to the provider if it is a leverandør, to the
    citizen if a borger, and to neither for the municipal roles (a token binding another
    role's tenant is refused, shared.infra.auth.BINDING_CLAIMS)."""
    return headers_for(
        rolle,
        leverandoer_id=leverandoer_id if rolle == "leverandoer" else None,
        borger_id=borger_id if rolle == "borger" else None,
    )


def conflicting_headers(rolle: str, *, leverandoer_id: str, borger_id: str) -> dict[str, str]:
    """A validly signed token of `rolle` whose claims name two tenants: a leverandør's
    `organisation` names another provider, any other role also carries a claim that binds
    a tenant of another role. Every service must answer it 401."""
    if rolle == "leverandoer":
        return headers_for(
            rolle, leverandoer_id=leverandoer_id, organisation="en-anden-leverandoer"
        )
    if rolle == "borger":
        return headers_for(rolle, borger_id=borger_id, leverandoer_id=leverandoer_id)
    return headers_for(rolle, leverandoer_id=leverandoer_id)
