"""The game catalogue: games, their immutable versions, and the facts the engine needs of them.

Versions never change once written, so their facts are cached per database: a bet costs no
extra round trip for them. A changed paytable or stake limit is a new version; rounds started
under an older version settle under it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.tables import Game, GameVersion
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.money import ledger
from casino_app.services.security import audit


@dataclass(frozen=True)
class GameFacts:
    """One version of one game: identity, stake limits and rules (game-specific JSON)."""

    id: int
    code: str
    name: str
    kind: str
    currency: str
    version: int
    min_stake: int
    max_stake: int
    rules: dict[str, Any]
    draw_interval_seconds: int | None


@dataclass(frozen=True)
class GameSpec:
    code: str
    name: str
    kind: GameKind
    currency: str
    rules: dict[str, Any]
    min_stake: int
    max_stake: int
    draw_interval_seconds: int | None = None


_FACTS: dict[tuple[str, str, int], GameFacts] = {}


def _facts(game: Game, version: GameVersion) -> GameFacts:
    assert game.id is not None
    return GameFacts(
        game.id,
        game.code,
        game.name,
        game.kind,
        game.currency,
        version.version,
        version.min_stake,
        version.max_stake,
        json.loads(version.rules),
        game.draw_interval_seconds,
    )


def find_game(session: Session, code: str) -> Game:
    game = session.exec(select(Game).where(Game.code == code)).first()
    if game is None:
        raise NotFound(f"Unknown game {code!r}.")
    return game


def game_facts(uow: UnitOfWork, code: str, version: int | None = None) -> GameFacts:
    """The facts of a game version (the current one when `version` is None), cached once read."""
    if version is not None:
        cached = _FACTS.get((uow.database.url, code, version))
        if cached is not None:
            return cached
    with uow.reader() as r:
        game = find_game(r.session, code)
        wanted = version or game.version
        row = r.session.exec(
            select(GameVersion).where(GameVersion.game_id == game.id, GameVersion.version == wanted)
        ).first()
        if row is None:
            raise NotFound(f"Game {code!r} has no version {wanted}.")
        facts = _facts(game, row)
    _FACTS[(uow.database.url, code, facts.version)] = facts
    return facts


def all_games(uow: UnitOfWork) -> list[GameFacts]:
    """Every game at its current version, in catalogue order."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Game, GameVersion)
            .join(GameVersion, col(GameVersion.game_id) == Game.id)
            .where(GameVersion.version == Game.version)
            .order_by(col(Game.id))
        ).all()
        return [_facts(g, v) for g, v in rows]


def _validate(spec: GameSpec) -> None:
    if not spec.code or len(spec.code) > 32 or not spec.code.replace("_", "").isalnum():
        raise InvalidInput("A game code has 1 to 32 letters, digits or underscores.")
    if not 0 < spec.min_stake <= spec.max_stake:
        raise InvalidInput("Stake limits need 0 < minimum <= maximum.")


@authz.guard("ops.games.manage")
def ensure_game(uow: UnitOfWork, actor: Actor, spec: GameSpec, now: datetime) -> GameFacts:
    """Create the game at version 1 unless it exists (then return its current version); audited.

    Its house revenue shards are created too (again, if the shard count grew).
    """
    _validate(spec)
    with uow:
        s = uow.session
        _house_accounts(uow, spec)
        existing = s.exec(select(Game).where(Game.code == spec.code)).first()
        if existing is not None:
            uow.commit()
            return _current(s, existing)
        game = Game(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            currency=spec.currency,
            version=1,
            draw_interval_seconds=spec.draw_interval_seconds,
            created_at=now,
        )
        s.add(game)
        try:
            s.flush()
        except IntegrityError:
            raise InvalidInput(f"The game {spec.code!r} was created meanwhile.") from None
        facts = _add_version(s, game, 1, spec, now)
        _audit(s, actor, "game.created", game, now, version=1)
        uow.commit()
        return facts


@authz.guard("ops.games.manage")
def publish_version(uow: UnitOfWork, actor: Actor, spec: GameSpec, now: datetime) -> GameFacts:
    """A new version of an existing game (new rules or limits); new rounds start under it."""
    _validate(spec)
    with uow:
        s = uow.session
        game = find_game(s, spec.code)
        version = game.version + 1
        facts = _add_version(s, game, version, spec, now)
        game.version = version
        s.add(game)
        _audit(s, actor, "game.version_published", game, now, version=version)
        uow.commit()
        return facts


def _house_accounts(uow: UnitOfWork, spec: GameSpec) -> None:
    """Every house revenue shard of the game (bets spread over them), created if missing."""
    shards = max(1, uow.context.settings.house_shards)
    wanted = [(AccountKind.HOUSE_REVENUE, spec.currency, spec.code, shard) for shard in range(shards)]
    ledger.ensure_accounts(uow.session, wanted)


def _add_version(s: Session, game: Game, version: int, spec: GameSpec, now: datetime) -> GameFacts:
    row = GameVersion(
        game_id=game.id or 0,
        version=version,
        rules=json.dumps(spec.rules, sort_keys=True),
        min_stake=spec.min_stake,
        max_stake=spec.max_stake,
        created_at=now,
    )
    s.add(row)
    s.flush()
    return _facts(game, row)


def _current(s: Session, game: Game) -> GameFacts:
    row = s.exec(
        select(GameVersion).where(GameVersion.game_id == game.id, GameVersion.version == game.version)
    ).one()
    return _facts(game, row)


def _audit(s: Session, actor: Actor, action: str, game: Game, now: datetime, **details: object) -> None:
    audit.record(
        s,
        actor=actor.audit_name,
        action=action,
        subject=f"game:{game.code}",
        details={"reason": "catalogue change", **details},
        now=now,
    )
