"""Instant rounds with several steps (a slot's base spin and its free spins), after the stake.

The whole round was decided at the stake (play.py); here the player is shown it step by step
(`advance`), at the game's pace, and the last step settles it through the engine. An
unfinished round past its completion window settles as the better of the winnings shown so
far or a refund of the stake (`settle_expired_in`, RTS 10 / AGCO 4.21); one whose saved state
cannot be read back is a malfunction, voided by the engine with a reversing posting (RTS 5A).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidInput, NotFound, SpinTooSoon
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Account, Bet, InstantRound
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import engine
from casino_app.services.games.engine import settlement
from casino_app.services.games.instant import recall
from casino_app.services.games.instant.views import RoundView
from casino_app.services.money import ledger

MALFUNCTION = Actor.system("instant-malfunction")


def latest(session: Session, user_id: int, game_code: str, *, lock: bool = False) -> InstantRound | None:
    query = (
        select(InstantRound)
        .where(InstantRound.user_id == user_id, InstantRound.game_code == game_code)
        .order_by(col(InstantRound.id).desc())
        .limit(1)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.exec(query).first()


def pending(session: Session, row: InstantRound) -> bool:
    status = session.exec(select(Bet.status).where(Bet.id == row.bet_id)).first()
    return row.shown < row.steps and status == BetStatus.PENDING


def check_pace(row: InstantRound | None, min_interval_ms: int, now: datetime) -> None:
    """Refuse a spin sooner than the minimum interval after the previous step the player saw."""
    if row is None or not min_interval_ms:
        return
    wait = row.stepped_at + timedelta(milliseconds=min_interval_ms) - now
    if wait > timedelta(0):
        ms = math.ceil(wait / timedelta(milliseconds=1))
        raise SpinTooSoon(
            f"Spins are at least {min_interval_ms / 1000:g} seconds apart: wait {ms / 1000:.1f} s.", ms
        )


def step_wins(row: InstantRound) -> tuple[int, ...]:
    """Each step's win from the saved state; a state that does not add up is a malfunction."""
    wins = tuple(int(w) for w in json.loads(row.outcome)["step_wins"])
    if len(wins) != row.steps or any(w < 0 for w in wins) or not 1 <= row.shown <= row.steps:
        raise ValueError("saved round state is inconsistent")
    return wins


def _balances(session: Session, user_id: int, currency: str) -> tuple[int, int]:
    codes = {
        ledger.account_code(AccountKind.PLAYER_CASH, currency, user_id): 0,
        ledger.account_code(AccountKind.PLAYER_BONUS, currency, user_id): 1,
    }
    found = [0, 0]
    for code, value in session.exec(
        select(Account.code, Account.balance).where(col(Account.code).in_(codes))
    ):
        found[codes[code]] = int(value)
    return found[0], found[1]


def _settle_in(uow: UnitOfWork, row: InstantRound, outcome: settlement.Outcome, now: datetime) -> None:
    """Settle the round's pending bet and finish the round; the record gets the balances after."""
    session = uow.session
    pending = engine.pending_bets(session, row.round_id)
    if not pending:  # voided meanwhile
        return
    (bet,) = pending
    engine.settle_in(uow, [(bet, outcome)], now)
    engine.finish_round_in(uow, row.round_id, outcome.result, now)
    cash, bonus = _balances(session, row.user_id, bet.currency)
    row.cash_after, row.bonus_after, row.expires_at = cash, bonus, None
    session.add(row)


@retry_transient
def advance(
    uow: UnitOfWork, actor: Actor, game_code: str, step: int, min_interval_ms: int, now: datetime
) -> RoundView:
    """Show step `step` (1-based) of the player's open round of the game; the last one settles it.

    Asking again for a step already shown returns the round as it is (a replayed event).

    Raises:
        NotFound: no round to continue. SpinTooSoon: the game's pace. InvalidInput: a step out of order.
    """
    user_id = actor.player_id()
    broken, notice = False, ""
    with uow:
        row = latest(uow.session, user_id, game_code, lock=True)
        if row is None or row.id is None:
            raise NotFound("There is no unfinished round to continue.")
        row_id = row.id
        if step > row.shown and pending(uow.session, row):
            try:
                wins = step_wins(row)
            except (ValueError, KeyError, TypeError):
                broken = True
            else:
                notice = _step(uow, row, wins, step, min_interval_ms, now)
                uow.commit()
    if broken:
        return malfunction(uow, row_id, now)
    view = recall.view_of(uow, row_id)
    return RoundView(**{**view.__dict__, "notice": notice}) if notice else view


def _step(
    uow: UnitOfWork, row: InstantRound, wins: tuple[int, ...], step: int, interval: int, now: datetime
) -> str:
    if row.expires_at is not None and row.expires_at <= now:
        return settle_expired_in(uow, row, now)
    if step != row.shown + 1:
        raise InvalidInput(f"Step {row.shown + 1} comes next.")
    check_pace(row, interval, now)
    row.shown, row.stepped_at = step, now
    uow.session.add(row)
    if row.shown == row.steps:
        _settle_in(uow, row, settlement.Outcome(win=sum(wins), result=_result(row)), now)
    return ""


def _result(row: InstantRound) -> str:
    return str(json.loads(row.outcome).get("result", ""))[:64]


def settle_expired_in(uow: UnitOfWork, row: InstantRound, now: datetime) -> str:
    """Settle an unfinished round whose window has passed: the better of shown winnings or the stake.

    Returns:
        The notice for the player.
    """
    so_far = sum(step_wins(row)[: row.shown])
    stake = uow.session.exec(select(Bet.stake).where(Bet.id == row.bet_id)).one()
    refund = so_far <= stake
    result = "unfinished: stake refunded" if refund else "unfinished: winnings so far paid"
    _settle_in(uow, row, settlement.Outcome(win=max(so_far, stake), push=refund, result=result), now)
    return (
        "Your unfinished round ran out of time: your stake was refunded."
        if refund
        else "Your unfinished round ran out of time: the winnings you had been shown were paid."
    )


def malfunction(
    uow: UnitOfWork, row_id: int, now: datetime, reason: str = "", actor: Actor = MALFUNCTION
) -> RoundView:
    """Void a round whose saved state cannot be trusted: the engine refunds the stake (RTS 5A)."""
    with uow.reader() as r:
        row = r.session.get(InstantRound, row_id)
        if row is None:
            raise NotFound("Unknown round.")
        round_id = row.round_id
    why = reason or "malfunction: the round's saved state could not be read back"
    settlement.void_round(uow, actor, round_id, why, now)
    view = recall.view_of(uow, row_id)
    notice = "This round was voided after a malfunction: your stake is refunded."
    return RoundView(**{**view.__dict__, "notice": notice})
