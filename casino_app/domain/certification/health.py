"""The pre-draw self-test and the OS RNG health check (pure: the caller supplies the bytes).

The self-test runs fast SP 800-22 tests on one fresh stream at a strict level (a chance
failure must be rare: it holds the draw). The OS check applies SP 800-90B's repetition count
and adaptive proportion tests to OS bytes (taken as 8 bits of entropy each, alpha = 2^-20),
then asks that two reads differ and that the bytes pass the frequency test.
"""

from __future__ import annotations

import math
from itertools import pairwise

from casino_app.domain.certification import frequency, runs
from casino_app.domain.certification.bits import Bits
from casino_app.domain.certification.results import TestResult

SELF_TEST_ALPHA = 0.0001
SELF_TEST_BYTES = 8_192  # 65,536 bits
OS_SAMPLE_BYTES = 1_024
ENTROPY_BITS = 8
WINDOW = 512
_LOG2_ALPHA = 20  # alpha = 2^-20 (SP 800-90B 4.4)
REPETITION_CUTOFF = 1 + math.ceil(_LOG2_ALPHA / ENTROPY_BITS)


def _proportion_cutoff(window: int = WINDOW, entropy: int = ENTROPY_BITS) -> int:
    """The smallest count c with P(Binomial(window - 1, 2^-entropy) >= c - 1) <= 2^-20."""
    p = 2.0**-entropy
    tail = 1.0
    for c in range(window):
        tail -= math.comb(window - 1, c) * p**c * (1 - p) ** (window - 1 - c)
        if tail <= 2.0**-_LOG2_ALPHA:
            return c + 2
    return window


PROPORTION_CUTOFF = _proportion_cutoff()


def self_test(raw: bytes) -> list[TestResult]:
    """Frequency, block frequency, runs and cumulative sums on one fresh stream."""
    bits = Bits.of_bytes(raw)
    return [
        frequency.monobit(bits),
        frequency.block_frequency(bits),
        runs.runs(bits),
        *frequency.cumulative_sums(bits),
    ]


def self_test_failures(raw: bytes) -> list[str]:
    """The names of the self-tests that fail, empty when the stream looks random."""
    return [r.name for r in self_test(raw) if not r.passed(SELF_TEST_ALPHA)]


def repetition_failure(sample: bytes) -> bool:
    """SP 800-90B 4.4.1: a value repeated REPETITION_CUTOFF times in a row."""
    run = 1
    for previous, current in pairwise(sample):
        run = run + 1 if current == previous else 1
        if run >= REPETITION_CUTOFF:
            return True
    return False


def proportion_failure(sample: bytes) -> bool:
    """SP 800-90B 4.4.2: a window's first value occurring PROPORTION_CUTOFF times in it."""
    return any(
        sample[start : start + WINDOW].count(sample[start]) >= PROPORTION_CUTOFF
        for start in range(0, len(sample) - WINDOW + 1, WINDOW)
    )


def os_rng_problems(first: bytes, second: bytes) -> list[str]:
    """What is wrong with two reads of the OS RNG, empty when healthy."""
    problems = []
    if len(first) < OS_SAMPLE_BYTES or len(second) < OS_SAMPLE_BYTES:
        problems.append("short read")
    if first == second:
        problems.append("two reads are equal")
    if repetition_failure(first) or repetition_failure(second):
        problems.append("repetition count")
    if proportion_failure(first) or proportion_failure(second):
        problems.append("adaptive proportion")
    if first and not frequency.monobit(Bits.of_bytes(first + second)).passed(SELF_TEST_ALPHA):
        problems.append("frequency")
    return problems
