"""Prize tiers as data, the jackpot's split and rollover, and the exact RTP of both games."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from casino_app.domain.errors import InvalidInput
from casino_app.domain.games import jackpot, lotto
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.services.backoffice.seed import GAMES

TABLES = {
    g.code: prizes.prize_table(lotto.rules_from(g.rules, g.min_stake, g.max_stake), g.rules) for g in GAMES
}


def test_rtp_of_lotto_649_is_exact_fixed_tiers_plus_the_jackpot_share() -> None:
    total = comb(49, 6)
    fixed = Fraction(
        comb(6, 3) * comb(43, 3) * 10 + comb(6, 4) * comb(43, 2) * 100 + comb(6, 5) * 43 * 5000, total
    )
    assert prizes.theoretical_rtp(TABLES["lotto649"]) == fixed + Fraction(20, 100)
    assert prizes.theoretical_rtp(TABLES["lotto649"]) == Fraction(9886829, 17479770)


def test_rtp_of_quick_535_is_exact_fixed_tiers_plus_the_jackpot_share() -> None:
    total = comb(35, 5)
    fixed = Fraction(
        comb(5, 2) * comb(30, 3) * 1 + comb(5, 3) * comb(30, 2) * 15 + comb(5, 4) * 30 * 200, total
    )
    assert prizes.theoretical_rtp(TABLES["quick535"]) == fixed + Fraction(15, 100)
    assert prizes.theoretical_rtp(TABLES["quick535"]) == Fraction(20971, 36890)


def test_the_jackpot_tier_pays_no_fixed_amount_and_lower_tiers_pay_multiples_of_the_line_stake() -> None:
    table = TABLES["lotto649"]
    lines = ((1, 2, 3, 4, 5, 6), (1, 2, 3, 40, 41, 42), (10, 11, 12, 13, 14, 15))
    results = prizes.classify(table, lines, 3_00, [1, 2, 3, 4, 5, 6])
    assert [(r.matches, r.stake, r.fixed_win, r.jackpot) for r in results] == [
        (6, 1_00, 0, True),
        (3, 1_00, 10_00, False),
        (0, 1_00, 0, False),
    ]
    assert table.tiers() == [6, 5, 4, 3]


def test_the_seed_the_house_adds_is_bounded_apart_from_the_rtp() -> None:
    table = TABLES["lotto649"]
    assert prizes.seed_rtp_at_most(table) == Fraction(1, comb(49, 6)) * 1_000_000


def test_a_jackpot_is_split_exactly_and_the_remainder_goes_to_the_first_lines_in_ticket_order() -> None:
    winners = [
        jackpot.WinningLine(("CCCC", 0), 3, 1_00),
        jackpot.WinningLine(("AAAA", 1), 1, 1_00),
        jackpot.WinningLine(("BBBB", 0), 2, 1_00),
    ]
    parts = jackpot.split(1_000_000_01, winners)
    assert parts == {("AAAA", 1): 33_333_334, ("BBBB", 0): 33_333_334, ("CCCC", 0): 33_333_333}
    assert sum(parts.values()) == 1_000_000_01
    assert jackpot.by_bet(parts, winners) == {1: 33_333_334, 2: 33_333_334, 3: 33_333_333}


def test_a_line_staked_twice_as_high_takes_twice_the_part() -> None:
    winners = [jackpot.WinningLine(("A", 0), 1, 2_00), jackpot.WinningLine(("B", 0), 2, 1_00)]
    assert jackpot.split(3_00, winners) == {("A", 0): 2_00, ("B", 0): 1_00}


def test_the_pot_rolls_over_when_nobody_wins_and_resets_to_the_seed_after_a_win() -> None:
    rolled = jackpot.step(before=5_000, funded=200, winning_lines=0, seed=5_000)
    assert (rolled.won, rolled.seeded, rolled.after) == (0, 0, 5_200)
    won = jackpot.step(before=rolled.after, funded=100, winning_lines=2, seed=5_000)
    assert (won.won, won.seeded, won.after) == (5_300, 5_000, 5_000)


def test_funding_is_the_share_of_stakes_rounded_down_per_shard() -> None:
    assert jackpot.contributions_by_shard({0: 999, 1: 1_000, 2: 1}, 1500) == {0: 149, 1: 150}


@pytest.mark.parametrize("data", [{"matches": 7, "share_bp": 10, "seed": 0}, {"share_bp": 10_000, "seed": 0}])
def test_a_jackpot_that_does_not_fit_the_matrix_is_refused(data: dict[str, int]) -> None:
    rules = lotto.rules_from({"pick": 6, "pool": 49, "paytable": [[3, 10]]}, 100, 1000)
    with pytest.raises(InvalidInput):
        prizes.prize_table(rules, {"jackpot": data})
