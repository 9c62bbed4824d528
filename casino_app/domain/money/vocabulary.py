"""The ledger's vocabulary: account kinds, transaction kinds, and what counts as player funds."""

from __future__ import annotations

from enum import StrEnum


class AccountKind(StrEnum):
    PLAYER_CASH = "player_cash"
    PLAYER_BONUS = "player_bonus"
    PLAYER_HOLD = "player_hold"  # withdrawals requested, not yet paid or rejected
    HOUSE_REVENUE = "house_revenue"
    PROVIDER_CLEARING = "provider_clearing"
    BONUS_EXPENSE = "bonus_expense"
    FX_CLEARING = "fx_clearing"
    JACKPOT = "jackpot"


# Money the platform owes players: it never goes negative, it is the player liability, and
# it is what a privacy export lists and what must be zero before an erasure.
PLAYER_FUNDS: frozenset[AccountKind] = frozenset(
    {AccountKind.PLAYER_CASH, AccountKind.PLAYER_BONUS, AccountKind.PLAYER_HOLD}
)

FUNDS_LABELS: dict[AccountKind, str] = {
    AccountKind.PLAYER_CASH: "cash",
    AccountKind.PLAYER_BONUS: "bonus",
    AccountKind.PLAYER_HOLD: "pending withdrawal",
}


class TransactionKind(StrEnum):
    DEPOSIT = "deposit"
    STAKE = "stake"
    WIN = "win"
    REVERSAL = "reversal"  # a void or an operator correction: the exact opposite of another
    TRANSFER = "transfer"
    BONUS_GRANT = "bonus_grant"
    FX = "fx"
    WITHDRAWAL_HOLD = "withdrawal_hold"
    WITHDRAWAL_PAID = "withdrawal_paid"
    WITHDRAWAL_REJECTED = "withdrawal_rejected"
