"""Token verification and the access table, without any service: every way a token can be
wrong gives 401, every role outside the table 403, and the actor comes from the token."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import jwt
import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from shared.infra.access import roles, secure_api
from shared.infra.api import actor
from shared.infra.auth import (
    BINDING_CLAIMS,
    ROLLER,
    TENANT_CLAIM,
    AuthSettings,
    Principal,
    TokenVerifier,
    Unauthenticated,
)
from shared.infra.devtoken import PRIVATE_KEY_FILE, keygen, mint
from shared.kernel import Aktoer


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    keygen(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def verifier(keys: Path) -> TokenVerifier:
    return TokenVerifier(AuthSettings(jwks_file=keys / "jwks.json"))


def test_a_good_token_gives_the_principal(keys: Path, verifier: TokenVerifier) -> None:
    token = mint(keys, sub="sosu-maria", rolle="leverandoer", leverandoer_id="omsorg-plus-aps")
    p = verifier.verify(token)
    assert (p.subject, p.rolle, p.organisation) == ("sosu-maria", "leverandoer", "omsorg-plus-aps")
    assert p.leverandoer_id == "omsorg-plus-aps"


def test_a_provider_token_is_bound_by_its_leverandoer_id(
    keys: Path, verifier: TokenVerifier
) -> None:
    """leverandoer_id is the one tenant claim of a provider's users: an organisation that
    merely repeats it is fine, one naming another provider is refused, not resolved."""
    same = mint(keys, sub="ib", rolle="leverandoer", leverandoer_id="nord", organisation="nord")
    assert verifier.verify(same).aktoer.organisation == "nord"
    bare = mint(
        keys, sub="ib", rolle="leverandoer", leverandoer_id="nord", extra={"organisation": None}
    )
    assert verifier.verify(bare).aktoer.organisation == "nord"
    with pytest.raises(Unauthenticated, match="organisation"):
        verifier.verify(
            mint(keys, sub="ib", rolle="leverandoer", leverandoer_id="nord", organisation="syd")
        )


@pytest.mark.parametrize("rolle", ROLLER)
def test_every_role_with_conflicting_claims_is_refused(
    rolle: str, keys: Path, verifier: TokenVerifier
) -> None:
    bound = {"leverandoer": {"leverandoer_id": "nord"}, "borger": {"borger_id": "b-1"}}
    own = bound.get(rolle, {})
    assert verifier.verify(mint(keys, sub="u1", rolle=rolle, **own)).organisation  # sane
    for claim, value in (
        ("leverandoer_id", "syd"),
        ("borger_id", "b-2"),
        ("fuldmagt_for", ["b-3"]),
    ):
        if claim in BINDING_CLAIMS and rolle in BINDING_CLAIMS[claim]:
            continue
        token = mint(keys, sub="u1", rolle=rolle, **own, extra={claim: value})
        with pytest.raises(Unauthenticated, match=claim):
            verifier.verify(token)
    assert set(TENANT_CLAIM) == set(ROLLER)


def test_a_principal_cannot_hold_two_providers() -> None:
    with pytest.raises(Unauthenticated):
        Principal("ib", "leverandoer", "syd", leverandoer_id="nord")


def _other_keys(tmp_path: Path, keys: Path) -> Path:
    """A different key pair that claims the same key id: a forged signature."""
    other = tmp_path / "other"
    keygen(other)
    jwks = json.loads((other / "jwks.json").read_text())
    jwks["keys"][0]["kid"] = json.loads((keys / "jwks.json").read_text())["keys"][0]["kid"]
    (other / "jwks.json").write_text(json.dumps(jwks))
    return other


@pytest.mark.parametrize(
    "case",
    ["expired", "wrong_audience", "wrong_issuer", "forged", "none_alg", "hs256", "no_role"],
)
def test_bad_tokens_are_refused(
    case: str, keys: Path, verifier: TokenVerifier, tmp_path: Path
) -> None:
    good = {"sub": "vis-anne", "rolle": "visitator"}
    if case == "expired":
        token = mint(keys, **good, ttl_seconds=-120)  # beyond the 30 s leeway
    elif case == "wrong_audience":
        token = mint(keys, **good, settings=AuthSettings(audience="urn:other"))
    elif case == "wrong_issuer":
        token = mint(keys, **good, settings=AuthSettings(issuer="https://evil.example"))
    elif case == "forged":
        token = mint(_other_keys(tmp_path, keys), **good)
    elif case == "none_alg":
        claims = jwt.decode(mint(keys, **good), options={"verify_signature": False})
        token = jwt.encode(claims, key=None, algorithm="none")
    elif case == "hs256":  # the classic confusion: HMAC keyed with the public key
        claims = jwt.decode(mint(keys, **good), options={"verify_signature": False})
        public_x = json.loads((keys / "jwks.json").read_text())["keys"][0]["x"]
        token = jwt.encode(claims, public_x, algorithm="HS256")
    else:
        token = mint(keys, sub="x", rolle="hacker")
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_verified_tokens_are_remembered_only_until_they_expire(
    keys: Path, verifier: TokenVerifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = mint(keys, sub="vis-anne", rolle="visitator", ttl_seconds=60)
    first = verifier.verify(token)
    assert verifier.cached(token) == first
    # Past exp + leeway the cache forgets the token (PyJWT's own expiry check, which a
    # fresh verification then runs, is the "expired" case above).
    later = time.time() + 60 + verifier.settings.leeway_seconds + 1
    monkeypatch.setattr("shared.infra.auth._now", lambda: later)
    assert verifier.cached(token) is None


def test_a_tampered_copy_of_a_cached_token_is_verified_afresh(
    keys: Path, verifier: TokenVerifier
) -> None:
    token = mint(keys, sub="vis-anne", rolle="visitator")
    verifier.verify(token)
    head, _body, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["rolle"] = "administrator"
    forged_body = jwt.encode(claims, key=None, algorithm="none").split(".")[1]
    with pytest.raises(Unauthenticated):
        verifier.verify(f"{head}.{forged_body}.{signature}")


def test_private_key_is_not_world_readable(keys: Path) -> None:
    assert (keys / PRIVATE_KEY_FILE).stat().st_mode & 0o077 == 0


def _app(verifier: TokenVerifier) -> TestClient:
    table = {("POST", "/sager/{sag_id}/afgoerelse"): roles("visitator")}
    api = secure_api("test", "0", "", access_table=table, verifier=verifier)

    @api.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @api.post("/sager/{sag_id}/afgoerelse")
    def decide(sag_id: str, who: Annotated[Aktoer, Depends(actor)]) -> dict[str, str]:
        return {"sag_id": sag_id, "id": who.id, "rolle": who.rolle}

    @api.get("/hemmelig")
    def not_in_table() -> dict[str, str]:
        return {}

    return TestClient(api)


def test_access_table_is_enforced_before_any_route(keys: Path, verifier: TokenVerifier) -> None:
    client = _app(verifier)

    def bearer(rolle: str, **claims: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(keys, sub='u1', rolle=rolle, **claims)}"}

    assert client.get("/health").status_code == 200  # public
    r = client.post("/sager/1/afgoerelse")
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert (
        client.post("/sager/1/afgoerelse", headers={"Authorization": "Bearer x.y.z"}).status_code
        == 401
    )
    assert client.post("/sager/1/afgoerelse", headers=bearer("tilsyn")).status_code == 403
    assert (
        client.get("/hemmelig", headers=bearer("administrator")).status_code == 403
    )  # default deny
    assert client.get("/findes-ikke", headers=bearer("visitator")).status_code == 404
    ok = client.post("/sager/1/afgoerelse", headers=bearer("visitator"))
    assert ok.status_code == 200
    # The actor is the token's subject and role, whatever a caller might put elsewhere.
    assert ok.json() == {"sag_id": "1", "id": "u1", "rolle": "visitator"}
