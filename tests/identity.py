"""Who a test acts as: request headers with a bearer token signed by the test key pair.

The key pair is made once per test session (tests/conftest.py) and trusted by every service
the tests start, in-process or as a subprocess, through BUM_AUTH_JWKS_FILE.
"""

from __future__ import annotations

import os
from pathlib import Path

from shared.infra.devtoken import mint


def keys_dir() -> Path:
    return Path(os.environ["BUM_AUTH_JWKS_FILE"]).parent


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
