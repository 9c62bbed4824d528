"""The only source of outcomes: OS CSPRNG seeds, HMAC-SHA256 streams, rejection sampling.

Outcome code never imports wallet, statistics or player modules (no adaptive outcomes),
and never uses the `random` module.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator

SEED_BYTES = 32


def new_server_seed() -> str:
    """A fresh 256-bit seed from the OS CSPRNG, as hex."""
    return secrets.token_hex(SEED_BYTES)


def commitment(seed_hex: str) -> str:
    """SHA-256 of the seed bytes: published before play, checked after the reveal."""
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def byte_stream(seed_hex: str, message: str) -> Iterator[int]:
    """Endless bytes: HMAC-SHA256(seed, f"{message}:{cursor}") for cursor = 0, 1, 2 ..."""
    key = bytes.fromhex(seed_hex)
    cursor = 0
    while True:
        block = hmac.new(key, f"{message}:{cursor}".encode(), hashlib.sha256).digest()
        yield from block
        cursor += 1


def uniform_int(stream: Iterator[int], upper: int) -> int:
    """A uniform integer in [0, upper) by rejection sampling (no modulo bias)."""
    if upper < 1 or upper > 2**32:
        raise ValueError("upper must be in [1, 2**32]")
    if upper == 1:
        return 0
    nbytes = (upper - 1).bit_length() + 7 >> 3
    limit = 256**nbytes - (256**nbytes % upper)
    while True:
        value = int.from_bytes(bytes(next(stream) for _ in range(nbytes)), "big")
        if value < limit:
            return value % upper


def draw_without_replacement(stream: Iterator[int], count: int, pool: int) -> list[int]:
    """`count` distinct numbers from 1..pool in draw order (a partial Fisher-Yates shuffle)."""
    if not 0 < count <= pool:
        raise ValueError("count must be in 1..pool")
    balls = list(range(1, pool + 1))
    for i in range(count):
        j = i + uniform_int(stream, pool - i)
        balls[i], balls[j] = balls[j], balls[i]
    return balls[:count]
