"""The only source of outcomes: OS CSPRNG seeds, HMAC-SHA256 streams, rejection sampling.

Outcome code never imports wallet, statistics or player modules (no adaptive outcomes),
and never uses the `random` module.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator

SEED_BYTES = 32
BLOCK = 64  # SHA-256's block size, for the HMAC pads
_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))


def new_server_seed() -> str:
    """A fresh 256-bit seed from the OS CSPRNG, as hex."""
    return secrets.token_hex(SEED_BYTES)


def commitment(seed_hex: str) -> str:
    """SHA-256 of the seed bytes: published before play, checked after the reveal."""
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def byte_stream(seed_hex: str, message: str) -> Iterator[int]:
    """Endless bytes: HMAC-SHA256(seed, f"{message}:{cursor}") for cursor = 0, 1, 2 ..."""
    inner, outer = _hmac_pads(bytes.fromhex(seed_hex))
    cursor = 0
    while True:
        block = inner.copy()
        block.update(f"{message}:{cursor}".encode())
        digest = outer.copy()
        digest.update(block.digest())
        yield from digest.digest()
        cursor += 1


def _hmac_pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """HMAC-SHA256 (RFC 2104) with the keyed pads hashed once per stream: the same bytes as
    `hmac.new(key, msg, sha256)`, at a third of its cost for the short messages of a stream."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


def uniform_int(stream: Iterator[int], upper: int) -> int:
    """A uniform integer in [0, upper) by rejection sampling (no modulo bias)."""
    if upper < 1 or upper > 2**32:
        raise ValueError("upper must be in [1, 2**32]")
    if upper == 1:
        return 0
    nbytes = (upper - 1).bit_length() + 7 >> 3
    limit = 256**nbytes - (256**nbytes % upper)
    while True:
        value = 0
        for _ in range(nbytes):  # big-endian
            value = value << 8 | next(stream)
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
