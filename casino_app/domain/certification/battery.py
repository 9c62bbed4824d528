"""The SP 800-22 battery over many sequences, judged as section 4.2 says.

A test passes the battery when (1) the proportion of sequences with p >= alpha lies in
(1 - alpha) +- 3 sqrt(alpha (1 - alpha) / s), s the number of sequences, and (2) its p-values
are uniform: chi^2 over ten equal bins, P_T = igamc(9/2, chi^2/2) >= 0.0001.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casino_app.domain.certification import frequency, patterns, runs
from casino_app.domain.certification.bits import Bits
from casino_app.domain.certification.results import ALPHA, TestResult
from casino_app.domain.certification.special import igamc

UNIFORMITY_ALPHA = 0.0001
BINS = 10


def run_all(bits: Bits) -> list[TestResult]:
    """The seven tests (nine p-values) on one sequence, block sizes chosen from its length."""
    counts = patterns.PatternCounts(bits)
    return [
        frequency.monobit(bits),
        frequency.block_frequency(bits),
        runs.runs(bits),
        runs.longest_run(bits),
        *patterns.serial(bits, patterns.serial_block(bits.n), counts),
        patterns.approximate_entropy(bits, patterns.entropy_block(bits.n), counts),
        *frequency.cumulative_sums(bits),
    ]


def proportion_interval(sequences: int, alpha: float = ALPHA) -> tuple[float, float]:
    """The acceptable range of the pass proportion for `sequences` sequences."""
    p = 1.0 - alpha
    spread = 3.0 * math.sqrt(p * alpha / sequences)
    return p - spread, min(1.0, p + spread)


def uniformity_p(p_values: Sequence[float]) -> float:
    """P_T of the p-values' spread over ten bins [0, 0.1), ..., [0.9, 1]."""
    bins = [0] * BINS
    for p in p_values:
        bins[min(BINS - 1, int(p * BINS))] += 1
    expected = len(p_values) / BINS
    chi2 = sum((b - expected) ** 2 / expected for b in bins)
    return igamc((BINS - 1) / 2.0, chi2 / 2.0)


@dataclass(frozen=True)
class BatteryLine:
    """One test's verdict over all sequences."""

    name: str
    sequences: int
    passed: int
    low: float  # the lowest acceptable proportion
    uniformity: float  # P_T

    @property
    def proportion(self) -> float:
        return self.passed / self.sequences

    @property
    def ok(self) -> bool:
        return self.proportion >= self.low and self.uniformity >= UNIFORMITY_ALPHA


def judge(per_sequence: Iterable[Sequence[TestResult]], alpha: float = ALPHA) -> list[BatteryLine]:
    """The battery's lines, one per test variant, in the order the tests ran."""
    by_test: dict[str, list[float]] = {}
    for results in per_sequence:
        for r in results:
            by_test.setdefault(r.name, []).append(r.p_value)
    lines = []
    for name, p_values in by_test.items():
        low, _ = proportion_interval(len(p_values), alpha)
        passed = sum(p >= alpha for p in p_values)
        lines.append(BatteryLine(name, len(p_values), passed, low, uniformity_p(p_values)))
    return lines
