"""Field-level encryption of personal data: AES-256-GCM envelopes and HMAC blind indexes.

Each record gets a fresh 256-bit data key (DEK). The DEK encrypts the value with AES-256-GCM;
the associated data binds the ciphertext to its table, column and row id, so a value copied
to another row or column is refused. The DEK is wrapped (AES key wrap, RFC 3394) by a
key-encryption key (KEK) from the `KeyProvider`. Rotation re-wraps the DEK only.

Token: ``e1.<kek version>.<wrapped DEK>.<nonce>.<ciphertext+tag>`` (base64url, no padding).
Encrypted columns are named ``<field>_enc`` (TEXT) and keyed by the row's ``id``: seal a new
row's fields after the flush that gives it an id.
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

from casino_app.adapters.keys import KeyProvider, get_key_provider
from casino_app.domain.errors import TamperedData

TOKEN_PREFIX = "e1"
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
    keys: KeyProvider | None = None,
) -> str:
    """Encrypt `plaintext` for one field of one row.

    Args:
        plaintext: the value (UTF-8 text).
        table, column, row_id: where it is stored; bound as associated data.
        keys: the key provider (default: the configured one).

    Returns:
        A compact text token for a TEXT column.
    """
    keys = keys or get_key_provider()
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
    keys: KeyProvider | None = None,
) -> str:
    """Decrypt a token made by `seal` for the same table, column and row id.

    Raises:
        TamperedData: the token was altered, truncated, or belongs to another field or row.
        KeyUnavailable: its key version is unknown or retired.
    """
    keys = keys or get_key_provider()
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


def rewrap(token: str, version: int, *, keys: KeyProvider | None = None) -> str:
    """Re-wrap a token's data key under KEK `version`; the ciphertext is untouched.

    Raises:
        TamperedData: the wrapped key does not unwrap under its recorded version.
    """
    keys = keys or get_key_provider()
    old_version, wrapped, nonce, ciphertext = _parse(token)
    if old_version == version:
        return token
    try:
        dek = aes_key_unwrap(keys.kek(old_version), wrapped)
    except (InvalidUnwrap, ValueError):
        raise TamperedData("The wrapped data key failed its integrity check.") from None
    rewrapped = aes_key_wrap(keys.kek(version), dek)
    return ".".join((TOKEN_PREFIX, str(version), _b64(rewrapped), _b64(nonce), _b64(ciphertext)))


def blind_index(value: str, *, purpose: str, keys: KeyProvider | None = None) -> str:
    """A keyed HMAC-SHA256 (hex) of `value` for equality lookups without decrypting.

    Normalize the value first (e.g. lower-cased email). `purpose` separates indexes so equal
    values in different indexes do not match. The index key is independent of KEK rotation.
    """
    keys = keys or get_key_provider()
    message = json.dumps([purpose, value], separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hmac.new(keys.index_key(), message, hashlib.sha256).hexdigest()
