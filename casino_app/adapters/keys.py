"""Key provider: KEKs by version, the blind-index key, the audit and the receipt signing keys.

`LocalKeyring` keeps them in a JSON file outside the database (the wiring builds it at
`settings.keyring_path`: `CASINO_KEYRING_PATH`, default `data/keyring.json`), created on first
use with 0600 permissions. A KMS or HSM adapter implements the same `KeyProvider` protocol;
nothing else in the code reads key files, and no provider is held globally.

Keyring file (format 1):
    {"format": 1, "current": 2,
     "keks": {"1": {"key": b64|null, "created_at": iso, "retired_at": iso|null}, "2": {...}},
     "index_key": b64, "signing_key": b64, "receipt_key": b64}

The receipt key (Ed25519, signs players' bet receipts) is separate from the audit signing key;
a keyring written before it existed gets one on first use.

A retired version keeps its metadata but loses its key material, so data still under it
cannot be read any more: retire only after rotation has re-wrapped every record.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from casino_app.domain.errors import KeyUnavailable

KEY_BYTES = 32  # AES-256, HMAC-SHA256 and Ed25519 seeds are all 32 bytes


@dataclass(frozen=True)
class KeyVersion:
    """Metadata of one KEK version (never the key itself)."""

    version: int
    created_at: datetime
    retired_at: datetime | None

    @property
    def active(self) -> bool:
        return self.retired_at is None


class KeyProvider(Protocol):
    """What the services need from a key store; a KMS/HSM adapter implements the same."""

    def current_version(self) -> int:
        """The KEK version new records are wrapped with."""
        ...

    def kek(self, version: int) -> bytes:
        """The 32-byte KEK of `version`; raises `KeyUnavailable` if unknown or retired."""
        ...

    def versions(self) -> list[KeyVersion]:
        """Every version ever created, oldest first."""
        ...

    def create_version(self, now: datetime) -> int:
        """Create a new KEK version, make it current and return its number."""
        ...

    def retire_version(self, version: int, now: datetime) -> None:
        """Destroy the key material of a non-current version."""
        ...

    def index_key(self) -> bytes:
        """The HMAC key for blind indexes; stable across KEK rotation."""
        ...

    def signing_key(self) -> bytes:
        """The Ed25519 private key seed (32 bytes) that signs audit heads."""
        ...

    def receipt_key(self) -> bytes:
        """The Ed25519 private key seed (32 bytes) that signs bet receipts."""
        ...


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _new_keyring(now: datetime) -> dict[str, Any]:
    return {
        "format": 1,
        "current": 1,
        "keks": {"1": {"key": _b64(secrets.token_bytes(KEY_BYTES)), "created_at": now.isoformat()}},
        "index_key": _b64(secrets.token_bytes(KEY_BYTES)),
        "signing_key": _b64(secrets.token_bytes(KEY_BYTES)),
        "receipt_key": _b64(secrets.token_bytes(KEY_BYTES)),
    }


class LocalKeyring:
    """A `KeyProvider` over a JSON file; safe for several threads and processes.

    Reads are cached and reloaded when the file changes (another process rotated);
    changes take an exclusive `flock` and replace the file atomically.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._data: dict[str, Any] | None = None
        self._stamp: tuple[int, int] | None = None
        self._decoded: dict[str, bytes] = {}  # base64 text -> bytes, for the loaded file only

    # --- KeyProvider -------------------------------------------------------------------

    def current_version(self) -> int:
        return int(self._load()["current"])

    def kek(self, version: int) -> bytes:
        entry = self._load()["keks"].get(str(version))
        if entry is None:
            entry = self._load(force=True)["keks"].get(str(version))
        if entry is None or not entry.get("key"):
            state = "retired" if entry is not None else "unknown"
            raise KeyUnavailable(f"Key version {version} is {state}.")
        return self._bytes(entry["key"])

    def versions(self) -> list[KeyVersion]:
        keks = self._load(force=True)["keks"]
        return [
            KeyVersion(
                int(v),
                datetime.fromisoformat(e["created_at"]),
                datetime.fromisoformat(e["retired_at"]) if e.get("retired_at") else None,
            )
            for v, e in sorted(keks.items(), key=lambda item: int(item[0]))
        ]

    def create_version(self, now: datetime) -> int:
        with self._editing() as data:
            version = max(int(v) for v in data["keks"]) + 1
            data["keks"][str(version)] = {
                "key": _b64(secrets.token_bytes(KEY_BYTES)),
                "created_at": now.astimezone(UTC).isoformat(),
            }
            data["current"] = version
        return version

    def retire_version(self, version: int, now: datetime) -> None:
        with self._editing() as data:
            entry = data["keks"].get(str(version))
            if entry is None:
                raise KeyUnavailable(f"Key version {version} is unknown.")
            if int(data["current"]) == version:
                raise KeyUnavailable(f"Key version {version} is current and cannot be retired.")
            entry["key"] = None
            entry.setdefault("retired_at", now.astimezone(UTC).isoformat())

    def index_key(self) -> bytes:
        return self._bytes(self._load()["index_key"])

    def signing_key(self) -> bytes:
        return self._bytes(self._load()["signing_key"])

    def receipt_key(self) -> bytes:
        found = self._load().get("receipt_key")
        if not found:
            with self._editing() as data:
                data.setdefault("receipt_key", _b64(secrets.token_bytes(KEY_BYTES)))
            found = self._load()["receipt_key"]
        return self._bytes(found)

    def _bytes(self, text: str) -> bytes:
        found = self._decoded.get(text)
        if found is None:
            found = self._decoded[text] = _unb64(text)
        return found

    # --- file handling -----------------------------------------------------------------

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_ino)

    def _load(self, *, force: bool = False) -> dict[str, Any]:
        with self._lock:
            stamp = self._stat()
            if self._data is not None and stamp == self._stamp and not force:
                return self._data
            if stamp is None:
                self._create()
                stamp = self._stat()
            self._data = json.loads(self.path.read_text(encoding="utf-8"))
            self._stamp = stamp
            self._decoded = {}
            return self._data

    def _create(self) -> None:
        with self._flock():
            if self.path.exists():
                return
            self._write(_new_keyring(datetime.now(UTC)))

    @contextmanager
    def _flock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextmanager
    def _editing(self) -> Iterator[dict[str, Any]]:
        self._load()
        with self._flock():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            yield data
            self._write(data)
        with self._lock:
            self._data, self._stamp = None, None

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
