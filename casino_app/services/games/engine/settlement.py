"""The bet engine's settle and void: pay or refund bets, one bet or a whole round set-based.

A game decides each bet's `Outcome` (its pure payout rule); this module turns outcomes into
money. Wins are paid from a house shard and split between cash and bonus in the proportion the
stake was funded (domain/money/funding.py). A batch of bets costs a constant number of
statements (ledger.post_many and one bulk update of the bets), whatever its size. Only pending
bets settle (BET_TRANSITIONS); a settled bet is never paid twice, because the win's idempotency
key is the bet's id and the bets are locked while a batch settles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.errors import BetAlreadySettled, InvalidInput, NotFound
from casino_app.domain.events import DomainEvent
from casino_app.domain.games.vocabulary import BET_TRANSITIONS, ROUND_TRANSITIONS, BetStatus, RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.funding import split_win
from casino_app.persistence import bulk
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.stakes import PlacedStake
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.types import UtcDateTime
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games.engine import wins
from casino_app.services.games.engine.stake import Stake
from casino_app.services.money import ledger
from casino_app.services.security import audit

SETTLE_BATCH = 500
_BETS = Bet.__table__  # type: ignore[attr-defined]
_GAMES = Game.__table__  # type: ignore[attr-defined]
_ROUNDS = Round.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PendingBet:
    """What a game's payout rule sees of a bet."""

    id: int
    user_id: int
    public_id: str
    game_code: str
    game_version: int
    currency: str
    stake: int
    stake_bonus: int
    selection: str


@dataclass(frozen=True)
class Outcome:
    """A game's verdict on one bet: what it pays (0 for a loss), a push, a short result text."""

    win: int = 0
    push: bool = False
    result: str = ""

    def status(self) -> BetStatus:
        if self.push:
            return BetStatus.PUSH
        return BetStatus.WIN if self.win > 0 else BetStatus.LOSE


@dataclass(frozen=True)
class SettledBet:
    id: int
    user_id: int
    public_id: str
    status: BetStatus
    win: int
    win_bonus: int
    transaction_id: int | None


Payout = Callable[[PendingBet], Outcome]


def placed_bet(stake: Stake, placed: PlacedStake, user_id: int) -> PendingBet:
    """The bet a stake just placed, as a payout rule sees it (no need to read it back)."""
    game = stake.game
    return PendingBet(
        placed.bet_id,
        user_id,
        placed.public_id,
        game.code,
        game.version,
        game.currency,
        placed.stake_cash + placed.stake_bonus,
        placed.stake_bonus,
        placed.selection,
    )


def pending_bets(
    session: Session, round_id: int, limit: int = SETTLE_BATCH, *, after: int = 0
) -> list[PendingBet]:
    """The next pending bets of a round, oldest first, locked until the transaction ends.

    `after`: the last bet id a previous batch of the same pass took. The scan (index
    `ix_bets_round`, round then id) starts there instead of walking past every bet already
    settled, which would make a big draw's settlement quadratic.
    """
    query = (
        sa.select(_BETS, _GAMES.c.code.label("game_code"))
        .join(_GAMES, _GAMES.c.id == _BETS.c.game_id)
        .where(
            _BETS.c.round_id == round_id,
            _BETS.c.status == BetStatus.PENDING,
            _BETS.c.id > after,
        )
        .order_by(_BETS.c.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=_BETS)
    return [_pending(row) for row in session.execute(query)]


def _pending(row: Any) -> PendingBet:
    return PendingBet(
        row.id,
        row.user_id,
        row.public_id,
        row.game_code,
        row.game_version,
        row.currency,
        row.stake,
        row.stake_bonus,
        row.selection,
    )


def settle_in(
    uow: UnitOfWork, decided: Sequence[tuple[PendingBet, Outcome]], now: datetime
) -> list[SettledBet]:
    """Settle pending bets inside the caller's transaction, set-based; returns what each became.

    Raises:
        InvalidInput: an outcome pays a negative or non-integer amount.
    """
    for _, outcome in decided:
        if isinstance(outcome.win, bool) or not isinstance(outcome.win, int) or outcome.win < 0:
            raise InvalidInput("A win is a non-negative whole number of minor units.")
    session = uow.session
    posted = ledger.post_many(session, wins.win_transactions(uow, decided), now)
    settled = [_settled(bet, outcome, posted) for bet, outcome in decided]
    if settled and session.get_bind().dialect.name == "postgresql":
        _update_bets_pg(session, settled, decided, now)
    elif settled:
        session.execute(
            sa.update(_BETS)
            .where(_BETS.c.id == sa.bindparam("bet_id"), _BETS.c.status == BetStatus.PENDING)
            .values(
                status=sa.bindparam("new_status"),
                win=sa.bindparam("new_win"),
                win_bonus=sa.bindparam("new_win_bonus"),
                result=sa.bindparam("new_result"),
                settle_transaction_id=sa.bindparam("txn"),
                settled_at=now,
            ),
            [_bet_update(s, outcome) for s, (_, outcome) in zip(settled, decided, strict=True)],
        )
    _announce(uow, settled)
    return settled


def _update_bets_pg(
    session: Session, settled: list[SettledBet], decided: Sequence[tuple[PendingBet, Outcome]], now: datetime
) -> None:
    """The settled bets in one UPDATE from arrays (persistence/bulk.py), only those still pending."""
    bulk.update_rows(
        session,
        "bets",
        ("id", "bigint"),
        [
            ("status", "text"),
            ("win", "bigint"),
            ("win_bonus", "bigint"),
            ("result", "text"),
            ("settle_transaction_id", "bigint"),
        ],
        [
            (u["bet_id"], u["new_status"], u["new_win"], u["new_win_bonus"], u["new_result"], u["txn"])
            for u in (_bet_update(s, outcome) for s, (_, outcome) in zip(settled, decided, strict=True))
        ],
        where="bets.status = 'pending'",
        extra=", settled_at = :now",
        params={"now": now},
        types={"now": UtcDateTime()},
    )


def _settled(bet: PendingBet, outcome: Outcome, posted: dict[str, ledger.PostedTransaction]) -> SettledBet:
    status = BET_TRANSITIONS.check(BetStatus.PENDING, outcome.status())
    txn = posted.get(f"win:{bet.id}")
    win_bonus = split_win(outcome.win, bet.stake, bet.stake_bonus).bonus if outcome.win else 0
    return SettledBet(
        bet.id, bet.user_id, bet.public_id, status, outcome.win, win_bonus, txn.id if txn else None
    )


def _bet_update(settled: SettledBet, outcome: Outcome) -> dict[str, Any]:
    return {
        "bet_id": settled.id,
        "new_status": settled.status.value,
        "new_win": settled.win,
        "new_win_bonus": settled.win_bonus,
        "new_result": outcome.result[:64],
        "txn": settled.transaction_id,
    }


def _announce(uow: UnitOfWork, settled: list[SettledBet]) -> None:
    by_user: dict[int, list[SettledBet]] = {}
    for bet in settled:
        by_user.setdefault(bet.user_id, []).append(bet)
    for user_id, bets in by_user.items():
        uow.emit(
            DomainEvent(
                "bet.settled",
                user_id,
                {"bets": [b.public_id for b in bets], "won": sum(b.win for b in bets)},
            )
        )


def settle_all_in(
    uow: UnitOfWork, decided: Sequence[tuple[PendingBet, Outcome]], now: datetime, chunk: int = 2_000
) -> int:
    """`settle_in` for any number of bets, in the caller's transaction, `chunk` bets a statement
    batch (the size of one insert's parameters stays bounded); returns how many settled."""
    for start in range(0, len(decided), chunk):
        settle_in(uow, decided[start : start + chunk], now)
    return len(decided)


@retry_transient
def settle_batch(
    uow: UnitOfWork,
    round_id: int,
    payout: Payout,
    now: datetime,
    limit: int = SETTLE_BATCH,
    *,
    progress: list[int] | None = None,
) -> int:
    """Settle the next batch of a round's pending bets in one transaction; returns how many.

    `progress`: `[last bet id]` of this pass, read and moved on (a rerun after a crash starts
    at 0: only pending bets are ever taken, so none is paid twice).
    """
    with uow:
        batch = pending_bets(uow.session, round_id, limit, after=progress[0] if progress else 0)
        settle_in(uow, [(bet, payout(bet)) for bet in batch], now)
        uow.commit()
    if progress is not None and batch:
        progress[0] = batch[-1].id
    return len(batch)


@authz.guard("system.jobs")
def settle_round(uow: UnitOfWork, actor: Actor, round_id: int, payout: Payout, now: datetime) -> int:
    """Settle every pending bet of a round, batch by batch (each batch its own transaction)."""
    total, progress = 0, [0]
    while (settled := settle_batch(uow, round_id, payout, now, progress=progress)) > 0:
        total += settled
    return total


# --- void: a reversing posting ------------------------------------------------------------------


def void_in(uow: UnitOfWork, bet_id: int, actor: Actor, reason: str, now: datetime) -> SettledBet:
    """Void a pending bet inside the caller's transaction: its stake is reversed exactly.

    Raises:
        NotFound: no such bet. BetAlreadySettled: only a pending bet can be voided.
    """
    session = uow.session
    bet = session.get(Bet, bet_id)
    if bet is None:
        raise NotFound("Unknown bet.")
    if not BET_TRANSITIONS.can(BetStatus(bet.status), BetStatus.VOID):
        raise BetAlreadySettled(f"Bet {bet.public_id} is already settled ({bet.status}).")
    reversal = ledger.reverse(
        session, bet.stake_transaction_id, now=now, actor=actor.audit_name, reason=reason
    )
    claimed = session.execute(
        sa.update(_BETS)
        .where(_BETS.c.id == bet_id, _BETS.c.status == BetStatus.PENDING)
        .values(status=BetStatus.VOID, settle_transaction_id=reversal.id, settled_at=now)
    )
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        raise BetAlreadySettled(f"Bet {bet.public_id} was settled meanwhile.")
    voided = SettledBet(bet_id, bet.user_id, bet.public_id, BetStatus.VOID, 0, 0, reversal.id)
    _announce(uow, [voided])
    return voided


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not 3 <= len(reason) <= 255:
        raise InvalidInput("Give a reason of 3 to 255 characters; it goes to the audit log.")
    return reason


@authz.guard("ops.bets.void")
@retry_transient
def void_bet(uow: UnitOfWork, actor: Actor, bet_id: int, reason: str, now: datetime) -> SettledBet:
    """Void one pending bet (a malfunction, a mistake): refund by reversal, audited with the reason."""
    reason = _reason(reason)
    with uow:
        voided = void_in(uow, bet_id, actor, reason, now)
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="bet.void",
            subject=f"bet:{voided.public_id}",
            details={"before": "pending", "after": "void", "reason": reason},
            now=now,
        )
        uow.commit()
        return voided


@authz.guard("ops.bets.void")
def void_round(uow: UnitOfWork, actor: Actor, round_id: int, reason: str, now: datetime) -> int:
    """Cancel a round that has no result yet: every pending bet is refunded; returns how many.

    Raises:
        NotFound: no such round. InvalidTransition: the round already has its result.
    """
    reason = _reason(reason)
    with uow:
        row = uow.session.get(Round, round_id)
        if row is None:
            raise NotFound("Unknown round.")
        before = RoundStatus(row.status)
        ROUND_TRANSITIONS.check(before, RoundStatus.VOID)
        uow.session.execute(
            sa.update(_ROUNDS).where(_ROUNDS.c.id == round_id).values(status=RoundStatus.VOID)
        )
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="round.void",
            subject=f"round:{round_id}",
            details={"before": before.value, "after": "void", "reason": reason},
            now=now,
        )
        uow.commit()
    voided = 0
    while batch := _void_batch(uow, round_id, actor, reason, now):
        voided += batch
    return voided


@retry_transient
def _void_batch(uow: UnitOfWork, round_id: int, actor: Actor, reason: str, now: datetime) -> int:
    with uow:
        batch = pending_bets(uow.session, round_id, SETTLE_BATCH)
        for bet in batch:
            void_in(uow, bet.id, actor, reason, now)
        uow.commit()
        return len(batch)
