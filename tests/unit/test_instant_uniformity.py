"""Uniform outcomes through the production mapping: chi-square at 99% on 1,000,000 rounds per
mapping (UK RTS 7A, GLI-11, AGCO 21.1), and the raw stream's bit and byte tests.

The seeds are fixed, so each test's verdict is fixed too (a fresh-seed run is `rng report`).
"""

from __future__ import annotations

import pytest

from casino_app.cli import rng as rng_cli
from casino_app.domain.games import dice, roulette, uniformity

ROUNDS = 1_000_000
SERVER = "c0ffee" * 10 + "c0de"
CLIENT = "chi-square"


def test_the_critical_values_match_the_chi_square_tables() -> None:
    # scipy.stats.chi2.ppf(0.99, df) for the degrees of freedom the report uses.
    for df, exact in ((29, 49.588), (36, 58.619), (255, 310.457), (9_999, 10_331.1)):
        assert abs(uniformity.critical_value(df) - exact) / exact < 0.001, df


def test_a_biased_sample_fails_and_a_flat_one_passes() -> None:
    assert not uniformity.chi_square([0] * 60 + list(range(37)) * 10, 37).passed
    assert uniformity.chi_square(list(range(37)) * 100, 37).passed
    assert not uniformity.monobit(b"\xff" * 1000).passed
    assert not uniformity.runs(b"\xaa" * 1000).passed  # alternating bits: far too many runs


@pytest.mark.parametrize(("game", "categories"), [("dice", dice.RANGE), ("roulette", roulette.POCKETS)])
def test_dice_rolls_and_roulette_pockets_are_uniform_at_99_percent(game: str, categories: int) -> None:
    values = (o[0] for o in rng_cli.outcomes(game, SERVER, CLIENT, ROUNDS))
    result = uniformity.chi_square(values, categories)
    assert result.samples == ROUNDS
    assert result.passed, f"{game}: chi-square {result.statistic:.1f} >= {result.critical:.1f}"


def test_every_slot_reel_stops_uniformly_at_99_percent() -> None:
    stops = list(rng_cli.outcomes("slot", SERVER, CLIENT, ROUNDS))
    rules = rng_cli._slot_rules()
    for reel, strip in enumerate(rules.strips):
        result = uniformity.chi_square((s[reel] for s in stops), len(strip))
        assert result.samples == ROUNDS
        assert result.passed, f"reel {reel + 1}: chi-square {result.statistic:.1f} >= {result.critical:.1f}"


def test_the_raw_stream_passes_frequency_runs_and_byte_tests() -> None:
    for name, result in rng_cli.stream_checks(SERVER, CLIENT, 8_000_000):
        assert result.passed, f"{name}: {result.statistic:.2f} >= {result.critical:.2f}"
