"""Players' provably fair seed pairs: show the commitment, set the client seed, rotate, reveal.

The active server seed is sealed under the key provider (`crypto.seal_column`, bound to the
row): it is decrypted only inside a round's transaction, never shown, never stored in the
clear. Rotation reveals it (now in the clear, with its commitment, for anyone to check) and
starts a new pair at nonce 0; it is refused while one of the player's rounds is unfinished.
Every round takes its nonce with one conditional UPDATE on the active pair, which also locks
the pair, so the rounds of one player are serialized with each other and with rotation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound, RoundInProgress, SeedChanged
from casino_app.domain.games import fairness, rng
from casino_app.domain.games.vocabulary import BetStatus, SeedPairStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Bet, InstantRound, SeedPair
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games.instant.views import RevealedPair, Rotation, SeedPairView
from casino_app.services.security import crypto

_PAIRS = SeedPair.__table__  # type: ignore[attr-defined]
SEALED = "server_seed_enc"
NO_PAIR = "Open a game first: your seed commitment is shown before your first bet."


@dataclass(frozen=True)
class ActivePair:
    """The pair a round is played on, inside the round's transaction (the seed stays there)."""

    id: int
    nonce: int
    commitment: str
    client_seed: str
    server_seed: str


def _view(pair: SeedPair, open_round: bool = False) -> SeedPairView:
    return SeedPairView(pair.commitment, pair.client_seed, pair.nonce, pair.created_at, open_round)


def _active(session: Session, user_id: int, *, lock: bool = False) -> SeedPair | None:
    query = select(SeedPair).where(SeedPair.active_user_id == user_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.exec(query).first()


def _create(uow: UnitOfWork, user_id: int, client_seed: str, now: datetime) -> SeedPair:
    seed = rng.new_server_seed()
    pair = SeedPair(
        user_id=user_id,
        active_user_id=user_id,
        status=SeedPairStatus.ACTIVE,
        commitment=rng.commitment(seed),
        client_seed=fairness.validate_client_seed(client_seed),
        nonce=0,
        created_at=now,
    )
    uow.session.add(pair)
    uow.session.flush()
    crypto.seal_column(uow.context.keys, pair, SEALED, seed)
    uow.session.add(pair)
    uow.session.flush()
    return pair


def has_open_round(session: Session, user_id: int) -> bool:
    """True while one of the player's instant rounds waits for its remaining steps."""
    query = (
        select(InstantRound.id)
        .join(Bet, col(Bet.id) == InstantRound.bet_id)
        .where(
            InstantRound.user_id == user_id,
            col(InstantRound.shown) < col(InstantRound.steps),
            Bet.status == BetStatus.PENDING,
        )
        .limit(1)
    )
    return session.exec(query).first() is not None


@authz.guard("player.play")
def seed_pair(uow: UnitOfWork, actor: Actor, now: datetime) -> SeedPairView:
    """The player's active pair (created on first use): the commitment shown before any bet."""
    user_id = actor.player_id()
    with uow.reader() as r:
        pair = _active(r.session, user_id)
        if pair is not None:
            return _view(pair, has_open_round(r.session, user_id))
    try:
        with uow:
            pair = _active(uow.session, user_id) or _create(uow, user_id, fairness.new_client_seed(), now)
            uow.commit()
            return _view(pair)
    except IntegrityError:  # another tab created it meanwhile
        with uow.reader() as r:
            pair = _active(r.session, user_id)
            if pair is None:
                raise
            return _view(pair)


@authz.guard("player.play")
@retry_transient
def rotate_seed(uow: UnitOfWork, actor: Actor, client_seed: str | None, now: datetime) -> Rotation:
    """Reveal the active server seed and start a new pair (nonce 0) with `client_seed`.

    Setting a client seed is a rotation: the new seed pair starts with it. With no client seed
    the new pair keeps the current one.

    Raises:
        InvalidClientSeed: 1 to 64 printable characters. RoundInProgress: finish the open round first.
    """
    user_id = actor.player_id()
    if client_seed is not None:
        fairness.validate_client_seed(client_seed)
    with uow:
        s = uow.session
        old = _active(s, user_id, lock=True)
        if old is None or old.id is None:
            raise NotFound(NO_PAIR)
        if has_open_round(s, user_id):
            raise RoundInProgress(
                "Finish your open round first: a seed is revealed only when no round is open."
            )
        seed = crypto.open_column(uow.context.keys, old, SEALED)
        old.server_seed, old.server_seed_enc = seed, None
        old.status, old.active_user_id, old.revealed_at = SeedPairStatus.REVEALED, None, now
        s.add(old)
        s.flush()
        new = _create(uow, user_id, client_seed if client_seed is not None else old.client_seed, now)
        revealed = RevealedPair(old.commitment, seed, old.client_seed, old.nonce, old.created_at, now)
        uow.commit()
        return Rotation(revealed, _view(new))


@authz.guard("player.history")
def revealed_pairs(uow: UnitOfWork, actor: Actor, limit: int = 20) -> list[RevealedPair]:
    """The player's rotated-out pairs, newest first, with their seeds in the clear."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(SeedPair)
            .where(SeedPair.user_id == actor.player_id(), SeedPair.status == SeedPairStatus.REVEALED)
            .order_by(col(SeedPair.id).desc())
            .limit(max(1, min(limit, 100)))
        ).all()
        return [
            RevealedPair(
                p.commitment, p.server_seed or "", p.client_seed, p.nonce, p.created_at, p.revealed_at
            )
            for p in rows
        ]


_TAKE_NONCE = (
    sa.update(_PAIRS)
    .where(_PAIRS.c.active_user_id == sa.bindparam("b_player"))
    .values(nonce=_PAIRS.c.nonce + 1)
    .returning(_PAIRS.c.id, _PAIRS.c.nonce, _PAIRS.c.commitment, _PAIRS.c.client_seed, _PAIRS.c[SEALED])
)


def _take_nonce(uow: UnitOfWork, user_id: int) -> Any:
    return uow.session.execute(_TAKE_NONCE, {"b_player": user_id}).first()


def take_nonce_in(uow: UnitOfWork, user_id: int, commitment: str | None) -> ActivePair:
    """Lock the player's active pair and take its next nonce, inside the round's transaction.

    Raises:
        NotFound: the player has no pair yet (the commitment was never shown).
        SeedChanged: `commitment` (what the player was shown) is not the active pair's any more.
    """
    # A rotation that committed while this statement waited for the row leaves it pointing at
    # the revealed pair; a second statement sees the new one.
    row = _take_nonce(uow, user_id) or _take_nonce(uow, user_id)
    if row is None:
        raise NotFound(NO_PAIR)
    pair_id, next_nonce, pair_commitment, client_seed, sealed = row
    if commitment is not None and commitment != pair_commitment:
        raise SeedChanged(
            "Your seed pair changed (in another window?). Check the new seed commitment and play again."
        )
    seed = crypto.unseal(
        sealed, table=SeedPair.__tablename__, column=SEALED, row_id=pair_id, keys=uow.context.keys
    )
    return ActivePair(pair_id, next_nonce - 1, pair_commitment, client_seed, seed)
