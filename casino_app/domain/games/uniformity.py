"""Goodness of fit for the RNG report and the tests: chi-square against a uniform distribution.

Kept apart from outcome code (outcome modules never import statistics). The 99% critical value
comes from the Wilson-Hilferty approximation of the chi-square quantile, within 0.1% of the
exact value for the degrees of freedom used here (36 to 9,999).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Z_99 = 2.3263478740408408  # the standard normal quantile at 0.99


def critical_value(df: int, z: float = Z_99) -> float:
    """The chi-square quantile with `df` degrees of freedom (Wilson-Hilferty)."""
    if df < 1:
        raise ValueError("df must be positive")
    h = 2.0 / (9.0 * df)
    return float(df * (1.0 - h + z * math.sqrt(h)) ** 3)


@dataclass(frozen=True)
class ChiSquare:
    categories: int
    samples: int
    statistic: float
    critical: float

    @property
    def passed(self) -> bool:
        return self.statistic < self.critical


def chi_square(values: Iterable[int], categories: int) -> ChiSquare:
    """Chi-square of outcomes 0..categories-1 against equal expected counts, at 99%."""
    counts = [0] * categories
    for v in values:
        counts[v] += 1
    n = sum(counts)
    expected = n / categories
    statistic = sum((c - expected) ** 2 for c in counts) / expected if n else 0.0
    return ChiSquare(categories, n, statistic, critical_value(categories - 1))


CHI2_99_DF1 = 6.634896601021214  # the exact 99% quantile with one degree of freedom


def monobit(raw: bytes) -> ChiSquare:
    """NIST SP 800-22 frequency test as chi-square (1 df): (ones - zeros)^2 / bits."""
    bits = len(raw) * 8
    ones = int.from_bytes(raw, "big").bit_count()
    statistic = (2 * ones - bits) ** 2 / bits if bits else 0.0
    return ChiSquare(2, bits, statistic, CHI2_99_DF1)


def runs(raw: bytes) -> ChiSquare:
    """NIST SP 800-22 runs test as chi-square (1 df): the number of runs of equal bits against
    its expectation 2n*pi*(1-pi), in units of 2*sqrt(n)*pi*(1-pi)."""
    bits = len(raw) * 8
    value = int.from_bytes(raw, "big")
    pi = value.bit_count() / bits if bits else 0.5
    changes = ((value ^ (value >> 1)) & ((1 << (bits - 1)) - 1)).bit_count() if bits > 1 else 0
    spread = 2 * math.sqrt(bits) * pi * (1 - pi)
    z = (changes + 1 - 2 * bits * pi * (1 - pi)) / spread if spread else float("inf")
    return ChiSquare(2, bits, z * z, CHI2_99_DF1)
