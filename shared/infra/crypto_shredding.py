"""Crypto-shredding: personal data in the event stores is encrypted with a key per citizen,
kept in a key store apart from the events; deleting the key erases the data everywhere it
was written, while the events themselves stay and replay.

- `KeyStore` holds one random AES-256 key per subject (the pseudonymous borger_id), itself
  encrypted (wrapped) with a master key that comes only from the environment
  (`BUM_KEYSTORE_MASTER_KEY`, 32 bytes base64). It lives in its own SQLite file or
  PostgreSQL database (`BUM_KEYSTORE_URL`), never in the event store.
- `PersonoplysningTranscoding` makes the event store's JSON transcoder write every
  `Personoplysning` as AES-GCM ciphertext under its owner's key, and read it back, or as
  `slettet` once the key is erased.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eventsourcing.persistence import Transcoding

from shared.infra.settings import KeyStoreSettings
from shared.infra.tid import now
from shared.kernel.personoplysning import INGEN_EJER, Personoplysning


def new_master_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


class KeyStore:
    """One data key per subject, wrapped with the master key; erasure deletes it for good."""

    def __init__(
        self,
        master_key: bytes,
        *,
        sqlite_path: Path | None = None,
        url: str | None = None,
        cache_seconds: float = 5.0,
    ):
        if len(master_key) != 32:
            raise ValueError("the key store's master key must be 32 bytes")
        self._wrap = AESGCM(master_key)
        self._master = master_key
        self._url = url
        self._sqlite_path = sqlite_path
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, bytes]] = {}
        self._cache_seconds = cache_seconds
        self._erased_cache: dict[str, tuple[float, bool]] = {}
        self._p = "%s" if url else "?"
        self._execute(
            "CREATE TABLE IF NOT EXISTS bum_subject_key (subject TEXT PRIMARY KEY, "
            "wrapped_key TEXT, created_at TEXT NOT NULL, erased_at TEXT)"
        )

    @classmethod
    def from_settings(cls, settings: KeyStoreSettings, data_dir: Path | None = None) -> KeyStore:
        if settings.master_key is None:
            raise ValueError("BUM_KEYSTORE_MASTER_KEY is required (32 bytes, base64)")
        master = base64.b64decode(settings.master_key.get_secret_value())
        if settings.url:
            return cls(master, url=settings.url, cache_seconds=settings.cache_seconds)
        directory = data_dir or settings.dir
        directory.mkdir(parents=True, exist_ok=True)
        return cls(
            master, sqlite_path=directory / "keystore.sqlite", cache_seconds=settings.cache_seconds
        )

    def derived_key(self, purpose: str) -> bytes:
        """A secret for another purpose (e.g. the CPR index's HMAC), derived from the master
        key, so a deployment manages one secret."""
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
            self._master
        )

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self._url:
            with psycopg.connect(self._url, autocommit=True) as conn:
                cur = conn.execute(sql.replace("?", "%s"), params)
                return list(cur.fetchall()) if cur.description else []
        assert self._sqlite_path is not None
        with sqlite3.connect(self._sqlite_path, timeout=10) as conn:
            return list(conn.execute(sql, params).fetchall())

    def _unwrap(self, subject: str, wrapped: str) -> bytes:
        raw = base64.b64decode(wrapped)
        return self._wrap.decrypt(raw[:12], raw[12:], subject.encode())

    def key_for(self, subject: str, *, create: bool) -> bytes | None:
        """The subject's data key; a new one if `create` and none was ever made. None once
        erased (or never created and not asked to)."""
        with self._lock:
            cached = self._cache.get(subject)
            if cached is not None and time.monotonic() - cached[0] < self._cache_seconds:
                return cached[1]
            rows = self._execute(
                "SELECT wrapped_key, erased_at FROM bum_subject_key WHERE subject = ?", (subject,)
            )
            if rows:
                wrapped, erased = rows[0]
                if erased is not None or wrapped is None:
                    return None
                key = self._unwrap(subject, wrapped)
            elif create:
                key = AESGCM.generate_key(bit_length=256)
                nonce = os.urandom(12)
                wrapped = base64.b64encode(nonce + self._wrap.encrypt(nonce, key, subject.encode()))
                self._execute(
                    "INSERT INTO bum_subject_key (subject, wrapped_key, created_at) "
                    "VALUES (?, ?, ?) ON CONFLICT (subject) DO NOTHING",
                    (subject, wrapped.decode(), now().isoformat()),
                )
                # Another process may have won the insert: use whatever is stored.
                self._cache.pop(subject, None)
                stored = self._execute(
                    "SELECT wrapped_key FROM bum_subject_key WHERE subject = ?", (subject,)
                )
                key = self._unwrap(subject, stored[0][0])
            else:
                return None
            self._cache[subject] = (time.monotonic(), key)
            return key

    def erase(self, subject: str) -> None:
        """Delete the subject's key: everything encrypted with it becomes unreadable."""
        with self._lock:
            self._cache.pop(subject, None)
            self._erased_cache[subject] = (time.monotonic(), True)
            self._execute(
                "INSERT INTO bum_subject_key (subject, wrapped_key, created_at, erased_at) "
                "VALUES (?, NULL, ?, ?) ON CONFLICT (subject) DO UPDATE "
                "SET wrapped_key = NULL, erased_at = excluded.erased_at",
                (subject, now().isoformat(), now().isoformat()),
            )

    def is_erased(self, subject: str) -> bool:
        rows = self._execute("SELECT erased_at FROM bum_subject_key WHERE subject = ?", (subject,))
        return bool(rows) and rows[0][0] is not None

    def er_slettet(self, subject: str) -> bool:
        """is_erased for read models that render many values: answered from memory for
        `cache_seconds` (an erasure is final, so a yes is kept for good)."""
        with self._lock:
            cached = self._erased_cache.get(subject)
            if cached is not None and (
                cached[1] or time.monotonic() - cached[0] < self._cache_seconds
            ):
                return cached[1]
        erased = self.is_erased(subject)
        with self._lock:
            self._erased_cache[subject] = (time.monotonic(), erased)
        return erased


class PersonoplysningTranscoding(Transcoding):
    """Stores a Personoplysning as {owner, nonce, ciphertext}; never as plain text."""

    type = Personoplysning
    name = "personoplysning_aesgcm"

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def encode(self, obj: Personoplysning) -> dict[str, str]:
        if obj.ejer == INGEN_EJER:
            # Text nobody owns could never be erased: refuse rather than store it.
            raise ValueError("a Personoplysning must name its owner before it is stored")
        key = self.keys.key_for(obj.ejer, create=True)
        if key is None or obj.tekst is None:
            # Erased already: nothing readable is written, only that there was something.
            return {"ejer": obj.ejer, "slettet": "1"}
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, obj.tekst.encode(), obj.ejer.encode())
        return {
            "ejer": obj.ejer,
            "n": base64.b64encode(nonce).decode(),
            "c": base64.b64encode(ciphertext).decode(),
        }

    def decode(self, data: dict[str, str]) -> Personoplysning:
        owner = data["ejer"]
        key = self.keys.key_for(owner, create=False)
        if key is None or "c" not in data:
            return Personoplysning(owner, None, slettet=True)
        plaintext = AESGCM(key).decrypt(
            base64.b64decode(data["n"]), base64.b64decode(data["c"]), owner.encode()
        )
        return Personoplysning(owner, plaintext.decode())


#: How a Personoplysning is written into a plain JSON document (a relay's published log).
FORSEGLET = "x-personoplysning"


def forsegl(obj: Any, keys: KeyStore) -> Any:
    """`obj` (JSON values, with Personoplysning in them) as plain JSON in which each
    Personoplysning is ciphertext under its owner's key: {"x-personoplysning": {...}}."""
    if isinstance(obj, Personoplysning):
        return {FORSEGLET: PersonoplysningTranscoding(keys).encode(obj)}
    if isinstance(obj, dict):
        return {k: forsegl(v, keys) for k, v in obj.items()}
    if isinstance(obj, list):
        return [forsegl(v, keys) for v in obj]
    return obj


def aabn(obj: Any, keys: KeyStore) -> Any:
    """The reverse of `forsegl`: each sealed value as its text, or the placeholder once the
    owner's key is erased. Plain values (documents written before sealing) pass through."""
    if isinstance(obj, dict):
        sealed = obj.get(FORSEGLET)
        if len(obj) == 1 and isinstance(sealed, dict):
            return PersonoplysningTranscoding(keys).decode(sealed).vis()
        return {k: aabn(v, keys) for k, v in obj.items()}
    if isinstance(obj, list):
        return [aabn(v, keys) for v in obj]
    return obj
