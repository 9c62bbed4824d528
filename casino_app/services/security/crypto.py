"""Field-level encryption of personal data: AES-256-GCM envelopes and HMAC blind indexes.

Each record gets a fresh 256-bit data key (DEK). The DEK encrypts the value with AES-256-GCM;
the associated data binds the ciphertext to its table, column and row id, so a value copied
to another row or column is refused. The DEK is wrapped (AES key wrap, RFC 3394) by a
key-encryption key (KEK) from the `KeyProvider`. Rotation re-wraps the DEK only.

Token: ``e1.<kek version>.<wrapped DEK>.<nonce>.<ciphertext+tag>`` (base64url, no padding).
Encrypted columns are named ``<field>_enc`` (TEXT) and keyed by the row's ``id``: seal a new
row's fields after the flush that gives it an id. `seal_column` / `open_column` do that for a
table model row (table name and id from the row); every personal-data field goes through them.
The key provider is always passed in (services take it from `uow.context.keys`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from sqlmodel import SQLModel

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import TamperedData

TOKEN_PREFIX = "e1"
ENC_SUFFIX = "_enc"
NONCE_BYTES = 12
DEK_BYTES = 32


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _aad(table: str, column: str, row_id: int | str) -> bytes:
    # JSON keeps the parts unambiguous ("a|b","c" can never equal "a","b|c").
    return json.dumps(["casino-field", table, column, str(row_id)], separators=(",", ":")).encode()


def seal(
    plaintext: str,
    *,
    table: str,
    column: str,
    row_id: int | str,
    keys: KeyProvider,
) -> str:
    """Encrypt `plaintext` for one field of one row.

    Args:
        plaintext: the value (UTF-8 text).
        table, column, row_id: where it is stored; bound as associated data.
        keys: the key provider.

    Returns:
        A compact text token for a TEXT column.
    """
    version = keys.current_version()
    dek = secrets.token_bytes(DEK_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(dek).encrypt(nonce, plaintext.encode("utf-8"), _aad(table, column, row_id))
    wrapped = aes_key_wrap(keys.kek(version), dek)
    return ".".join((TOKEN_PREFIX, str(version), _b64(wrapped), _b64(nonce), _b64(ciphertext)))


def _parse(token: str) -> tuple[int, bytes, bytes, bytes]:
    try:
        prefix, version, wrapped, nonce, ciphertext = token.split(".")
        if prefix != TOKEN_PREFIX or not version.isdigit():
            raise ValueError(prefix)
        parts = (_unb64(wrapped), _unb64(nonce), _unb64(ciphertext))
    except (ValueError, binascii.Error, AttributeError):
        raise TamperedData("The encrypted value is malformed.") from None
    if len(parts[1]) != NONCE_BYTES:
        raise TamperedData("The encrypted value is malformed.")
    return int(version), *parts


def unseal(
    token: str,
    *,
    table: str,
    column: str,
    row_id: int | str,
    keys: KeyProvider,
) -> str:
    """Decrypt a token made by `seal` for the same table, column and row id.

    Raises:
        TamperedData: the token was altered, truncated, or belongs to another field or row.
        KeyUnavailable: its key version is unknown or retired.
    """
    version, wrapped, nonce, ciphertext = _parse(token)
    kek = keys.kek(version)
    try:
        dek = aes_key_unwrap(kek, wrapped)
        plaintext = AESGCM(dek).decrypt(nonce, ciphertext, _aad(table, column, row_id))
    except (InvalidUnwrap, InvalidTag, ValueError):
        raise TamperedData("The encrypted value failed its integrity check.") from None
    return plaintext.decode("utf-8")


def key_version(token: str) -> int:
    """The KEK version a token's data key is wrapped with."""
    return _parse(token)[0]


def rewrap(token: str, version: int, *, keys: KeyProvider) -> str:
    """Re-wrap a token's data key under KEK `version`; the ciphertext is untouched.

    Raises:
        TamperedData: the wrapped key does not unwrap under its recorded version.
    """
    old_version, wrapped, nonce, ciphertext = _parse(token)
    if old_version == version:
        return token
    try:
        dek = aes_key_unwrap(keys.kek(old_version), wrapped)
    except (InvalidUnwrap, ValueError):
        raise TamperedData("The wrapped data key failed its integrity check.") from None
    rewrapped = aes_key_wrap(keys.kek(version), dek)
    return ".".join((TOKEN_PREFIX, str(version), _b64(rewrapped), _b64(nonce), _b64(ciphertext)))


def blind_index(value: str, *, purpose: str, keys: KeyProvider) -> str:
    """A keyed HMAC-SHA256 (hex) of `value` for equality lookups without decrypting.

    Normalize the value first (e.g. lower-cased email). `purpose` separates indexes so equal
    values in different indexes do not match. The index key is independent of KEK rotation.
    """
    message = json.dumps([purpose, value], separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hmac.new(keys.index_key(), message, hashlib.sha256).hexdigest()


# --- sealed columns of table rows ------------------------------------------------------------


def _location(row: SQLModel, column: str) -> tuple[str, int]:
    """(table name, row id) that bind a sealed value to its place."""
    table = getattr(type(row), "__tablename__", None)
    row_id = getattr(row, "id", None)
    if not column.endswith(ENC_SUFFIX) or not hasattr(row, column):
        raise ValueError(f"{type(row).__name__} has no sealed column {column!r}")
    if not isinstance(table, str) or not isinstance(row_id, int):
        raise ValueError(f"seal {column} after the flush that gives the {type(row).__name__} its id")
    return table, row_id


def seal_column(keys: KeyProvider, row: SQLModel, column: str, value: str) -> None:
    """Seal `value` into the ``*_enc`` column of a flushed row ("" stores NULL).

    The row's table name and id are bound to the ciphertext, so a copied value is refused.
    The caller adds the row to its session and commits.
    """
    table, row_id = _location(row, column)
    setattr(row, column, seal(value, table=table, column=column, row_id=row_id, keys=keys) if value else None)


def open_column(keys: KeyProvider, row: SQLModel, column: str) -> str:
    """The plaintext of a row's ``*_enc`` column ("" when it is NULL or empty).

    Raises:
        TamperedData: the stored value was altered or belongs to another row or column.
        KeyUnavailable: its key version was retired.
    """
    table, row_id = _location(row, column)
    token = getattr(row, column)
    if not token:
        return ""
    return unseal(str(token), table=table, column=column, row_id=row_id, keys=keys)
