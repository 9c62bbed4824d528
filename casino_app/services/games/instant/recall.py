"""Recall of instant rounds (AGCO 13.1.1): stake, outcome, win, balances before and after, and
the verification data (commitment, client seed, nonce, and the server seed once revealed).
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, Game, InstantRound, Round, SeedPair
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.games.instant.views import RoundView

RECALL_MIN = 10
RECALL_MAX = 100


def _query() -> Any:
    return (
        select(InstantRound, Bet, SeedPair, Game, Round)  # type: ignore[call-overload]
        .join(Bet, col(Bet.id) == InstantRound.bet_id)
        .join(SeedPair, col(SeedPair.id) == InstantRound.seed_pair_id)
        .join(Game, col(Game.id) == Bet.game_id)
        .join(Round, col(Round.id) == InstantRound.round_id)
    )


def _view(row: InstantRound, bet: Bet, pair: SeedPair, game: Game, rnd: Round) -> RoundView:
    outcome = _json(row.outcome)
    wins = _wins(outcome)
    pending = bet.status == BetStatus.PENDING
    win = sum(wins[: row.shown]) if pending else bet.win
    ccy = bet.currency
    after = None if row.cash_after is None else money_line(row.cash_after, ccy)
    return RoundView(
        bet_id=bet.public_id,
        game_code=row.game_code,
        game_name=game.name,
        game_version=row.game_version,
        status=bet.status,
        result=bet.result or str(outcome.get("result", "")),
        selection=_json(row.selection),
        outcome=shown_outcome(outcome, row.shown),
        steps=row.steps,
        shown=row.shown,
        stake=money_line(bet.stake, ccy),
        win=money_line(win, ccy),
        cash_before=money_line(row.cash_before, ccy),
        cash_after=after,
        commitment=pair.commitment,
        client_seed=pair.client_seed,
        nonce=row.nonce,
        server_seed=pair.server_seed or "",
        created_at=row.created_at,
        settled_at=bet.settled_at,
        expires_at=row.expires_at if pending else None,
        round_code=rnd.code,
    )


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _wins(outcome: dict[str, Any]) -> list[int]:
    """Each step's win; nothing for a saved state that cannot be read (a voided malfunction)."""
    try:
        return [int(w) for w in outcome.get("step_wins", [])]
    except (TypeError, ValueError):
        return []


def shown_outcome(outcome: dict[str, Any], shown: int) -> dict[str, Any]:
    """Only the steps the player has seen: the rest of a decided round stays unseen until shown."""
    steps = outcome.get("spins")
    if not isinstance(steps, list):
        return outcome
    return {**outcome, "spins": steps[:shown], "step_wins": _wins(outcome)[:shown]}


def view_of(uow: UnitOfWork, row_id: int) -> RoundView:
    """A round by its fairness record id (for the service that just played or stepped it)."""
    with uow.reader() as r:
        found = r.session.exec(_query().where(InstantRound.id == row_id)).first()
        if found is None:
            raise NotFound("Unknown round.")
        return _view(*found)


def _rounds(session: Session, user_id: int, game_code: str | None, limit: int) -> list[RoundView]:
    query = _query().where(InstantRound.user_id == user_id)
    if game_code:
        query = query.where(InstantRound.game_code == game_code)
    rows = session.exec(query.order_by(col(InstantRound.id).desc()).limit(limit)).all()
    return [_view(*row) for row in rows]


@authz.guard("player.history")
def recent_rounds(
    uow: UnitOfWork, actor: Actor, game_code: str | None = None, limit: int = 20
) -> list[RoundView]:
    """The player's latest instant rounds (at least the last 10), newest first."""
    limit = max(RECALL_MIN, min(int(limit), RECALL_MAX))
    with uow.reader() as r:
        return _rounds(r.session, actor.player_id(), game_code or None, limit)


@authz.guard("player.history")
def round_by_bet(uow: UnitOfWork, actor: Actor, bet_id: str) -> RoundView:
    """One of the player's rounds by its receipt number.

    Raises:
        NotFound: no such round of this player (another player's is not found either).
    """
    with uow.reader() as r:
        found = r.session.exec(
            _query().where(Bet.public_id == str(bet_id)[:32], InstantRound.user_id == actor.player_id())
        ).first()
        if found is None:
            raise NotFound("No such round.")
        return _view(*found)


def unfinished(session: Session, user_id: int, game_code: str) -> InstantRound | None:
    """The player's round of the game that still has steps to show (pending bet), if any."""
    return session.exec(
        select(InstantRound)
        .join(Bet, col(Bet.id) == InstantRound.bet_id)
        .where(
            InstantRound.user_id == user_id,
            InstantRound.game_code == game_code,
            col(InstantRound.shown) < col(InstantRound.steps),
            Bet.status == BetStatus.PENDING,
        )
        .order_by(col(InstantRound.id).desc())
    ).first()
