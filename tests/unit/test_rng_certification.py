"""The SP 800-22 tests reproduce the document's worked examples; the battery passes the OS RNG and
the HMAC stream and fails a biased generator; the pre-draw self-test and OS checks."""

from __future__ import annotations

import os
import random

import pytest

from casino_app.domain.certification import battery, frequency, health, mapped, patterns, runs, special
from casino_app.domain.certification.bits import Bits
from casino_app.services.games.certification import run

# SP 800-22 rev. 1a: the 100-bit example of sections 2.1.8, 2.2.8, 2.3.8, 2.12.8, 2.13.8 (pi's bits)
PI_100 = (
    "1100100100001111110110101010001000100001011010001100001000110100110001001100011001100010100010111000"
)
# section 2.4.8: the 128-bit example with M = 8
LONGEST_128 = (
    "11001100000101010110110001001100111000000000001001001101010100010001"
    "001111010110100000001101011111001100111001101101100010110010"
)


def _close(actual: float, expected: float, tol: float = 1e-6) -> bool:
    return abs(actual - expected) <= tol


@pytest.mark.parametrize(
    ("bits", "statistic", "p"),
    [("1011010101", 0.632456, 0.527089), (PI_100, 1.6, 0.109599)],
)
def test_frequency_matches_the_sp800_22_examples(bits: str, statistic: float, p: float) -> None:
    result = frequency.monobit(Bits.of_text(bits))
    assert _close(result.statistic, statistic) and _close(result.p_value, p)


@pytest.mark.parametrize(
    ("bits", "m", "chi2", "p"), [("0110011010", 3, 1.0, 0.801252), (PI_100, 10, 7.2, 0.706438)]
)
def test_block_frequency_matches_the_sp800_22_examples(bits: str, m: int, chi2: float, p: float) -> None:
    result = frequency.block_frequency(Bits.of_text(bits), m)
    assert _close(result.statistic, chi2) and _close(result.p_value, p)


@pytest.mark.parametrize(("bits", "v_obs", "p"), [("1001101011", 7, 0.147232), (PI_100, 52, 0.500798)])
def test_runs_matches_the_sp800_22_examples(bits: str, v_obs: int, p: float) -> None:
    result = runs.runs(Bits.of_text(bits))
    assert result.statistic == v_obs and _close(result.p_value, p)


def test_longest_run_matches_the_sp800_22_example() -> None:
    result = runs.longest_run(Bits.of_text(LONGEST_128))
    assert _close(result.statistic, 4.882605, 2e-4)  # the document rounds its class probabilities
    assert _close(result.p_value, 0.180609)


def test_serial_matches_the_sp800_22_example() -> None:
    """2.11.4: del psi^2 = 1.6, del^2 psi^2 = 0.8; P-values 0.808792 and 0.670320 (2.11.6; the
    document's step 5 misprints igamc's values, its results section gives these)."""
    first, second = patterns.serial(Bits.of_text("0011011101"), 3)
    assert _close(first.statistic, 1.6) and _close(second.statistic, 0.8)
    assert _close(first.p_value, 0.808792) and _close(second.p_value, 0.670320)


@pytest.mark.parametrize(
    ("bits", "m", "chi2", "p"),
    [("0100110101", 3, 10.043859, 0.261961), (PI_100, 2, 5.550792, 0.235301)],
)
def test_approximate_entropy_matches_the_sp800_22_examples(bits: str, m: int, chi2: float, p: float) -> None:
    result = patterns.approximate_entropy(Bits.of_text(bits), m)
    assert _close(result.statistic, chi2) and _close(result.p_value, p)


def test_cumulative_sums_match_the_sp800_22_examples() -> None:
    forward, _ = frequency.cumulative_sums(Bits.of_text("1011010111"))
    assert forward.statistic == 4 and _close(forward.p_value, 0.4116588)
    forward, reverse = frequency.cumulative_sums(Bits.of_text(PI_100))
    assert (forward.statistic, reverse.statistic) == (16, 19)
    assert _close(forward.p_value, 0.219194) and _close(reverse.p_value, 0.114866)


def test_igamc_and_erfc_match_known_values() -> None:
    assert _close(special.igamc(2, 0.8), 0.808792)
    assert _close(special.igamc(1, 0.4), 0.670320)
    assert _close(special.chi_square_p(21.665994, 9), 0.01)  # the 99% quantile with 9 df
    assert _close(special.chi_square_p(6.634897, 1), 0.01)
    assert special.igamc(3, 0) == 1.0


def test_the_fast_paths_count_what_the_bit_by_bit_definitions_count() -> None:
    raw = os.urandom(96)
    bits = Bits.of_bytes(raw)
    counts = patterns.PatternCounts(bits)
    for m in (1, 2, 5, 11, 16):
        assert counts.of(m) == patterns._direct_counts(bits, m)
    text = bits.text()
    assert bits.reversed().text() == text[::-1]
    walk, best = 0, 0
    for ch in text:
        walk += 1 if ch == "1" else -1
        best = max(best, abs(walk))
    assert frequency.max_excursion(bits) == best


def _battery(sequences: list[bytes]) -> list[battery.BatteryLine]:
    return battery.judge(battery.run_all(Bits.of_bytes(s)) for s in sequences)


def _failed(lines: list[battery.BatteryLine]) -> list[str]:
    return [line.name for line in lines if not line.ok]


def test_the_battery_passes_the_os_rng() -> None:
    """200 sequences of 8,192 bits. An honest generator fails some line about once in twenty runs
    (the proportion rule at alpha = 0.01 over nine p-values); three fresh runs in a row never do."""
    failures = []
    for _ in range(3):
        failures = _failed(_battery([os.urandom(1024) for _ in range(200)]))
        if not failures:
            break
    assert failures == []


def test_the_battery_passes_the_hmac_stream() -> None:
    lines = run.run_battery("3c" * 32, 200, 8_192)  # a fixed seed: the same bytes every run
    assert [line.name for line in lines] == [
        "frequency",
        "block-frequency",
        "runs",
        "longest-run",
        "serial-1",
        "serial-2",
        "approximate-entropy",
        "cusum-forward",
        "cusum-reverse",
    ]
    assert _failed(lines) == []


def _biased(rng: random.Random, nbytes: int, ones: float) -> bytes:
    value = 0
    for _ in range(8 * nbytes):
        value = value << 1 | (rng.random() < ones)
    return value.to_bytes(nbytes, "big")


def test_the_battery_fails_a_biased_generator() -> None:
    rng = random.Random(9)
    lines = {line.name: line for line in _battery([_biased(rng, 1024, 0.53) for _ in range(100)])}
    assert not lines["frequency"].ok and not lines["cusum-forward"].ok
    assert lines["frequency"].proportion < 0.5


def test_the_proportion_interval_is_sp800_22s() -> None:
    low, high = battery.proportion_interval(100)
    assert _close(low, 0.99 - 3 * (0.99 * 0.01 / 100) ** 0.5) and _close(low, 0.960150, 1e-5)
    assert high == 1.0


def test_uniform_p_values_pass_and_clustered_ones_fail() -> None:
    assert battery.uniformity_p([(i + 0.5) / 100 for i in range(100)]) > 0.99
    assert battery.uniformity_p([0.55] * 100) < battery.UNIFORMITY_ALPHA


def test_lotto_chi_square_is_scaled_for_drawing_without_replacement() -> None:
    """Raw chi-square times (pool - 1) / (pool - pick): ten draws of 1-5 from 1-6 give a raw 10, so 50."""
    line = mapped.lotto_line("stuck", [[1, 2, 3, 4, 5]] * 10, 5, 6)
    assert line.samples == 50 and line.statistic == pytest.approx(50.0) and not line.ok
    fair = mapped.lotto_line("fair", ([1, 2], [3, 4], [5, 6]) * 100, 2, 6)
    assert fair.statistic == 0 and fair.p_value == 1.0


def test_the_self_test_passes_fresh_streams_and_fails_stuck_ones() -> None:
    assert health.self_test_failures(os.urandom(health.SELF_TEST_BYTES)) == []
    assert "frequency" in health.self_test_failures(b"\xff" * health.SELF_TEST_BYTES)
    assert "runs" in health.self_test_failures(b"\x55" * health.SELF_TEST_BYTES)


def test_the_os_rng_check_catches_stuck_repeated_and_equal_reads() -> None:
    good = os.urandom(health.OS_SAMPLE_BYTES)
    assert health.os_rng_problems(good, os.urandom(health.OS_SAMPLE_BYTES)) == []
    assert "two reads are equal" in health.os_rng_problems(good, good)
    stuck = good[:100] + b"\x07" * health.REPETITION_CUTOFF + good[104:]
    assert "repetition count" in health.os_rng_problems(stuck, os.urandom(health.OS_SAMPLE_BYTES))
    assert "short read" in health.os_rng_problems(b"", b"")
