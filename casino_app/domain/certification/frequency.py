"""SP 800-22 sections 2.1, 2.2 and 2.13: frequency (monobit), frequency within a block, cumulative sums."""

from __future__ import annotations

import math
from itertools import accumulate

from casino_app.domain.certification.bits import Bits
from casino_app.domain.certification.results import TestResult
from casino_app.domain.certification.special import erfc, igamc, normal_cdf

BLOCK_M = 128  # SP 800-22's recommended block length for n >= 100 * 128


def monobit(bits: Bits) -> TestResult:
    """2.1: s_obs = |#ones - #zeros| / sqrt(n); P = erfc(s_obs / sqrt 2)."""
    s_obs = abs(2 * bits.ones() - bits.n) / math.sqrt(bits.n)
    return TestResult("frequency", s_obs, erfc(s_obs / math.sqrt(2.0)))


def block_frequency(bits: Bits, m: int = BLOCK_M) -> TestResult:
    """2.2: chi^2 = 4M sum (pi_i - 1/2)^2 over N = n // M blocks; P = igamc(N/2, chi^2/2)."""
    blocks = bits.n // m
    if blocks < 1:
        raise ValueError("the sequence is shorter than one block")
    mask = (1 << m) - 1
    chi2 = 0.0
    for i in range(blocks):
        ones = (bits.value >> (bits.n - (i + 1) * m) & mask).bit_count()
        chi2 += (ones / m - 0.5) ** 2
    chi2 *= 4.0 * m
    return TestResult("block-frequency", chi2, igamc(blocks / 2.0, chi2 / 2.0))


def _byte_walk_tables() -> tuple[list[int], list[int], list[int]]:
    """Per byte value: the walk's net step and its highest and lowest partial sums (one +1, zero -1)."""
    net, high, low = [], [], []
    for byte in range(256):
        s, hi, lo = 0, -9, 9
        for k in range(7, -1, -1):
            s += 1 if byte >> k & 1 else -1
            hi, lo = max(hi, s), min(lo, s)
        net.append(s)
        high.append(hi)
        low.append(lo)
    return net, high, low


_NET, _HIGH, _LOW = _byte_walk_tables()


def max_excursion(bits: Bits) -> int:
    """z = max_k |S_k|, S_k the partial sums of the +-1 walk in sequence order."""
    raw = bits.byte_aligned()
    if raw is None:
        best = s = 0
        for ch in bits.text():
            s += 1 if ch == "1" else -1
            best = max(best, abs(s))
        return best
    starts = list(accumulate((_NET[b] for b in raw), initial=0))
    high = max(map(int.__add__, starts, map(_HIGH.__getitem__, raw)))
    low = min(map(int.__add__, starts, map(_LOW.__getitem__, raw)))
    return max(high, -low)


def _cusum_p(n: int, z: int) -> float:
    """2.13.4 step (4), with the summation bounds truncated toward zero as in the reference code."""
    root = math.sqrt(n)
    first = sum(
        normal_cdf((4 * k + 1) * z / root) - normal_cdf((4 * k - 1) * z / root)
        for k in range(int((-n / z + 1) / 4), int((n / z - 1) / 4) + 1)
    )
    second = sum(
        normal_cdf((4 * k + 3) * z / root) - normal_cdf((4 * k + 1) * z / root)
        for k in range(int((-n / z - 3) / 4), int((n / z - 1) / 4) + 1)
    )
    return min(1.0, max(0.0, 1.0 - first + second))


def cumulative_sums(bits: Bits) -> tuple[TestResult, TestResult]:
    """2.13: the largest excursion of the random walk, forward and backward."""
    results = []
    for mode, seq in (("forward", bits), ("reverse", bits.reversed())):
        z = max_excursion(seq)
        results.append(TestResult(f"cusum-{mode}", float(z), _cusum_p(bits.n, z) if z else 0.0))
    return results[0], results[1]
