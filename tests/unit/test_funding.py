"""Stake funding and win splitting (Wallet rule: cash first, wins split in proportion)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casino_app.domain.errors import InsufficientFunds, InvalidAmount
from casino_app.domain.money.funding import Funding, fund_stake, split_win


def test_a_stake_takes_cash_first_then_bonus() -> None:
    assert fund_stake(800, cash=500, bonus=1000) == Funding(500, 300)


def test_bonus_first_when_the_profile_says_so() -> None:
    assert fund_stake(800, cash=500, bonus=300, cash_first=False) == Funding(500, 300)
    assert fund_stake(200, cash=500, bonus=300, cash_first=False) == Funding(0, 200)


def test_a_stake_above_cash_plus_bonus_is_refused() -> None:
    with pytest.raises(InsufficientFunds):
        fund_stake(801, cash=500, bonus=300)


@pytest.mark.parametrize("stake", [0, -1])
def test_a_stake_must_be_positive(stake: int) -> None:
    with pytest.raises(InvalidAmount):
        fund_stake(stake, cash=500, bonus=300)


def test_a_win_splits_like_the_stake_with_the_remainder_to_cash() -> None:
    assert split_win(8000, stake=800, stake_bonus=300) == Funding(5000, 3000)
    assert split_win(10, stake=3, stake_bonus=1) == Funding(7, 3)  # 3.33 bonus rounds down


@given(
    stake=st.integers(1, 10**9),
    cash=st.integers(0, 10**9),
    bonus=st.integers(0, 10**9),
    cash_first=st.booleans(),
)
def test_funding_never_takes_more_than_each_balance_and_sums_to_the_stake(
    stake: int, cash: int, bonus: int, cash_first: bool
) -> None:
    if cash + bonus < stake:
        with pytest.raises(InsufficientFunds):
            fund_stake(stake, cash, bonus, cash_first=cash_first)
        return
    f = fund_stake(stake, cash, bonus, cash_first=cash_first)
    assert f.total == stake and 0 <= f.cash <= cash and 0 <= f.bonus <= bonus


@given(data=st.data(), stake=st.integers(1, 10**7), win=st.integers(0, 10**9))
def test_a_split_win_is_whole_and_never_favours_bonus(data: st.DataObject, stake: int, win: int) -> None:
    stake_bonus = data.draw(st.integers(0, stake))
    f = split_win(win, stake, stake_bonus)
    assert f.total == win and f.bonus * stake <= win * stake_bonus
