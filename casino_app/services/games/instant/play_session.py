"""The player's position in this gambling session: time played and net result (RTS 13C, 2E).

The session is the signed-in browser session; its bets (every game) are summed since it began.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine
from casino_app.services.identity.sessions import server as sessions


@dataclass(frozen=True)
class SessionPosition:
    started_at: datetime
    staked: MoneyLine
    won: MoneyLine
    net: MoneyLine  # won - staked: negative is a loss
    rounds: int


@authz.guard("player.history")
def position(uow: UnitOfWork, actor: Actor, now: datetime) -> SessionPosition:
    """Stakes, wins and net result of the player's bets since this session started.

    Raises:
        PermissionDenied: the actor has no session of their own.
    """
    user_id = actor.player_id()
    with uow.reader() as r:
        started = sessions.own_session(r.session, actor).created_at
        currency = r.session.exec(select(User.currency).where(User.id == user_id)).one()
        staked, won, rounds = r.session.exec(
            select(
                sa.func.coalesce(sa.func.sum(Bet.stake), 0),
                sa.func.coalesce(sa.func.sum(Bet.win), 0),
                sa.func.count(col(Bet.id)),
            ).where(Bet.user_id == user_id, col(Bet.created_at) >= started, col(Bet.created_at) <= now)
        ).one()
    return SessionPosition(
        started,
        money_line(int(staked), currency),
        money_line(int(won), currency),
        money_line(int(won) - int(staked), currency),
        int(rounds),
    )
