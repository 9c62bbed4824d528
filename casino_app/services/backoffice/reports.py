"""Operator KPIs: real-money stakes, wins, GGR, deposits, players, open rounds, player liability.

GGR = real-money stakes - real-money wins (the bonus-funded parts are left out); player
liability = every player fund (cash, bonus and withdrawal holds).
"""

from __future__ import annotations

from sqlmodel import col, func, select

from casino_app.domain.games.vocabulary import BetStatus, RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.domain.money.vocabulary import PLAYER_FUNDS
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentStatus
from casino_app.persistence.tables import Account, Bet, Payment, Round, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import DashboardTotals


@authz.guard("ops.dashboard.view")
def dashboard_totals(uow: UnitOfWork, actor: Actor, currency: str = "EUR") -> DashboardTotals:
    """Totals for the operator dashboard in one currency."""
    with uow.reader() as r:
        s = r.session
        stakes, wins, bets = s.exec(
            select(
                func.coalesce(func.sum(Bet.stake - Bet.stake_bonus), 0),
                func.coalesce(func.sum(Bet.win - Bet.win_bonus), 0),
                func.count(col(Bet.id)),
            ).where(Bet.currency == currency, Bet.status != BetStatus.VOID)
        ).one()
        deposits = s.exec(
            select(func.coalesce(func.sum(Payment.amount), 0)).where(
                Payment.currency == currency,
                Payment.status == PaymentStatus.APPROVED,
                Payment.direction == PaymentDirection.DEPOSIT,
            )
        ).one()
        players = s.exec(select(func.count(col(User.id))).where(User.role == Role.PLAYER)).one()
        open_rounds = s.exec(select(func.count(col(Round.id))).where(Round.status == RoundStatus.OPEN)).one()
        liability = s.exec(
            select(func.coalesce(func.sum(Account.balance), 0)).where(
                Account.currency == currency, col(Account.kind).in_([k.value for k in PLAYER_FUNDS])
            )
        ).one()
    return DashboardTotals(
        currency,
        money_line(int(stakes), currency),
        money_line(int(wins), currency),
        money_line(int(stakes) - int(wins), currency),
        money_line(int(deposits), currency),
        int(players),
        int(bets),
        int(open_rounds),
        money_line(int(liability), currency),
    )
