"""The bet engine's stake: one path for every game (lotto tickets, instant rounds, providers).

`place_stake` runs the pre-debit checks, the funding split (cash first or bonus first, the
one rule in domain/money/funding.py), the debit, the house credit and the bet row in one
transaction. When no registered check needs database facts it is a single statement on
PostgreSQL (the stored function of migration 0006); otherwise the facts are loaded under a
lock on the player's row in the same transaction. `place_stake_in` does the same inside a
caller's transaction, so an instant game stakes and settles a round in one commit.
A game service validates its own selection first and writes no money SQL.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from casino_app.domain.errors import InvalidInput
from casino_app.domain.events import DomainEvent
from casino_app.domain.games.checks import StakeChecks, StakeFacts
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence import stakes
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.stakes import PlacedStake, StakeRow
from casino_app.persistence.tables import LedgerTransaction
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.engine import facts
from casino_app.services.money import ledger

MAX_KEY = 128
MAX_SELECTION = 512


@dataclass(frozen=True)
class Stake:
    """A stake on one round of one game version.

    `request` is what the player asked for (it is hashed: the same idempotency key with another
    request is refused); `selection` is the game's own encoding of the choice.
    """

    game: GameFacts
    round_id: int
    amount: int
    selection: str
    idempotency_key: str
    request: dict[str, Any]


def new_public_id() -> str:
    """80 random bits in base32 ("ABCD-EFGH-IJKL-MNOP"): unique, non-sequential, easy to read aloud."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def house_shard(user_id: int, shards: int) -> int:
    """The game's house revenue shard for a player's bets, so that bets do not queue on one row.

    A bet's stake and its win use the same shard (chosen by player), so an instant round, which
    stakes and pays in one transaction, locks one house row and two rounds cannot wait on each
    other's shards in opposite orders."""
    return user_id % max(1, shards)


def house_code(uow: UnitOfWork, game: GameFacts, user_id: int) -> str:
    shard = house_shard(user_id, uow.context.settings.house_shards)
    return ledger.account_code(AccountKind.HOUSE_REVENUE, game.currency, game.code, shard)


def _row(uow: UnitOfWork, actor: Actor, stake: Stake, now: datetime) -> StakeRow:
    user_id = actor.player_id()
    key = stake.idempotency_key
    if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY:
        raise InvalidInput(f"A bet needs a request id of 1 to {MAX_KEY} characters.")
    if len(stake.selection) > MAX_SELECTION:
        raise InvalidInput("The selection is too long.")
    ccy = stake.game.currency
    return StakeRow(
        round_id=stake.round_id,
        user_id=user_id,
        game_id=stake.game.id,
        currency=ccy,
        cash_code=ledger.account_code(AccountKind.PLAYER_CASH, ccy, user_id),
        bonus_code=ledger.account_code(AccountKind.PLAYER_BONUS, ccy, user_id),
        house_code=house_code(uow, stake.game, user_id),
        stake=stake.amount,
        cash_first=uow.context.settings.stake_cash_first,
        selection=stake.selection,
        public_id=new_public_id(),
        request_key=key,
        key=f"stake:{user_id}:{key}",
        request_hash=ledger.request_hash({"game": stake.game.code, **stake.request}),
        actor=actor.audit_name,
        now=now,
    )


def _facts(stake: Stake, row: StakeRow, loaded: dict[str, Any]) -> StakeFacts:
    game = stake.game
    return StakeFacts(
        row.user_id,
        game.code,
        game.kind,
        game.version,
        stake.round_id,
        game.currency,
        stake.amount,
        game.min_stake,
        game.max_stake,
        row.now,
        loaded,
    )


@authz.guard("player.play")
@retry_transient
def place_stake(uow: UnitOfWork, actor: Actor, stake: Stake, now: datetime) -> PlacedStake:
    """Stake on a round in a transaction of its own; the same idempotency key replays the bet.

    Raises:
        InvalidAmount, InvalidInput: the stake or request fails a check; nothing is written.
        RoundClosed: the round no longer takes bets. NotFound: unknown round or wallet.
        InsufficientFunds: cash and bonus together are below the stake.
        IdempotencyConflict: the key was used for a different request.
        A check's own error (LimitExceeded, SelfExcluded ...): refused before any debit.
    """
    row = _row(uow, actor, stake, now)
    checks = uow.context.stake_checks
    if checks.needs and facts.loads_directly(checks.needs):
        placed = stakes.place_checked_alone(uow.database, row, _direct_check(uow, checks, stake, row))
    elif checks.needs:
        with uow:
            placed = _place_checked(uow, checks, stake, row)
            uow.commit()
    else:
        checks.run(_facts(stake, row, {}))
        placed = stakes.place_alone(uow.database, row)
    _announce(uow, row, placed)
    return placed


@authz.guard("player.play")
def place_stake_in(
    uow: UnitOfWork, actor: Actor, stake: Stake, now: datetime, *, new_key: bool = False
) -> PlacedStake:
    """Stake inside the caller's open unit of work (which commits or rolls back). Raises as `place_stake`.

    `new_key`: the caller has just found no request under this idempotency key in this
    transaction (an instant round looks its key up first), so the replay probe is skipped; were
    the key used after all, the stake call still answers the replay or the conflict."""
    row = _row(uow, actor, stake, now)
    placed = _place_checked(uow, uow.context.stake_checks, stake, row, probe=not new_key)
    if not placed.replayed:
        uow.emit(_placed_event(row, placed))
    return placed


def _place_checked(
    uow: UnitOfWork, checks: StakeChecks, stake: Stake, row: StakeRow, *, probe: bool = True
) -> PlacedStake:
    """Checks on facts loaded in this transaction, then the stake; a replay skips the checks."""
    session = uow.session
    if not probe or not _known_key(session, row.key):
        request = facts.FactsRequest(row.user_id, row.currency, row.now, uow.context.settings)
        loaded = facts.load(session, checks.needs, request)
        checks.run(_facts(stake, row, loaded))
    return stakes.place_in(session, row)


def _direct_check(uow: UnitOfWork, checks: StakeChecks, stake: Stake, row: StakeRow) -> Callable[[Any], None]:
    """The checks on facts loaded through the stake's own connection (the fast path)."""
    request = facts.FactsRequest(row.user_id, row.currency, row.now, uow.context.settings)

    def check(handle: Any) -> None:
        checks.run(_facts(stake, row, facts.load_direct(handle, uow.dialect, checks.needs, request)))

    return check


def _known_key(session: Session, key: str) -> bool:
    known = session.exec(select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == key))
    return known.first() is not None


def _placed_event(row: StakeRow, placed: PlacedStake) -> DomainEvent:
    return DomainEvent(
        "bet.placed",
        row.user_id,
        {"bet": placed.public_id, "round": placed.round_id, "cash_after": placed.cash_after},
    )


def _announce(uow: UnitOfWork, row: StakeRow, placed: PlacedStake) -> None:
    if not placed.replayed:
        uow.context.events.publish(_placed_event(row, placed))
