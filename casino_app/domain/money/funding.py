"""How a stake is funded from cash and bonus money, and how a win is split back."""

from __future__ import annotations

from dataclasses import dataclass

from casino_app.domain.errors import InsufficientFunds, InvalidAmount


@dataclass(frozen=True)
class Funding:
    cash: int
    bonus: int

    @property
    def total(self) -> int:
        return self.cash + self.bonus


def fund_stake(stake: int, cash: int, bonus: int, *, cash_first: bool = True) -> Funding:
    """Take the stake from cash first (or bonus first), never more than each balance holds.

    Raises:
        InvalidAmount: the stake is not positive.
        InsufficientFunds: cash and bonus together are below the stake.
    """
    if stake <= 0:
        raise InvalidAmount("The stake must be greater than zero.")
    if cash + bonus < stake:
        raise InsufficientFunds("Your balance is too low for this amount.")
    if cash_first:
        from_cash = min(cash, stake)
        return Funding(from_cash, stake - from_cash)
    from_bonus = min(bonus, stake)
    return Funding(stake - from_bonus, from_bonus)


def split_win(win: int, stake: int, stake_bonus: int) -> Funding:
    """Split a win in the proportion the stake was funded; the rounding remainder goes to cash."""
    if win < 0 or stake <= 0 or not 0 <= stake_bonus <= stake:
        raise InvalidAmount("A win split needs a positive stake and a non-negative win.")
    bonus = win * stake_bonus // stake
    return Funding(win - bonus, bonus)
