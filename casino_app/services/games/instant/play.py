"""How every instant round is played on the bet engine: one transaction from nonce to payout.

`play_round` takes the seed pair's next nonce (locking the pair), opens a round, stakes through
`engine.place_stake_in`, lets the game decide from the round's HMAC stream, and — for a
one-step round — settles through `engine.settle_in` and finishes the round, all before the one
commit; the fairness record (seed pair, nonce, outcome, balances) is written in the same
transaction, so the result is saved before anyone is shown it. The outcome is a function of
the stream alone: stake and balance only scale the payout.

A round with several steps (a slot's base spin and its free spins) is decided whole at the
stake, but stays open (round OPEN, bet PENDING) while the player is shown its steps one by
one: steps.py shows them, settles the round at the last one or after its completion window,
and voids it on a malfunction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.errors import (
    IdempotencyConflict,
    RoundInProgress,
    RulesChanged,
)
from casino_app.domain.games import fairness
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Game, InstantRound
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import money_line
from casino_app.services.games import engine
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.engine import settlement
from casino_app.services.games.instant import recall, seeds, steps
from casino_app.services.games.instant.views import RoundView
from casino_app.services.money import ledger

_ROUNDS = InstantRound.__table__  # type: ignore[attr-defined]
_GAMES = Game.__table__  # type: ignore[attr-defined]
# Built once: a round is a handful of statements, and building each anew costs more than running it.
_KNOWN = (
    sa.select(_GAMES.c.version, _ROUNDS.c.id, _ROUNDS.c.request_hash)
    .select_from(_GAMES)
    .outerjoin(
        _ROUNDS,
        (_ROUNDS.c.user_id == sa.bindparam("user_id")) & (_ROUNDS.c.request_key == sa.bindparam("key")),
    )
    .where(_GAMES.c.id == sa.bindparam("game_id"))
)
_RECORD = sa.insert(_ROUNDS)


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


@retry_transient
def play_round(uow: UnitOfWork, actor: Actor, play: InstantPlay, decide: Decide, now: datetime) -> RoundView:
    """Play one round in one transaction (see the module docstring); a replay returns the stored one.

    Raises:
        NotFound: no seed pair yet. SeedChanged: the pair shown is not the active one.
        RulesChanged: the game's current version is not the one the player was shown.
        RoundInProgress, SpinTooSoon: the game's pace. The engine's errors (InsufficientFunds ...).
        IdempotencyConflict: the request id was used for another request.
    """
    user_id = actor.player_id()
    request = {"version": play.game.version, "amount": play.amount, "choice": dict(play.choice)}
    request_hash = ledger.request_hash({"game": play.game.code, **request})
    try:
        with uow:
            version, known_id, known_hash = uow.session.execute(
                _KNOWN, {"user_id": user_id, "key": play.request_key, "game_id": play.game.id}
            ).one()
            known = None if known_id is None else _Known(known_id, known_hash)
            if known is None:
                _check_version(play.game, version)
                pair = seeds.take_nonce_in(uow, user_id, play.commitment)
                if play.stepped or play.min_interval_ms:
                    _check_pace(uow, user_id, play, now)
                view = _play_in(uow, actor, play, pair, request, request_hash, decide, now)
                uow.commit()
                return view
    except _Replayed:
        known = None
    return _replay(uow, user_id, play.request_key, request_hash, known)


@dataclass(frozen=True)
class _Known:
    id: int
    request_hash: str


def _check_version(game: GameFacts, current: int) -> None:
    """The round starts under the version whose rules the player was shown, or not at all."""
    if current != game.version:
        raise RulesChanged(f"{game.name} has new rules (version {current}): have a look, then play again.")


def _replay(uow: UnitOfWork, user_id: int, key: str, request_hash: str, known: Any) -> RoundView:
    if known is None:
        with uow.reader() as r:
            known = _by_key(r.session, user_id, key)
    if known is None:
        raise IdempotencyConflict("This request id is already in use.")
    if known.request_hash != request_hash:
        raise IdempotencyConflict("This request id was already used for a different round.")
    view = recall.view_of(uow, known.id)
    return RoundView(**{**view.__dict__, "replayed": True})


def _by_key(session: Session, user_id: int, key: str) -> Any:
    """(id, request_hash) of the player's round with this request id, if any."""
    return session.execute(
        sa.select(_ROUNDS.c.id, _ROUNDS.c.request_hash).where(
            _ROUNDS.c.user_id == user_id, _ROUNDS.c.request_key == key
        )
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
) -> RoundView:
    user_id = actor.player_id()
    code = engine.new_public_id()
    round_id = engine.open_round_in(uow, play.game, now, code=code)
    stake = engine.Stake(play.game, round_id, play.amount, play.selection, play.request_key, request)
    placed = engine.place_stake_in(uow, actor, stake, now, new_key=True)  # play_round looked it up
    if placed.replayed:
        raise _Replayed
    decided = decide(fairness.round_stream(pair.server_seed, pair.client_seed, pair.nonce))
    outcome = {**decided.outcome, "step_wins": list(decided.step_wins)}
    cash, bonus = placed.cash_after, placed.bonus_after
    values: dict[str, Any] = {}
    status = BetStatus.PENDING
    if len(decided.step_wins) == 1:
        bet = engine.placed_bet(stake, placed, user_id)
        verdict = settlement.Outcome(win=decided.step_wins[0], result=decided.result)
        (settled,) = engine.settle_in(uow, [(bet, verdict)], now)
        engine.finish_round_in(uow, round_id, decided.result, now)
        status = settled.status
        values = {
            "cash_after": cash + settled.win - settled.win_bonus,
            "bonus_after": bonus + settled.win_bonus,
        }
    else:
        values = {"expires_at": now + timedelta(seconds=uow.context.settings.round_completion_seconds)}
    row = {
        "round_id": round_id,
        "bet_id": placed.bet_id,
        "user_id": user_id,
        "game_code": play.game.code,
        "game_version": play.game.version,
        "seed_pair_id": pair.id,
        "nonce": pair.nonce,
        "request_key": play.request_key,
        "request_hash": request_hash,
        "selection": json.dumps(dict(play.choice), sort_keys=True),
        "outcome": json.dumps(outcome, sort_keys=True),
        "steps": len(decided.step_wins),
        "shown": 1,
        "cash_before": cash + placed.stake_cash,
        "bonus_before": bonus + placed.stake_bonus,
        "created_at": now,
        "stepped_at": now,
        **values,
    }
    uow.session.execute(_RECORD, row)
    return _fresh_view(play, placed, pair, decided, outcome, status, row, code)


def _fresh_view(
    play: InstantPlay,
    placed: Any,
    pair: seeds.ActivePair,
    decided: Decided,
    outcome: dict[str, Any],
    status: str,
    row: dict[str, Any],
    code: str,
) -> RoundView:
    """The round just played, from what the transaction already holds (no read back)."""
    ccy = play.game.currency
    after = row.get("cash_after")
    return RoundView(
        bet_id=placed.public_id,
        round_code=code,
        game_code=play.game.code,
        game_name=play.game.name,
        game_version=play.game.version,
        status=status,
        result=decided.result[:64],
        selection=dict(play.choice),
        outcome=recall.shown_outcome(outcome, 1),
        steps=row["steps"],
        shown=1,
        stake=money_line(play.amount, ccy),
        win=money_line(decided.step_wins[0], ccy),
        cash_before=money_line(row["cash_before"], ccy),
        cash_after=None if after is None else money_line(after, ccy),
        commitment=pair.commitment,
        client_seed=pair.client_seed,
        nonce=pair.nonce,
        server_seed="",
        created_at=row["created_at"],
        settled_at=None if status == BetStatus.PENDING else row["created_at"],
        expires_at=row.get("expires_at"),
    )


def _check_pace(uow: UnitOfWork, user_id: int, play: InstantPlay, now: datetime) -> None:
    latest = steps.latest(uow.session, user_id, play.game.code, lock=True)
    if latest is not None and steps.pending(uow.session, latest):
        if latest.expires_at is None or latest.expires_at > now:
            raise RoundInProgress("Finish your open round first: its remaining spins are waiting.")
        steps.settle_expired_in(uow, latest, now)
    steps.check_pace(latest, play.min_interval_ms, now)
