"""Dice, European roulette and the slot as pure rules: validation, payouts, exact RTP (RTS 3, GLI-11)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casino_app.domain.errors import InvalidAmount, InvalidInput, InvalidSelection
from casino_app.domain.games import dice, fairness, roulette, slot
from casino_app.services.games.instant.specs import DICE, ROULETTE, SLOT

DICE_RULES = dice.rules_from(DICE.rules)
TABLE = roulette.rules_from(ROULETTE.rules)
SLOT_RULES = slot.rules_from(SLOT.rules)
SEED = "5eed" * 16


def _stream(values: list[int]):
    yield from values


# --- dice ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "chance"),
    [("under", 5000, 5000), ("over", 5000, 5000), ("under", 200, 200), ("over", 200, 9800)],
)
def test_dice_chance_counts_the_winning_rolls(direction: str, target: int, chance: int) -> None:
    assert dice.validate_bet(DICE_RULES, direction, target).chance == chance


@pytest.mark.parametrize(
    ("direction", "target"),
    [("under", 199), ("under", 9801), ("over", 199), ("over", 9801), ("sideways", 5000)],
)
def test_a_dice_target_outside_the_allowed_chances_is_refused(direction: str, target: int) -> None:
    with pytest.raises(InvalidSelection):
        dice.validate_bet(DICE_RULES, direction, target)


def test_a_dice_target_must_be_a_whole_number_of_hundredths() -> None:
    for bad in (50.5, "5000", True):
        with pytest.raises(InvalidSelection):
            dice.validate_bet(DICE_RULES, "under", bad)  # type: ignore[arg-type]


def test_dice_under_wins_below_the_target_and_over_wins_at_or_above_it() -> None:
    under, over = dice.DiceBet(dice.Direction.UNDER, 5000), dice.DiceBet(dice.Direction.OVER, 5000)
    assert dice.wins(under, 4999) and not dice.wins(under, 5000)
    assert dice.wins(over, 5000) and not dice.wins(over, 4999)


def test_dice_pays_from_the_win_probability_rounded_down() -> None:
    half = dice.validate_bet(DICE_RULES, "under", 5000)
    assert dice.multiplier(DICE_RULES, half) == Fraction(99, 50)
    assert dice.win_amount(DICE_RULES, half, 1_00, 1234) == 1_98
    tenth = dice.validate_bet(DICE_RULES, "under", 1000)
    assert dice.win_amount(DICE_RULES, tenth, 1_00, 999) == 9_90
    odd = dice.validate_bet(DICE_RULES, "over", 6667)  # chance 3333: 100 x 9900 / 3333 = 297.02...
    assert dice.win_amount(DICE_RULES, odd, 1_00, 9999) == 297
    assert dice.win_amount(DICE_RULES, odd, 1_00, 6666) == 0


@given(target=st.integers(min_value=200, max_value=9800), direction=st.sampled_from(["under", "over"]))
def test_dice_exact_rtp_is_99_percent_for_every_target(target: int, direction: str) -> None:
    """RTS 3: the theoretical RTP shown before the stake; exact over all 10,000 rolls."""
    bet = dice.validate_bet(DICE_RULES, direction, target)
    assert dice.theoretical_rtp(DICE_RULES, bet) == Fraction(99, 100)
    stake = 10_000 * bet.chance  # large enough that rounding does not bite
    paid = sum(dice.win_amount(DICE_RULES, bet, stake, r) for r in range(dice.RANGE))
    assert Fraction(paid, stake * dice.RANGE) == Fraction(99, 100)


def test_dice_roll_is_a_rejection_sampled_value_below_10000() -> None:
    assert dice.roll(_stream([0xFF, 0xFF, 0x27, 0x0F])) == 9999  # 65535 is above the unbiased limit
    assert dice.describe(42) == "0.42" and dice.describe(9999) == "99.99"


def test_bad_dice_rules_are_refused() -> None:
    for bad in (
        {},
        {"edge": -1, "min_chance": 1, "max_chance": 2},
        {"edge": 1, "min_chance": 5, "max_chance": 4},
    ):
        with pytest.raises(InvalidInput):
            dice.rules_from(bad)


# --- roulette -----------------------------------------------------------------------------------


def test_the_board_has_every_standard_european_bet() -> None:
    kinds: dict[str, int] = {}
    for spot in roulette.BOARD:
        kinds[spot.split(":")[0]] = kinds.get(spot.split(":")[0], 0) + 1
    assert kinds == {
        "straight": 37,
        "split": 60,  # 24 across, 33 down, 0-1, 0-2, 0-3
        "street": 14,  # 12 rows and the two trios with zero
        "corner": 23,  # 22 squares and the first four
        "line": 11,
        "dozen": 3,
        "column": 3,
        "red": 1,
        "black": 1,
        "odd": 1,
        "even": 1,
        "low": 1,
        "high": 1,
    }
    assert len(roulette.BOARD["red"]) == len(roulette.BOARD["black"]) == 18
    assert roulette.BOARD["red"].isdisjoint(roulette.BOARD["black"])


@pytest.mark.parametrize(
    ("spot", "covered", "pays"),
    [
        ("straight:17", {17}, 35),
        ("split:17-20", {17, 20}, 17),
        ("split:0-2", {0, 2}, 17),
        ("street:16-17-18", {16, 17, 18}, 11),
        ("street:0-2-3", {0, 2, 3}, 11),
        ("corner:17-18-20-21", {17, 18, 20, 21}, 8),
        ("corner:0-1-2-3", {0, 1, 2, 3}, 8),
        ("line:31-32-33-34-35-36", set(range(31, 37)), 5),
        ("dozen:2", set(range(13, 25)), 2),
        ("column:1", set(range(1, 37, 3)), 2),
        ("red", set(roulette.RED), 1),
        ("black", set(range(1, 37)) - set(roulette.RED), 1),
        ("odd", set(range(1, 37, 2)), 1),
        ("even", set(range(2, 37, 2)), 1),
        ("low", set(range(1, 19)), 1),
        ("high", set(range(19, 37)), 1),
    ],
)
def test_roulette_pays_each_bet_type_by_the_table(spot: str, covered: set[int], pays: int) -> None:
    """Each bet pays `pays` to one on its own pockets and loses elsewhere, zero included."""
    (bet,) = roulette.validate_bets(TABLE, [(spot, 1_00)])
    for pocket in range(37):
        expected = 1_00 * (pays + 1) if pocket in covered else 0
        assert roulette.bet_return(bet, pocket) == expected, pocket
    assert roulette.theoretical_rtp(bet.spot) == Fraction(36, 37)


def test_every_spot_of_the_board_returns_36_of_37() -> None:
    assert {roulette.theoretical_rtp(spot) for spot in roulette.BOARD} == {Fraction(36, 37)}


def test_several_bets_pay_together_and_spots_are_canonical() -> None:
    bets = roulette.validate_bets(TABLE, [("red", 5_00), ("split:20-17", 1_00), ("straight:17", 50)])
    assert [b.spot for b in bets] == ["straight:17", "split:17-20", "red"]
    assert roulette.win_amount(bets, 17) == 50 * 36 + 1_00 * 18
    assert roulette.win_amount(bets, 19) == 5_00 * 2
    assert roulette.win_amount(bets, 0) == 0
    assert roulette.decode(roulette.encode(bets)) == bets


@pytest.mark.parametrize(
    ("bets", "error"),
    [
        ([], InvalidSelection),
        ([("zigzag:1", 100)], InvalidSelection),  # unknown bet type
        ([("straight:37", 100)], InvalidSelection),  # unknown pocket
        ([("split:1-5", 100)], InvalidSelection),  # not neighbours
        ([("corner:1-2-3-4", 100)], InvalidSelection),
        ([("dozen:4", 100)], InvalidSelection),
        ([("red", 100), ("red", 200)], InvalidSelection),  # the same spot twice
        ([("split:2-1", 100), ("split:1-2", 100)], InvalidSelection),
        ([(f"straight:{n}", 100) for n in range(16)], InvalidSelection),  # too many
        ([("red", 9)], InvalidAmount),
        ([("red", 100_01)], InvalidAmount),
    ],
)
def test_bad_roulette_bets_are_refused_with_a_typed_error(
    bets: list[tuple[str, int]], error: type[Exception]
) -> None:
    with pytest.raises(error):
        roulette.validate_bets(TABLE, bets)


def test_roulette_colours() -> None:
    assert [roulette.describe(p) for p in (0, 1, 2, 36)] == ["0 green", "1 red", "2 black", "36 red"]


# --- slot ---------------------------------------------------------------------------------------


def test_the_slot_has_five_reels_three_rows_and_ten_lines() -> None:
    assert len(SLOT_RULES.strips) == 5 and SLOT_RULES.rows == 3 and len(SLOT_RULES.lines) == 10
    assert all(strip.count("star") == 1 for strip in SLOT_RULES.strips)


@pytest.mark.parametrize(
    ("symbols", "expected"),
    [
        (("seven", "seven", "seven", "bell", "gem"), ("seven", 3, 60)),
        (("wild", "seven", "seven", "seven", "seven"), ("seven", 5, 750)),
        (("wild", "wild", "wild", "cherry", "gem"), ("wild", 3, 40)),  # the wilds pay more as wilds
        (("wild", "wild", "wild", "wild", "crown"), ("crown", 5, 500)),
        (("cherry", "cherry", "gem", "gem", "gem"), ("cherry", 2, 2)),
        (("star", "star", "star", "seven", "seven"), ("", 0, 0)),  # scatters pay apart
        (("gem", "gem", "star", "gem", "gem"), ("", 0, 0)),
        (("bell", "gem", "bell", "bell", "bell"), ("", 0, 0)),
    ],
)
def test_slot_lines_pay_left_to_right_with_wilds(
    symbols: tuple[str, ...], expected: tuple[str, int, int]
) -> None:
    assert slot.line_pay(SLOT_RULES, symbols) == expected


def test_slot_window_wraps_around_the_strip_and_evaluates_every_line() -> None:
    last = [len(s) - 1 for s in SLOT_RULES.strips]
    view = slot.window(SLOT_RULES, last)
    assert view[0] == (SLOT_RULES.strips[0][-1], SLOT_RULES.strips[0][0], SLOT_RULES.strips[0][1])
    spin = slot.evaluate(SLOT_RULES, last)
    assert spin.units(10) == sum(w.pays for w in spin.line_wins) + spin.scatter_pays * 10


def test_slot_exact_rtp_is_computed_from_strips_and_paytable() -> None:
    """The figure shown before the stake: 95.99% (target 96%), exactly 971854903/1012500000."""
    theory = slot.theory(SLOT_RULES)
    assert theory.rtp == Fraction(971_854_903, 1_012_500_000)
    assert abs(float(theory.rtp) - 0.96) < 0.001
    assert theory.trigger_probability == Fraction(107, 12_500)


def _tiny_rules() -> slot.SlotRules:
    strips = [["a", "b", "w", "s"], ["a", "b", "a"], ["w", "a", "s", "b", "b"], ["a", "b"], ["b", "a", "s"]]
    return slot.rules_from(
        {
            "strips": strips,
            "rows": 2,
            "lines": [[0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]],
            "pays": {"a": {"3": 5, "4": 10, "5": 40}, "b": {"2": 1, "3": 3, "5": 20}, "w": {"3": 50}},
            "wild": "w",
            "scatter": "s",
            "scatter_pays": {"2": 1, "3": 4},
            "trigger": 2,
            "free_spins": 2,
            "free_multiplier": 3,
        }
    )


def test_slot_theory_equals_a_brute_force_over_every_stop_combination() -> None:
    """Exact RTP, checked against all 360 stop combinations of a small slot (free spins included)."""
    rules = _tiny_rules()
    lines = len(rules.lines)
    spins = [
        slot.evaluate(rules, (a, b, c, d, e))
        for a in range(4)
        for b in range(3)
        for c in range(5)
        for d in range(2)
        for e in range(3)
    ]
    base = Fraction(sum(s.units(lines) for s in spins), len(spins) * lines)
    trigger = Fraction(sum(s.scatters >= rules.trigger for s in spins), len(spins))
    theory = slot.theory(rules)
    assert theory.base_rtp == base
    assert theory.trigger_probability == trigger
    assert theory.rtp == base + trigger * rules.free_spins * rules.free_multiplier * base


def test_a_slot_round_is_decided_whole_from_one_stream() -> None:
    found = next(
        n for n in range(5_000) if slot.play_round(SLOT_RULES, fairness.round_stream(SEED, "c", n)).free
    )
    played = slot.play_round(SLOT_RULES, fairness.round_stream(SEED, "c", found))
    assert played.base.scatters >= 3 and len(played.free) == SLOT_RULES.free_spins
    assert slot.play_round(SLOT_RULES, fairness.round_stream(SEED, "c", found)) == played
    assert slot.win_amount(SLOT_RULES, 1_00, 15) == 1_50  # 15 line bets of 0.10
    assert slot.win_amount(SLOT_RULES, 15, 7) == 10  # 7 line bets of 0.015, rounded down


@pytest.mark.parametrize(
    "change",
    [
        {"strips": [["a"] * 3] * 4},
        {"lines": [[0, 0, 0, 0, 3]]},
        {"rows": 0},
        {"free_multiplier": 0},
        {"pays": {"a": {"3": -1}}},
    ],
)
def test_unplayable_slot_rules_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        slot.rules_from({**SLOT.rules, **change})


# --- provably fair ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["", "x" * 65, "tab\there", "line\nbreak", "\x00", "zero\u200bwidth"])
def test_a_client_seed_has_1_to_64_printable_characters(seed: str) -> None:
    with pytest.raises(InvalidInput) as err:
        fairness.validate_client_seed(seed)
    assert err.value.code == "invalid_client_seed"


def test_printable_client_seeds_of_any_script_are_kept_as_typed() -> None:
    for seed in ("a", "x" * 64, "zażółć gęślą jaźń", "my lucky seed 7!"):
        assert fairness.validate_client_seed(seed) == seed
    assert len(fairness.new_client_seed()) == 16


def test_the_round_stream_is_hmac_of_client_seed_nonce_and_cursor() -> None:
    import hashlib
    import hmac

    stream = fairness.round_stream(SEED, "lucky", 7)
    expected = b"".join(
        hmac.new(bytes.fromhex(SEED), f"lucky:7:{c}".encode(), hashlib.sha256).digest() for c in range(3)
    )
    assert bytes(next(stream) for _ in range(96)) == expected


@given(key=st.binary(min_size=0, max_size=150), message=st.text(max_size=40))
def test_the_fast_hmac_is_rfc_2104_for_any_key(key: bytes, message: str) -> None:
    import hashlib
    import hmac

    from casino_app.domain.games import rng

    stream = rng.byte_stream(key.hex(), message)
    assert (
        bytes(next(stream) for _ in range(32))
        == hmac.new(key, f"{message}:0".encode(), hashlib.sha256).digest()
    )


def test_derive_replays_a_round_from_public_data_and_ignores_the_commitment() -> None:
    assert fairness.derive("dice", DICE.rules, SEED, "c", 3).roll == dice.roll(
        fairness.round_stream(SEED, "c", 3)
    )
    assert fairness.derive("roulette", ROULETTE.rules, SEED, "c", 3).as_dict()["game"] == "roulette"
    assert fairness.seed_matches(SEED, fairness.rng.commitment(SEED).upper())
    assert not fairness.seed_matches(SEED, "00" * 32) and not fairness.seed_matches("zz", "00")
    with pytest.raises(InvalidInput):
        fairness.derive("poker", {}, SEED, "c", 0)
    with pytest.raises(InvalidInput):
        fairness.round_stream(SEED, "c", -1)


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_utf8() -> None:
    assert fairness.canonical_json({"b": 1, "a": ["ż", 2]}) == '{"a":["ż",2],"b":1}'.encode()
