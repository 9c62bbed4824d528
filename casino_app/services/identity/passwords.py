"""Password and recovery-code hashing: argon2id through passlib's `CryptContext`.

OWASP parameters: m=19456 KiB, t=2, p=1. Hashes made with other parameters still verify and
are replaced at the next successful login (`verify_and_update`). Every call is CPU-bound
(about 30-60 ms): callers on an event loop run it in a worker thread.
"""

from __future__ import annotations

from functools import cache

from passlib.context import CryptContext

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


def hash_secret(secret: str) -> str:
    """An argon2id hash of a password or a recovery code."""
    return str(HASHER.hash(secret))


def verify_and_update(secret: str, stored_hash: str) -> tuple[bool, str | None]:
    """(matches, replacement hash when the stored one uses outdated parameters)."""
    try:
        ok, new_hash = HASHER.verify_and_update(secret, stored_hash)
    except ValueError:  # a malformed or unknown hash never matches
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
    HASHER.verify(secret, _dummy_hash())
