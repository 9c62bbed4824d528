"""Unfinished instant rounds: resume on the next visit, settle after the window, void on malfunction.

An unfinished round (a slot's free spins not all shown) keeps its round OPEN and its bet
PENDING: the outcome is decided, the money is not paid yet. The player resumes it from the
game page. After `settings.round_completion_seconds` it settles as the better of the winnings
the player was shown or a refund of the stake (RTS 10, AGCO 4.21) — when the player comes back,
or in the sweep the scheduler and the shell run. A malfunction voids it through the engine.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Bet, InstantRound
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games.instant import recall, steps
from casino_app.services.games.instant.views import RoundView

SWEEP_BATCH = 100


@authz.guard("player.play")
def unfinished_round(uow: UnitOfWork, actor: Actor, game_code: str, now: datetime) -> RoundView | None:
    """The player's unfinished round of the game to resume, or None.

    A round whose window has passed is settled now and returned finished, with a notice.
    """
    user_id = actor.player_id()
    with uow.reader() as r:
        row = recall.unfinished(r.session, user_id, str(game_code))
        if row is None or row.id is None:
            return None
        row_id, expired = row.id, row.expires_at is not None and row.expires_at <= now
    if not expired:
        return recall.view_of(uow, row_id)
    notice = _settle_expired(uow, row_id, now)
    view = recall.view_of(uow, row_id)
    return RoundView(**{**view.__dict__, "notice": notice})


@retry_transient
def _settle_expired(uow: UnitOfWork, row_id: int, now: datetime) -> str:
    """Settle one expired round in its own transaction; "" when there was nothing to settle."""
    with uow:
        query = select(InstantRound).where(InstantRound.id == row_id)
        if uow.dialect == "postgresql":
            query = query.with_for_update()
        row = uow.session.exec(query).one()
        status = uow.session.exec(select(Bet.status).where(Bet.id == row.bet_id)).one()
        if status != BetStatus.PENDING or row.shown >= row.steps:
            return ""
        try:
            notice = steps.settle_expired_in(uow, row, now)
        except (ValueError, KeyError, TypeError):
            notice = ""
        else:
            uow.commit()
            return notice
    return steps.malfunction(uow, row_id, now).notice


@authz.guard("system.jobs")
def settle_expired(uow: UnitOfWork, actor: Actor, now: datetime) -> int:
    """Settle every unfinished round whose window has passed; returns how many."""
    settled = 0
    while True:
        with uow.reader() as r:
            due = r.session.exec(
                select(InstantRound.id)
                .join(Bet, col(Bet.id) == InstantRound.bet_id)
                .where(col(InstantRound.expires_at) <= now, Bet.status == BetStatus.PENDING)
                .order_by(col(InstantRound.id))
                .limit(SWEEP_BATCH)
            ).all()
        done = [row_id for row_id in due if row_id is not None and _settle_expired(uow, row_id, now)]
        settled += len(done)
        if len(due) < SWEEP_BATCH or not done:
            return settled


@authz.guard("ops.bets.void")
def declare_malfunction(uow: UnitOfWork, actor: Actor, bet_id: str, reason: str, now: datetime) -> RoundView:
    """Void an unfinished instant round after a malfunction: the engine refunds the stake, audited.

    Raises:
        NotFound: no such round. InvalidInput: no reason. InvalidTransition: the round is finished.
    """
    with uow.reader() as r:
        row = r.session.exec(
            select(InstantRound.id)
            .join(Bet, col(Bet.id) == InstantRound.bet_id)
            .where(Bet.public_id == str(bet_id))
        ).first()
    if row is None:
        raise NotFound("No such instant round.")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("Give the malfunction's reason; it goes to the audit log.")
    return steps.malfunction(uow, row, now, f"malfunction: {reason.strip()}"[:255], actor)
