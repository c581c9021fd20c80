"""Development identity provider: a local key pair and tokens signed with it.

    python -m shared.infra.devtoken keygen [--dir data/dev-keys]
    python -m shared.infra.devtoken mint --rolle visitator --sub vis-anne [--organisation herlev]
        [--leverandoer-id omsorg-plus-aps] [--borger-id <uuid>] [--ttl 3600]

`keygen` writes `private-key.pem` (mode 0600) and `jwks.json` (public keys only); services
trust them through `BUM_AUTH_JWKS_FILE`. `make run` does this under `data/dev-keys` (never
committed). In production the municipality's identity broker signs, and this module is
not used: services only ever see its JWKS.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from shared.infra.auth import ROLLER
from shared.infra.crypto_shredding import new_master_key
from shared.infra.settings import AuthSettings, fra_miljoeet

DEFAULT_DIR = Path("data") / "dev-keys"
PRIVATE_KEY_FILE = "private-key.pem"
JWKS_FILE = "jwks.json"


def keygen(directory: Path) -> Path:
    """Create a P-256 key pair in `directory` unless one is there; returns the JWKS path."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path, jwks_path = directory / PRIVATE_KEY_FILE, directory / JWKS_FILE
    if private_path.exists() and jwks_path.exists():
        return jwks_path
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    public.update(kid=f"dev-{uuid.uuid4().hex[:12]}", use="sig", alg="ES256")
    jwks_path.write_text(json.dumps({"keys": [public]}, indent=2))
    return jwks_path


def dev_master_key(directory: Path) -> str:
    """The development key store's master key, made once and kept beside the dev keys."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "keystore-master-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(new_master_key())
    return path.read_text().strip()


def mint(
    directory: Path,
    *,
    sub: str,
    rolle: str,
    organisation: str | None = None,
    leverandoer_id: str | None = None,
    borger_id: str | None = None,
    fuldmagt_for: list[str] | None = None,
    ttl_seconds: int = 3600,
    settings: AuthSettings | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    settings = settings or fra_miljoeet().auth  # a tool's: the environment's issuer
    key = serialization.load_pem_private_key((directory / PRIVATE_KEY_FILE).read_bytes(), None)
    kid = json.loads((directory / JWKS_FILE).read_text())["keys"][0]["kid"]
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": sub,
        "iat": now,
        "exp": now + ttl_seconds,
        "rolle": rolle,
        "organisation": organisation or leverandoer_id or "kommunen",
    }
    if leverandoer_id:
        claims["leverandoer_id"] = leverandoer_id
    if borger_id:
        claims["borger_id"] = borger_id
    if fuldmagt_for:
        claims["fuldmagt_for"] = fuldmagt_for
    claims.update(extra or {})
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": kid})  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Development keys and tokens.")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("keygen", help="create the development key pair")
    gen.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    tok = commands.add_parser("mint", help="print a signed token")
    tok.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    tok.add_argument("--sub", required=True, help="user or system id")
    tok.add_argument("--rolle", required=True, choices=ROLLER)
    tok.add_argument("--organisation")
    tok.add_argument("--leverandoer-id")
    tok.add_argument("--borger-id")
    tok.add_argument("--fuldmagt-for", action="append", default=[])
    tok.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        print(keygen(args.dir))
        return 0
    print(
        mint(
            args.dir,
            sub=args.sub,
            rolle=args.rolle,
            organisation=args.organisation,
            leverandoer_id=args.leverandoer_id,
            borger_id=args.borger_id,
            fuldmagt_for=args.fuldmagt_for,
            ttl_seconds=args.ttl,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
