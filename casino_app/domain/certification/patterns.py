"""SP 800-22 sections 2.11 and 2.12: the serial test and approximate entropy.

Both count the overlapping m-bit patterns of the sequence extended circularly by its first
m - 1 bits. On a byte-aligned sequence the 16-bit pattern counts come from 16 counting passes
over shifted copies (two-byte words at even and odd offsets); every shorter pattern's counts are
their marginals (a pattern's counts are the sums over its one-bit extensions).
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter

from casino_app.domain.certification.bits import Bits
from casino_app.domain.certification.results import TestResult
from casino_app.domain.certification.special import igamc

WIDE = 16  # the widest pattern counted directly


def _wide_counts(bits: Bits) -> list[int]:
    """Counts of the 16-bit circular windows at every position of a byte-aligned sequence."""
    n = bits.n
    extended = (bits.value << (WIDE - 1)) | (bits.value >> (n - WIDE + 1))
    length = n + WIDE - 1
    counter: Counter[int] = Counter()
    for r in range(8):
        shifted = (extended >> (length - r - (n + 8))) & ((1 << (n + 8)) - 1)
        raw = shifted.to_bytes((n + 8) // 8, "big")
        for start in (0, 1):
            part = raw[start:]
            words = array("H", part[: len(part) // 2 * 2])
            if sys.byteorder == "little":
                words.byteswap()
            counter.update(words)
    return [counter.get(p, 0) for p in range(1 << WIDE)]


def _direct_counts(bits: Bits, m: int) -> list[int]:
    counts = [0] * (1 << m)
    text = bits.text()
    circular = text + text[: m - 1]
    for i in range(bits.n):
        counts[int(circular[i : i + m], 2)] += 1
    return counts


class PatternCounts:
    """The circular m-bit pattern counts of one sequence, for any m up to 16 (cached)."""

    def __init__(self, bits: Bits) -> None:
        self.bits = bits
        self._levels: dict[int, list[int]] = {}
        if bits.n % 8 == 0 and bits.n >= WIDE:
            self._levels[WIDE] = _wide_counts(bits)

    def of(self, m: int) -> list[int]:
        """The counts of the 2^m patterns of length m (m = 0: the one empty pattern, n times)."""
        if m == 0:
            return [self.bits.n]
        if m not in self._levels:
            if WIDE in self._levels and m < WIDE:
                wider = self.of(m + 1)
                self._levels[m] = [a + b for a, b in zip(wider[0::2], wider[1::2], strict=True)]
            else:
                self._levels[m] = _direct_counts(self.bits, m)
        return self._levels[m]


def psi_squared(counts: PatternCounts, m: int) -> float:
    """psi^2_m = (2^m / n) sum count^2 - n; zero for m < 1."""
    if m < 1:
        return 0.0
    n = counts.bits.n
    return (1 << m) / n * sum(c * c for c in counts.of(m)) - n


def serial(bits: Bits, m: int = 16, counts: PatternCounts | None = None) -> tuple[TestResult, TestResult]:
    """2.11: psi^2's first and second differences d1, d2.

    P1 = igamc(2^(m-2), d1/2), P2 = igamc(2^(m-3), d2/2).
    """
    counts = counts or PatternCounts(bits)
    psi = [psi_squared(counts, m - k) for k in range(3)]
    first = psi[0] - psi[1]
    second = psi[0] - 2.0 * psi[1] + psi[2]
    return (
        TestResult("serial-1", first, igamc(2.0 ** (m - 2), first / 2.0)),
        TestResult("serial-2", second, igamc(2.0 ** (m - 3), second / 2.0)),
    )


def _phi(counts: PatternCounts, m: int) -> float:
    n = counts.bits.n
    return sum(c / n * math.log(c / n) for c in counts.of(m) if c)


def approximate_entropy(bits: Bits, m: int = 10, counts: PatternCounts | None = None) -> TestResult:
    """2.12: ApEn(m) = phi(m) - phi(m+1); chi^2 = 2n(ln 2 - ApEn); P = igamc(2^(m-1), chi^2/2)."""
    counts = counts or PatternCounts(bits)
    apen = _phi(counts, m) - _phi(counts, m + 1)
    chi2 = 2.0 * bits.n * (math.log(2.0) - apen)
    return TestResult("approximate-entropy", chi2, igamc(2.0 ** (m - 1), chi2 / 2.0))


def serial_block(n: int) -> int:
    """The serial test's m for n bits: m < floor(log2 n) - 2, at most 16."""
    return max(2, min(WIDE, int(math.log2(n)) - 3))


def entropy_block(n: int) -> int:
    """Approximate entropy's m for n bits: m < floor(log2 n) - 5 (SP 800-22), kept a step further
    below on short sequences, where the statistic's chi-square approximation is biased; at most 10."""
    return max(2, min(10, int(math.log2(n)) - 7))
