"""Cancelling a lotto draw before it is drawn: every stake refunded by a reversing posting.

An operator action with a mandatory reason, audited in the transaction that marks the draw
cancelled (`void`, conditional on a state that may still be cancelled: scheduled, open or
closed with no numbers). The refunds follow batch by batch through the bet engine
(`engine.settlement.void_in`: the exact opposite of each stake, at most once per stake), so a
cancellation interrupted halfway and asked again refunds the rest and nobody twice; a second
request is not audited again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from casino_app.domain.errors import InvalidInput, InvalidTransition, NotFound
from casino_app.domain.games.vocabulary import CANCELLED, ROUND_TRANSITIONS, GameKind, RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.security import audit

_ROUNDS = Round.__table__  # type: ignore[attr-defined]
CANCELLABLE = ROUND_TRANSITIONS.sources(CANCELLED)


@dataclass(frozen=True)
class CancelledDraw:
    draw_id: int
    refunded: int  # tickets refunded by this call
    already_cancelled: bool  # the draw was cancelled before this call (no new audit record)


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not 3 <= len(reason) <= 255:
        raise InvalidInput("Give a reason of 3 to 255 characters; it goes to the audit log.")
    return reason


@authz.guard("ops.draws.cancel")
def cancel_draw(uow: UnitOfWork, actor: Actor, draw_id: int, reason: str, now: datetime) -> CancelledDraw:
    """Cancel a draw not yet drawn and refund every ticket's stake; idempotent.

    Raises:
        InvalidInput: no reason (3 to 255 characters). NotFound: no such lotto draw.
        InvalidTransition: the draw has been drawn or settled; nothing is written.
    """
    reason = _reason(reason)
    already = _mark_cancelled(uow, actor, int(draw_id), reason, now)
    refunded = 0
    while batch := _refund_batch(uow, int(draw_id), actor, reason, now):
        refunded += batch
    return CancelledDraw(int(draw_id), refunded, already)


@retry_transient
def _mark_cancelled(uow: UnitOfWork, actor: Actor, draw_id: int, reason: str, now: datetime) -> bool:
    """Move the draw to cancelled with its audit record; True when it was cancelled already."""
    with uow:
        s = uow.session
        draw = s.get(Round, draw_id)
        game = s.get(Game, draw.game_id) if draw is not None else None
        if draw is None or game is None or game.kind != GameKind.LOTTO:
            raise NotFound("Unknown draw.")
        before = RoundStatus(draw.status)
        if before == CANCELLED:
            return True
        moved = s.execute(
            sa.update(_ROUNDS)
            .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.status.in_(CANCELLABLE), _ROUNDS.c.outcome.is_(None))
            .values(status=CANCELLED, settled_at=now)
        )
        if int(getattr(moved, "rowcount", 0) or 0) != 1:
            ROUND_TRANSITIONS.check(before, CANCELLED)  # drawn or settled: say so
            raise InvalidTransition("The draw changed meanwhile; look again.")
        audit.record(
            s,
            actor=actor.audit_name,
            action="draw.cancel",
            subject=f"draw:{draw_id}",
            details={
                "game": game.code,
                "code": draw.code,
                "before": before.value,
                "after": "void",
                "reason": reason,
            },
            now=now,
        )
        uow.commit()
    draw_queries.forget(uow, game.code)
    return False


@retry_transient
def _refund_batch(uow: UnitOfWork, draw_id: int, actor: Actor, reason: str, now: datetime) -> int:
    with uow:
        batch = settlement.pending_bets(uow.session, draw_id, settlement.SETTLE_BATCH)
        for bet in batch:
            settlement.void_in(uow, bet.id, actor, f"draw cancelled: {reason}"[:255], now)
        uow.commit()
        return len(batch)
