"""How every instant round is played on the bet engine: one transaction from nonce to payout.

`play_round` takes the seed pair's next nonce (locking the pair), opens a round, stakes through
`engine.place_stake_in`, lets the game decide from the round's HMAC stream, and — for a
one-step round — settles through `engine.settle_in` and finishes the round, all before the one
commit; the fairness record (seed pair, nonce, outcome, balances) is written in the same
transaction, so the result is saved before anyone is shown it. The outcome is a function of
the stream alone: stake and balance only scale the payout.

A round with several steps (a slot's base spin and its free spins) is decided whole at the
stake, but stays open (round OPEN, bet PENDING) while the player is shown its steps one by
one (`advance`); the last step settles it. An unfinished round resumes on the player's next
visit; once its completion window has passed it settles as the better of the winnings the
player has been shown or a refund of the stake (`settle_expired_in`). A round whose saved state
cannot be read back is a malfunction and is voided by the engine (`settlement.void_round`):
the stake is refunded by a reversing posting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import IdempotencyConflict, InvalidInput, NotFound, RoundInProgress, SpinTooSoon
from casino_app.domain.games import fairness
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.tables import Account, Bet, InstantRound
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import engine
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.engine import settlement
from casino_app.services.games.instant import recall, seeds
from casino_app.services.games.instant.views import RoundView
from casino_app.services.money import ledger

_ROUNDS = InstantRound.__table__  # type: ignore[attr-defined]
MALFUNCTION = Actor.system("instant-malfunction")


@dataclass(frozen=True)
class InstantPlay:
    """A player's request for one round of an instant game (validated by the game first)."""

    game: GameFacts
    amount: int
    selection: str  # the engine's encoding, stored on the bet
    choice: Mapping[str, Any]  # the choice as JSON: the fairness record and the request hash
    request_key: str
    commitment: str | None = None  # the seed commitment the player was shown
    min_interval_ms: int = 0  # the game's pace (slots)
    stepped: bool = False  # rounds of this game can have several steps


@dataclass(frozen=True)
class Decided:
    """What a game's rule made of the round's stream: the record, a short result, each step's win."""

    outcome: Mapping[str, Any]
    result: str
    step_wins: tuple[int, ...]


Decide = Callable[[Iterator[int]], Decided]


class _Replayed(Exception):
    """The stake's key was claimed meanwhile: answer with the stored round."""


def play_round(uow: UnitOfWork, actor: Actor, play: InstantPlay, decide: Decide, now: datetime) -> RoundView:
    """Play one round in one transaction (see the module docstring); a replay returns the stored one.

    Raises:
        NotFound: no seed pair yet. SeedChanged: the pair shown is not the active one.
        RoundInProgress, SpinTooSoon: the game's pace. The engine's errors (InsufficientFunds ...).
        IdempotencyConflict: the request id was used for another request.
    """
    user_id = actor.player_id()
    request = {"version": play.game.version, "amount": play.amount, "choice": dict(play.choice)}
    request_hash = ledger.request_hash({"game": play.game.code, **request})
    try:
        with uow:
            known = _by_key(uow.session, user_id, play.request_key)
            if known is None:
                pair = seeds.take_nonce_in(uow, user_id, play.commitment)
                if play.stepped or play.min_interval_ms:
                    _check_pace(uow, user_id, play, now)
                row_id = _play_in(uow, actor, play, pair, request, request_hash, decide, now)
                uow.commit()
                return recall.view_of(uow, row_id)
    except _Replayed:
        known = None
    return _replay(uow, user_id, play.request_key, request_hash, known)


def _replay(
    uow: UnitOfWork, user_id: int, key: str, request_hash: str, known: InstantRound | None
) -> RoundView:
    if known is None:
        with uow.reader() as r:
            known = _by_key(r.session, user_id, key)
    if known is None or known.id is None:
        raise IdempotencyConflict("This request id is already in use.")
    if known.request_hash != request_hash:
        raise IdempotencyConflict("This request id was already used for a different round.")
    view = recall.view_of(uow, known.id)
    return RoundView(**{**view.__dict__, "replayed": True})


def _by_key(session: Session, user_id: int, key: str) -> InstantRound | None:
    return session.exec(
        select(InstantRound).where(InstantRound.user_id == user_id, InstantRound.request_key == key)
    ).first()


def _play_in(
    uow: UnitOfWork,
    actor: Actor,
    play: InstantPlay,
    pair: seeds.ActivePair,
    request: dict[str, Any],
    request_hash: str,
    decide: Decide,
    now: datetime,
) -> int:
    user_id = actor.player_id()
    round_id = engine.open_round_in(uow, play.game, now)
    stake = engine.Stake(play.game, round_id, play.amount, play.selection, play.request_key, request)
    placed = engine.place_stake_in(uow, actor, stake, now)
    if placed.replayed:
        raise _Replayed
    decided = decide(fairness.round_stream(pair.server_seed, pair.client_seed, pair.nonce))
    cash, bonus = placed.cash_after, placed.bonus_after
    values: dict[str, Any] = {}
    if len(decided.step_wins) == 1:
        bet = engine.placed_bet(stake, placed, user_id)
        outcome = settlement.Outcome(win=decided.step_wins[0], result=decided.result)
        (settled,) = engine.settle_in(uow, [(bet, outcome)], now)
        engine.finish_round_in(uow, round_id, decided.result, now)
        values = {
            "cash_after": cash + settled.win - settled.win_bonus,
            "bonus_after": bonus + settled.win_bonus,
        }
    else:
        completion = timedelta(seconds=uow.context.settings.round_completion_seconds)
        values = {"expires_at": now + completion}
    result = uow.session.execute(
        sa.insert(_ROUNDS)
        .values(
            round_id=round_id,
            bet_id=placed.bet_id,
            user_id=user_id,
            game_code=play.game.code,
            game_version=play.game.version,
            seed_pair_id=pair.id,
            nonce=pair.nonce,
            request_key=play.request_key,
            request_hash=request_hash,
            selection=json.dumps(dict(play.choice), sort_keys=True),
            outcome=json.dumps({**decided.outcome, "step_wins": list(decided.step_wins)}, sort_keys=True),
            steps=len(decided.step_wins),
            shown=1,
            cash_before=cash + placed.stake_cash,
            bonus_before=bonus + placed.stake_bonus,
            created_at=now,
            stepped_at=now,
            **values,
        )
        .returning(_ROUNDS.c.id)
    )
    return int(result.scalar_one())


def _latest(session: Session, user_id: int, game_code: str, *, lock: bool = False) -> InstantRound | None:
    query = (
        select(InstantRound)
        .where(InstantRound.user_id == user_id, InstantRound.game_code == game_code)
        .order_by(col(InstantRound.id).desc())
        .limit(1)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.exec(query).first()


def _pending(session: Session, row: InstantRound) -> bool:
    status = session.exec(select(Bet.status).where(Bet.id == row.bet_id)).first()
    return row.shown < row.steps and status == BetStatus.PENDING


def check_pace(row: InstantRound | None, min_interval_ms: int, now: datetime) -> None:
    """Refuse a spin sooner than the minimum interval after the previous step the player saw."""
    if row is None or not min_interval_ms:
        return
    wait = row.stepped_at + timedelta(milliseconds=min_interval_ms) - now
    if wait > timedelta(0):
        ms = int(wait.total_seconds() * 1000) + 1
        raise SpinTooSoon(
            f"Spins are at least {min_interval_ms / 1000:g} seconds apart: wait {ms / 1000:.1f} s.", ms
        )


def _check_pace(uow: UnitOfWork, user_id: int, play: InstantPlay, now: datetime) -> None:
    latest = _latest(uow.session, user_id, play.game.code, lock=True)
    if latest is not None and _pending(uow.session, latest):
        if latest.expires_at is None or latest.expires_at > now:
            raise RoundInProgress("Finish your open round first: its remaining spins are waiting.")
        settle_expired_in(uow, latest, now)
    check_pace(latest, play.min_interval_ms, now)


# --- rounds with steps -----------------------------------------------------------------------


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
        row = _latest(uow.session, user_id, game_code, lock=True)
        if row is None or row.id is None:
            raise NotFound("There is no unfinished round to continue.")
        row_id = row.id
        if step > row.shown and _pending(uow.session, row):
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
