"""Lotto rules: selections, stakes, paytables and the theoretical RTP shown before the stake."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from casino_app.domain.errors import InvalidAmount, InvalidSelection
from casino_app.domain.games import lotto
from casino_app.domain.games.checks import StakeFacts, stake_within_game_limits
from casino_app.services.backoffice.seed import GAMES

RULES = {g.code: lotto.rules_from(g.rules, g.min_stake, g.max_stake) for g in GAMES}
FIXED = datetime(2026, 3, 1, tzinfo=UTC)
L649 = RULES["lotto649"]
Q535 = RULES["quick535"]


def test_seeded_games_have_the_expected_shape_and_paytable() -> None:
    assert (L649.pick, L649.pool) == (6, 49)
    assert L649.paytable == ((3, 10), (4, 100), (5, 5000))  # all six: the jackpot (test_lotto_prizes.py)
    assert (Q535.pick, Q535.pool) == (5, 35)


def test_valid_selection_is_returned_sorted() -> None:
    assert lotto.validate_selection(L649, [49, 1, 17, 3, 22, 8]) == [
        1,
        3,
        8,
        17,
        22,
        49,
    ]


@pytest.mark.parametrize("numbers", [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7], []])
def test_selection_with_the_wrong_count_is_refused(numbers: list[int]) -> None:
    with pytest.raises(InvalidSelection, match="Pick exactly 6"):
        lotto.validate_selection(L649, numbers)


def test_selection_with_a_repeated_number_is_refused() -> None:
    with pytest.raises(InvalidSelection, match="only once"):
        lotto.validate_selection(L649, [1, 2, 3, 4, 5, 5])


@pytest.mark.parametrize("bad", [0, 50, -3])
def test_selection_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(InvalidSelection, match="between 1 and 49"):
        lotto.validate_selection(L649, [1, 2, 3, 4, 5, bad])


@pytest.mark.parametrize("bad", ["6", 6.0, True, None])
def test_selection_with_a_non_integer_is_refused(bad: object) -> None:
    with pytest.raises(InvalidSelection, match="whole numbers"):
        lotto.validate_selection(L649, [1, 2, 3, 4, 5, bad])  # type: ignore[list-item]


def test_selection_bounds_1_and_pool_are_accepted() -> None:
    assert lotto.validate_selection(Q535, [35, 1, 2, 3, 4]) == [1, 2, 3, 4, 35]


def _stake(rules: lotto.LottoRules, amount: int) -> None:
    stake_within_game_limits(
        StakeFacts(
            1, "lotto649", "lotto", 1, 1, "EUR", amount, rules.min_stake_minor, rules.max_stake_minor, FIXED
        )
    )


@pytest.mark.parametrize("stake", [0, -100])
def test_zero_or_negative_stake_is_refused(stake: int) -> None:
    with pytest.raises(InvalidAmount, match="greater than zero"):
        _stake(L649, stake)


def test_stake_below_minimum_or_above_maximum_is_refused_naming_the_limit() -> None:
    with pytest.raises(InvalidAmount, match=r"minimum stake for this game is €1\.00"):
        _stake(L649, L649.min_stake_minor - 1)
    with pytest.raises(InvalidAmount, match=r"maximum stake for this game is €100\.00"):
        _stake(L649, L649.max_stake_minor + 1)


def test_stake_at_the_limits_is_accepted() -> None:
    _stake(L649, L649.min_stake_minor)
    _stake(L649, L649.max_stake_minor)


@pytest.mark.parametrize(
    ("selection", "matches", "multiplier"),
    [
        ([1, 2, 3, 4, 5, 6], 6, 0),  # the jackpot tier: no fixed multiple
        ([1, 2, 3, 4, 5, 40], 5, 5000),
        ([1, 2, 3, 4, 40, 41], 4, 100),
        ([1, 2, 3, 40, 41, 42], 3, 10),
        ([1, 2, 40, 41, 42, 43], 2, 0),
        ([40, 41, 42, 43, 44, 45], 0, 0),
    ],
)
def test_win_is_stake_times_the_paytable_multiplier(
    selection: list[int], matches: int, multiplier: int
) -> None:
    winning = [1, 2, 3, 4, 5, 6]
    assert lotto.count_matches(selection, winning) == matches
    assert lotto.win_amount(L649, 250, selection, winning) == 250 * multiplier


def test_two_matches_pay_the_stake_back_in_quick_535() -> None:
    assert lotto.win_amount(Q535, 300, [1, 2, 30, 31, 32], [1, 2, 3, 4, 5]) == 300


def test_match_probabilities_sum_to_one() -> None:
    for rules in RULES.values():
        assert sum(lotto.match_probability(rules, m) for m in range(rules.pick + 1)) == 1
    assert lotto.match_probability(L649, 6) == Fraction(1, 13_983_816)


@pytest.mark.parametrize("code", sorted(RULES))
def test_theoretical_rtp_of_seeded_games_is_between_30_and_60_percent(
    code: str,
) -> None:
    rtp = lotto.theoretical_rtp(RULES[code])
    assert Fraction(3, 10) < rtp < Fraction(6, 10)


def test_theoretical_rtp_is_the_expected_multiplier() -> None:
    expected = sum(lotto.match_probability(L649, m) * x for m, x in L649.paytable)
    assert lotto.theoretical_rtp(L649) == expected
    assert round(float(expected), 4) == 0.3656  # fixed tiers only; with the jackpot share: 0.5656


def test_draw_numbers_are_a_deterministic_function_of_seed_ticket_root_and_draw_id() -> None:
    seed, root = "ab" * 32, "cd" * 32
    first = lotto.draw_numbers(L649, seed, root, 7)
    assert first == lotto.draw_numbers(L649, seed, root, 7)
    assert first != lotto.draw_numbers(L649, seed, root, 8)
    assert first != lotto.draw_numbers(L649, seed, "ce" + "cd" * 31, 7)
    assert first != lotto.draw_numbers(L649, "ac" + "ab" * 31, root, 7)
    assert first == sorted(first)
    assert lotto.validate_selection(L649, first) == first


def test_quick_pick_is_a_valid_selection() -> None:
    for rules in RULES.values():
        pick = lotto.quick_pick(rules)
        assert lotto.validate_selection(rules, pick) == pick


def test_a_ticket_stores_its_lines_in_one_selection_and_a_single_line_as_before() -> None:
    lines = ((1, 2, 3, 4, 5, 6), (7, 8, 9, 10, 11, 12))
    assert lotto.format_lines(lines) == "1,2,3,4,5,6|7,8,9,10,11,12"
    assert lotto.parse_lines(lotto.format_lines(lines)) == lines
    assert lotto.parse_lines("3,14,27,31,40,45") == ((3, 14, 27, 31, 40, 45),)
    assert lotto.parse_lines("") == ()
