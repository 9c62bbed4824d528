"""Operator KPIs: stakes, wins, GGR (stakes - wins), deposits, players, liability."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, func, select

from casino_app.persistence.tables import Account, Draw, Payment, Ticket, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.authz import require
from casino_app.services.common import money_line
from casino_app.services.dto import DashboardTotals


def dashboard_totals(uow: UnitOfWork, role: str | None, currency: str = "EUR") -> DashboardTotals:
    """Totals for the operator dashboard.

    Raises:
        PermissionDenied: `role` may not view the dashboard.
    """
    require(role, "ops.dashboard.view")
    with uow.reader() as r:
        s = r.session
        stakes, wins, tickets = s.exec(
            select(
                func.coalesce(func.sum(Ticket.stake), 0),
                func.coalesce(func.sum(Ticket.win), 0),
                func.count(col(Ticket.id)),
            ).where(Ticket.currency == currency)
        ).one()
        deposits = s.exec(
            select(func.coalesce(func.sum(Payment.amount), 0)).where(
                Payment.currency == currency, Payment.status == "approved", Payment.direction == "deposit"
            )
        ).one()
        players = s.exec(select(func.count(col(User.id))).where(User.role == "player")).one()
        open_draws = s.exec(select(func.count(col(Draw.id))).where(Draw.status == "open")).one()
        liability = s.exec(
            select(func.coalesce(func.sum(Account.balance), 0)).where(
                Account.currency == currency,
                sa.or_(col(Account.kind) == "player_cash", col(Account.kind) == "player_bonus"),
            )
        ).one()
    return DashboardTotals(
        currency,
        money_line(int(stakes), currency),
        money_line(int(wins), currency),
        money_line(int(stakes) - int(wins), currency),
        money_line(int(deposits), currency),
        int(players),
        int(tickets),
        int(open_draws),
        money_line(int(liability), currency),
    )
