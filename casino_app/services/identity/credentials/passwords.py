"""Password and recovery-code hashing: argon2id through passlib's `CryptContext`.

OWASP parameters: m=19456 KiB, t=2, p=1. Hashes made with other parameters still verify and
are replaced at the next successful login (`verify_and_update`). Every call is CPU-bound
(about 30-60 ms): callers on an event loop run it in a worker thread.

Secrets are clipped at the policy's maximum length before any hashing, so an oversized
input costs what any other does and fails like a wrong password (never a different error).
"""

from __future__ import annotations

from functools import cache

from passlib.context import CryptContext

from casino_app.domain.identity.passwords import MAX_PASSWORD

ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1

HASHER = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=ARGON2_MEMORY_KIB,
    argon2__time_cost=ARGON2_TIME_COST,
    argon2__parallelism=ARGON2_PARALLELISM,
)


def _clipped(secret: str) -> tuple[str, bool]:
    """(the secret cut to the maximum length, whether it was longer)."""
    secret = secret or ""
    return secret[:MAX_PASSWORD], len(secret) > MAX_PASSWORD


def hash_secret(secret: str) -> str:
    """An argon2id hash of a password or a recovery code (both checked against their policy first)."""
    return str(HASHER.hash(secret))


def verify_and_update(secret: str, stored_hash: str) -> tuple[bool, str | None]:
    """(matches, replacement hash when the stored one uses outdated parameters).

    A secret over the maximum length is hashed clipped (the same work) and never matches.
    """
    clipped, too_long = _clipped(secret)
    try:
        ok, new_hash = HASHER.verify_and_update(clipped, stored_hash)
    except ValueError:  # a malformed or unknown hash never matches
        return False, None
    if too_long:
        return False, None
    return bool(ok), new_hash


def verify(secret: str, stored_hash: str) -> bool:
    """True when `secret` matches `stored_hash`."""
    return verify_and_update(secret, stored_hash)[0]


@cache
def _dummy_hash() -> str:
    return str(HASHER.hash("dummy-password-for-equal-timing"))


def burn_time(secret: str) -> None:
    """Verify against a dummy hash, so an unknown account costs as much time as a known one."""
    HASHER.verify(_clipped(secret)[0], _dummy_hash())
