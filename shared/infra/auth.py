"""Authentication: OAuth2 bearer tokens (JWT, RS256 or ES256) from a municipal identity
broker, verified against a configured issuer, audience and JWKS.

The verified token is the only source of who acts: `Principal` carries the actor recorded
on every command event (id, role, organisation) and what the role is bound to (a
provider id for leverandør users, a citizen id for borgere and their fuldmægtige).

Configuration (`settings.AuthSettings`, environment prefix BUM_AUTH_): `ISSUER`,
`AUDIENCE`, and the keys as either `JWKS_URL` (the broker's JWKS endpoint, cached) or
`JWKS_FILE` (a JWKS JSON file, as `make run` writes for development). Symmetric algorithms
and `none` are never accepted, whatever a token's header says.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import jwt

from shared.infra import tid
from shared.infra.settings import AuthSettings
from shared.kernel import Aktoer

ALGORITHMS = ("RS256", "ES256")
DANMARK = ZoneInfo("Europe/Copenhagen")

Rolle = Literal["visitator", "leverandoer", "tilsyn", "revisor", "borger", "administrator"]
ROLLER: tuple[str, ...] = Rolle.__args__  # type: ignore[attr-defined]


class FuldmagtOpslag(Protocol):
    """Where a service looks up recorded fuldmagter (shared.kernel.fuldmagt.Fuldmagter)."""

    def gyldig(self, borger_id: str, fuldmagtshaver: str, dato: date, omfang: str) -> bool: ...


class Unauthenticated(Exception):
    """No token, or a token that is expired, wrongly signed or not meant for us (401)."""


class Forbidden(Exception):
    """A valid token whose role may not do this (403)."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    subject: str
    rolle: str
    organisation: str
    #: For role leverandoer: the one provider the user works for.
    leverandoer_id: str | None = None
    #: For role borger: the citizen, and the citizens they act for under a fuldmagt.
    borger_id: str | None = None
    fuldmagt_for: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # One tenant per caller: the provider checks (which read `organisation` through
        # the recorded actor) and the topic checks (which read `leverandoer_id`) must
        # never be able to disagree about a leverandør user.
        if self.rolle == "leverandoer" and self.organisation != self.leverandoer_id:
            raise Unauthenticated("a leverandoer's organisation must be its leverandoer_id")

    @property
    def aktoer(self) -> Aktoer:
        return Aktoer(id=self.subject, rolle=self.rolle, organisation=self.organisation)

    def acts_for_borger(
        self,
        borger_id: str,
        fuldmagter: FuldmagtOpslag,
        omfang: str,
        dato: date | None = None,
    ) -> bool:
        """The citizen themself, or someone whose token names the citizen in `fuldmagt_for`
        and who holds a recorded fuldmagt from them for `omfang`, valid on `dato` (today in
        Denmark by default). The claim alone is not enough: the identity broker asserts it,
        but only the municipality's record (with its period and revocation) grants it."""
        if self.rolle != "borger":
            return False
        if self.borger_id is not None and borger_id == self.borger_id:
            return True
        if borger_id not in self.fuldmagt_for:
            return False
        return fuldmagter.gyldig(borger_id, self.subject, dato or idag(), omfang)


def idag() -> date:
    """Today in Denmark (the application clock): the day a fuldmagt's period is measured in."""
    return tid.idag()


def _now() -> float:
    return time.time()


#: How many verified tokens are remembered. A portal user sends the same token for its
#: whole lifetime (minutes), so a few thousand cover every session of a busy instance.
VERIFIED_CACHE_SIZE = 4096


class TokenVerifier:
    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        # token -> (principal, exp). Only tokens that passed every check are kept, and only
        # until they expire: the signature check (~0.35 ms for ES256) is then paid once per
        # token rather than on every request. Keys are the full token, so a token that
        # differs in any byte (e.g. a forged signature) is verified from scratch.
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._verified_lock = threading.Lock()
        self._client = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        self._keys: dict[str, Any] = {}
        if settings.jwks_file is not None:
            jwks = json.loads(Path(settings.jwks_file).read_text())
            for key in jwt.PyJWKSet.from_dict(jwks).keys:
                self._keys[str(key.key_id)] = key.key
        if self._client is None and not self._keys:
            raise ValueError("authentication needs BUM_AUTH_JWKS_URL or BUM_AUTH_JWKS_FILE")

    def _key_for(self, token: str) -> Any:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as bad:
            raise Unauthenticated(f"malformed token: {bad}") from None
        if header.get("alg") not in ALGORITHMS:
            raise Unauthenticated(f"algorithm {header.get('alg')!r} is not accepted")
        if self._client is not None:
            try:
                return self._client.get_signing_key_from_jwt(token).key
            except jwt.PyJWTError as bad:
                raise Unauthenticated(f"no signing key: {bad}") from None
        kid = header.get("kid")
        if kid not in self._keys:
            raise Unauthenticated(f"unknown key id {kid!r}")
        return self._keys[kid]

    def cached(self, token: str) -> Principal | None:
        """The principal of a token verified before and not expired since, else None."""
        hit = self._verified.get(token)
        if hit is None:
            return None
        found, exp = hit
        if _now() > exp + self.settings.leeway_seconds:
            with self._verified_lock:
                self._verified.pop(token, None)
            return None
        return found

    def verify(self, token: str) -> Principal:
        found = self.cached(token)
        if found is not None:
            return found
        try:
            claims = jwt.decode(
                token,
                key=self._key_for(token),
                algorithms=list(ALGORITHMS),
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as bad:
            raise Unauthenticated(str(bad)) from None
        found = principal_from_claims(claims)
        with self._verified_lock:
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                # Oldest first (dicts keep insertion order): a crude but bounded LRU.
                self._verified.pop(next(iter(self._verified)))
            self._verified[token] = (found, float(claims["exp"]))
        return found


#: The one claim that binds each role to its tenant: what every access check reads and the
#: organisation recorded on every event the role causes. A leverandør user is bound to the
#: provider named by `leverandoer_id`; a citizen to `borger_id` (and, with a recorded
#: fuldmagt, the citizens in `fuldmagt_for`); the municipal roles to their `organisation`
#: (default "kommunen"). docs/access-matrix.md renders this table.
TENANT_CLAIM: dict[str, str] = {
    "visitator": "organisation",
    "tilsyn": "organisation",
    "revisor": "organisation",
    "administrator": "organisation",
    "leverandoer": "leverandoer_id",
    "borger": "borger_id",
}
#: Claims that bind a token to a tenant of another role. A token carrying one of them for
#: a role that does not use it names two tenants at once, and is refused rather than
#: guessed at: a checker reading the other claim would otherwise let it through.
BINDING_CLAIMS: dict[str, frozenset[str]] = {
    "leverandoer_id": frozenset({"leverandoer"}),
    "borger_id": frozenset({"borger"}),
    "fuldmagt_for": frozenset({"borger"}),
}


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """The caller a verified token names, or Unauthenticated (401) when its claims do not
    name one tenant: a role's binding claim missing, another role's binding claim present,
    or an `organisation` that disagrees with a leverandør token's `leverandoer_id`."""
    rolle = claims.get("rolle")
    if rolle not in ROLLER:
        raise Unauthenticated(f"unknown role {rolle!r}")
    for claim, roller in BINDING_CLAIMS.items():
        if claims.get(claim) and rolle not in roller:
            raise Unauthenticated(f"a {rolle} token must not carry {claim}")
    leverandoer_id = claims.get("leverandoer_id")
    borger_id = claims.get("borger_id")
    if rolle == "leverandoer" and not leverandoer_id:
        raise Unauthenticated("a leverandoer token must name its leverandoer_id")
    if rolle == "borger" and not borger_id and not claims.get("fuldmagt_for"):
        # A relative acting under a fuldmagt need not be a citizen here themself.
        raise Unauthenticated("a borger token must name its borger_id or fuldmagt_for")
    organisation = claims.get("organisation")
    if rolle == "leverandoer":
        # leverandoer_id is authoritative: an organisation claim may only repeat it.
        if organisation and organisation != leverandoer_id:
            raise Unauthenticated(
                "a leverandoer token's organisation differs from its leverandoer_id"
            )
        organisation = leverandoer_id
    return Principal(
        subject=str(claims["sub"]),
        rolle=rolle,
        organisation=str(organisation or "kommunen"),
        leverandoer_id=str(leverandoer_id) if leverandoer_id else None,
        borger_id=str(borger_id) if borger_id else None,
        fuldmagt_for=tuple(str(b) for b in claims.get("fuldmagt_for", [])),
    )
