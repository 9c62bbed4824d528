"""RNG: CSPRNG seeds, HMAC-SHA256 streams, rejection sampling (RTS 7A, GLI-11)."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casino_app.domain.games import rng

SEED = "5eed" * 16
# chi2.ppf(0.99, df=48) from scipy; Wilson-Hilferty gives 73.70.
CHI2_99_DF48 = 73.683

seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)


def _bytes(values: list[int]) -> Iterator[int]:
    yield from values


def test_server_seed_is_256_bits_of_fresh_hex() -> None:
    a, b = rng.new_server_seed(), rng.new_server_seed()
    assert len(bytes.fromhex(a)) == 32
    assert a != b


def test_commitment_is_sha256_of_the_seed_bytes() -> None:
    assert rng.commitment("00" * 32) == ("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")
    assert rng.commitment(SEED) == hashlib.sha256(bytes.fromhex(SEED)).hexdigest()
    assert rng.commitment(SEED) != hashlib.sha256(SEED.encode()).hexdigest()


def test_byte_stream_is_hmac_sha256_of_message_and_cursor() -> None:
    stream = rng.byte_stream(SEED, "draw:X")
    first_two_blocks = bytes(next(stream) for _ in range(64))
    key = bytes.fromhex(SEED)
    expected = b"".join(
        hmac.new(key, f"draw:X:{cursor}".encode(), hashlib.sha256).digest() for cursor in (0, 1)
    )
    assert first_two_blocks == expected


def test_uniform_int_rejects_bytes_above_the_unbiased_limit() -> None:
    # upper=200 uses one byte; 200..255 would be biased under modulo and must be skipped.
    assert rng.uniform_int(_bytes([250, 201, 200, 7]), 200) == 7
    assert rng.uniform_int(_bytes([199]), 200) == 199


def test_uniform_int_uses_enough_bytes_for_the_range() -> None:
    # upper=300 needs two bytes, big-endian: 0x01 0x2b = 299.
    assert rng.uniform_int(_bytes([0x01, 0x2B]), 300) == 299


def test_uniform_int_refuses_empty_or_oversized_ranges() -> None:
    with pytest.raises(ValueError):
        rng.uniform_int(rng.byte_stream(SEED, "x"), 0)
    with pytest.raises(ValueError):
        rng.uniform_int(rng.byte_stream(SEED, "x"), 2**32 + 1)
    assert rng.uniform_int(_bytes([]), 1) == 0


@given(seed=seeds, upper=st.integers(min_value=1, max_value=2**32))
def test_uniform_int_stays_within_bounds(seed: str, upper: int) -> None:
    stream = rng.byte_stream(seed, "bounds")
    values = [rng.uniform_int(stream, upper) for _ in range(20)]
    assert all(0 <= v < upper for v in values)


@given(seed=seeds, pool=st.integers(min_value=1, max_value=90), data=st.data())
def test_draw_without_replacement_gives_distinct_numbers_in_range(
    seed: str, pool: int, data: st.DataObject
) -> None:
    count = data.draw(st.integers(min_value=1, max_value=pool))
    balls = rng.draw_without_replacement(rng.byte_stream(seed, "draw"), count, pool)
    assert len(balls) == count
    assert len(set(balls)) == count
    assert all(1 <= b <= pool for b in balls)


def test_drawing_the_whole_pool_is_a_permutation() -> None:
    balls = rng.draw_without_replacement(rng.byte_stream(SEED, "all"), 49, 49)
    assert sorted(balls) == list(range(1, 50))


@pytest.mark.parametrize(("count", "pool"), [(0, 49), (50, 49), (-1, 5)])
def test_draw_without_replacement_refuses_impossible_counts(count: int, pool: int) -> None:
    with pytest.raises(ValueError):
        rng.draw_without_replacement(rng.byte_stream(SEED, "x"), count, pool)


def test_same_seed_and_message_give_the_same_outcome() -> None:
    one = rng.draw_without_replacement(rng.byte_stream(SEED, "draw:A"), 6, 49)
    two = rng.draw_without_replacement(rng.byte_stream(SEED, "draw:A"), 6, 49)
    assert one == two


def test_different_message_or_seed_gives_a_different_stream() -> None:
    def head(seed: str, message: str) -> bytes:
        stream = rng.byte_stream(seed, message)
        return bytes(next(stream) for _ in range(32))

    assert head(SEED, "draw:A") != head(SEED, "draw:B")
    assert head(SEED, "draw:A") != head("00" * 32, "draw:A")


def test_uniform_int_over_49_passes_chi_square_at_99_percent() -> None:
    draws = 60_000
    stream = rng.byte_stream(SEED, "chi-square")
    counts = Counter(rng.uniform_int(stream, 49) for _ in range(draws))
    expected = draws / 49
    chi2 = sum((counts.get(k, 0) - expected) ** 2 / expected for k in range(49))
    assert set(counts) == set(range(49))
    assert chi2 < CHI2_99_DF48, f"chi-square {chi2:.1f} >= {CHI2_99_DF48} (df=48, 99%)"
