"""SP 800-22 sections 2.3 and 2.4: runs, and the longest run of ones in a block."""

from __future__ import annotations

import math

from casino_app.domain.certification.bits import Bits
from casino_app.domain.certification.results import TestResult
from casino_app.domain.certification.special import erfc, igamc

# (minimum n, M, lowest class, highest class, class probabilities) from SP 800-22 2.4.4 / the reference code
LONGEST_RUN_TABLES = (
    (750_000, 10_000, 10, 16, (0.0882, 0.2092, 0.2483, 0.1933, 0.1208, 0.0675, 0.0727)),
    (6_272, 128, 4, 9, (0.1174035788, 0.242955959, 0.249363483, 0.17517706, 0.102701071, 0.112398847)),
    (128, 8, 1, 4, (0.21484375, 0.3671875, 0.23046875, 0.1875)),
)


def runs(bits: Bits) -> TestResult:
    """2.3: V_n, the number of runs; P = erfc(|V_n - 2n pi(1-pi)| / (2 sqrt(2n) pi(1-pi))).

    The frequency prerequisite |pi - 1/2| < 2/sqrt(n) fails the test with P = 0.
    """
    n = bits.n
    pi = bits.ones() / n
    changes = ((bits.value ^ (bits.value >> 1)) & ((1 << (n - 1)) - 1)).bit_count()
    v_obs = changes + 1
    if abs(pi - 0.5) >= 2.0 / math.sqrt(n):
        return TestResult("runs", float(v_obs), 0.0)
    spread = 2.0 * math.sqrt(2.0 * n) * pi * (1.0 - pi)
    return TestResult("runs", float(v_obs), erfc(abs(v_obs - 2.0 * n * pi * (1.0 - pi)) / spread))


def longest_run_of(block: int) -> int:
    """The longest run of ones in an integer's bits."""
    length = 0
    while block:
        block &= block >> 1
        length += 1
    return length


def longest_run(bits: Bits) -> TestResult:
    """2.4: chi^2 of the longest runs' classes against their probabilities; P = igamc(K/2, chi^2/2)."""
    table = next((t for t in LONGEST_RUN_TABLES if bits.n >= t[0]), None)
    if table is None:
        raise ValueError("the longest run test needs at least 128 bits")
    _, m, lowest, highest, probabilities = table
    blocks = bits.n // m
    counts = [0] * len(probabilities)
    mask = (1 << m) - 1
    for i in range(blocks):
        run = longest_run_of(bits.value >> (bits.n - (i + 1) * m) & mask)
        counts[min(max(run, lowest), highest) - lowest] += 1
    chi2 = sum((c - blocks * p) ** 2 / (blocks * p) for c, p in zip(counts, probabilities, strict=True))
    k = len(probabilities) - 1
    return TestResult("longest-run", chi2, igamc(k / 2.0, chi2 / 2.0))
