"""What the finance operator sees before approving a withdrawal: the player's money and play.

Balances (cash, bonus, on hold), lifetime and 30-day deposits and paid withdrawals, the net
result of the last 30 days (stakes - wins) and the last bets, plus where the payout would go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentStatus, WithdrawalStatus
from casino_app.persistence.tables import Account, Bet, Game, Payment, User, Withdrawal
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine
from casino_app.services.identity.accounts import users
from casino_app.services.money import ledger
from casino_app.services.payments.withdrawals import approvals

RECENT_BETS = 10
PERIOD = timedelta(days=30)


@dataclass(frozen=True)
class RecentBet:
    game: str
    stake: MoneyLine
    win: MoneyLine
    status: str
    placed_at: datetime


@dataclass(frozen=True)
class WithdrawalContext:
    withdrawal_id: int
    player_email: str
    amount: MoneyLine
    requested_at: datetime
    cash: MoneyLine
    bonus: MoneyLine
    on_hold: MoneyLine
    deposits_total: MoneyLine
    deposits_count: int
    deposits_30d: MoneyLine
    withdrawals_paid_total: MoneyLine
    net_30d: MoneyLine  # stakes - wins over 30 days: positive when the player lost
    payout_method: str  # where the payout would go: the latest deposit's method and provider
    recent_bets: tuple[RecentBet, ...]


@authz.guard("ops.withdrawals.decide")
def withdrawal_context(uow: UnitOfWork, actor: Actor, withdrawal_id: int, now: datetime) -> WithdrawalContext:
    """The player's context for one withdrawal in the finance queue.

    Raises:
        PermissionDenied: the actor may not decide withdrawals.
        NotFound: no such withdrawal.
    """
    with uow.reader() as r:
        s = r.session
        w = s.get(Withdrawal, int(withdrawal_id))
        if w is None:
            raise NotFound("Unknown withdrawal.")
        user = s.get(User, w.user_id)
        assert user is not None
        ccy = w.currency
        balances = _balances(s, w.user_id, ccy)
        count, total = _deposits(s, w.user_id, ccy, None)
        _, recent = _deposits(s, w.user_id, ccy, now - PERIOD)
        method = approvals.deposit_method(s, w.user_id, ccy)
        return WithdrawalContext(
            withdrawal_id=w.id or 0,
            player_email=users.email_of(r.context.keys, user),
            amount=money_line(w.amount, ccy),
            requested_at=w.created_at,
            cash=money_line(balances.get(AccountKind.PLAYER_CASH, 0), ccy),
            bonus=money_line(balances.get(AccountKind.PLAYER_BONUS, 0), ccy),
            on_hold=money_line(balances.get(AccountKind.PLAYER_HOLD, 0), ccy),
            deposits_total=money_line(total, ccy),
            deposits_count=count,
            deposits_30d=money_line(recent, ccy),
            withdrawals_paid_total=money_line(_paid_out(s, w.user_id, ccy), ccy),
            net_30d=money_line(_net(s, w.user_id, ccy, now - PERIOD), ccy),
            payout_method=f"{method.method.value} via {method.provider}" if method else "no deposit yet",
            recent_bets=_recent_bets(s, w.user_id),
        )


def _balances(s: Session, user_id: int, currency: str) -> dict[str, int]:
    codes = {ledger.account_code(k, currency, user_id): k for k in AccountKind}
    rows = s.exec(select(Account.code, Account.balance).where(col(Account.code).in_(list(codes)))).all()
    return {codes[code]: int(balance) for code, balance in rows}


def _deposits(s: Session, user_id: int, currency: str, since: datetime | None) -> tuple[int, int]:
    query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
        col(Payment.user_id) == user_id,
        col(Payment.currency) == currency,
        col(Payment.direction) == PaymentDirection.DEPOSIT,
        col(Payment.status) == PaymentStatus.APPROVED,
    )
    if since is not None:
        query = query.where(col(Payment.created_at) >= since)
    count, total = s.execute(query).one()
    return int(count), int(total)


def _paid_out(s: Session, user_id: int, currency: str) -> int:
    total = s.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Withdrawal.amount), 0)).where(
            col(Withdrawal.user_id) == user_id,
            col(Withdrawal.currency) == currency,
            col(Withdrawal.status) == WithdrawalStatus.PAID,
        )
    ).scalar_one()
    return int(total)


def _net(s: Session, user_id: int, currency: str, since: datetime) -> int:
    stakes, wins = s.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Bet.stake), 0), sa.func.coalesce(sa.func.sum(Bet.win), 0)
        ).where(
            col(Bet.user_id) == user_id,
            col(Bet.currency) == currency,
            col(Bet.created_at) >= since,
            col(Bet.status) != BetStatus.VOID,
        )
    ).one()
    return int(stakes) - int(wins)


def _recent_bets(s: Session, user_id: int) -> tuple[RecentBet, ...]:
    rows = s.exec(
        select(Bet, Game.name)
        .join(Game, col(Game.id) == Bet.game_id)
        .where(Bet.user_id == user_id)
        .order_by(col(Bet.id).desc())
        .limit(RECENT_BETS)
    ).all()
    return tuple(
        RecentBet(
            name, money_line(b.stake, b.currency), money_line(b.win, b.currency), b.status, b.created_at
        )
        for b, name in rows
    )
