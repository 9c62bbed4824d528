"""Provably fair instant games: players' seed pairs and the fairness record of each round.

A seed pair's server seed is sealed under the key provider while it is active
(`server_seed_enc`, bound to the row), so neither the database, a replica nor a backup can
read it; rotation stores the revealed seed in the clear and drops the sealed copy. One active
pair per player: `active_user_id` is the player's id while active and NULL after, under a
unique constraint (NULLs never collide).

An instant round's fairness record ties a bet and its round to the seed pair and nonce that
decided it, with what was shown and the balances before and after (recall, AGCO 13.1.1). For a
round with steps (a slot's free spins) it also holds how far the player has seen it; the
money is always the bet's (`bets`), settled by the bet engine.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.games.vocabulary import SeedPairStatus
from casino_app.persistence.types import UtcDateTime, check_in


class SeedPair(SQLModel, table=True):
    __tablename__ = "seed_pairs"
    __table_args__ = (
        sa.UniqueConstraint("active_user_id", name="uq_seed_pairs_active_user"),
        check_in("status", SeedPairStatus, "ck_seed_pairs_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    active_user_id: int | None = Field(default=None)  # = user_id while active
    status: str = Field(default=SeedPairStatus.ACTIVE, max_length=16)
    commitment: str = Field(max_length=64)  # SHA-256 of the server seed, shown before any bet
    server_seed_enc: str | None = Field(default=None, sa_type=sa.Text)  # sealed while active
    server_seed: str | None = Field(default=None, max_length=64)  # in the clear once revealed
    client_seed: str = Field(max_length=64)
    nonce: int = Field(default=0)  # the next round's nonce = bets placed on this pair
    created_at: datetime = Field(sa_type=UtcDateTime)
    revealed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class InstantRound(SQLModel, table=True):
    __tablename__ = "instant_rounds"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "request_key", name="uq_instant_rounds_user_request"),
        sa.Index("ix_instant_rounds_user_game", "user_id", "game_code", "id"),
        sa.Index("ix_instant_rounds_expires_at", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="rounds.id", sa_column_kwargs={"unique": True})
    bet_id: int = Field(foreign_key="bets.id", sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="users.id")
    game_code: str = Field(max_length=32)
    game_version: int
    seed_pair_id: int = Field(foreign_key="seed_pairs.id", index=True)
    nonce: int
    request_key: str = Field(max_length=128)
    request_hash: str = Field(max_length=64)
    selection: str = Field(sa_type=sa.Text)  # the game's choice, JSON
    outcome: str = Field(sa_type=sa.Text)  # what the stream decided, JSON (all steps)
    steps: int = Field(default=1)  # steps the round has (1, or 1 + free spins)
    shown: int = Field(default=1)  # steps the player has been shown
    cash_before: int = Field(sa_type=sa.BigInteger)
    bonus_before: int = Field(default=0, sa_type=sa.BigInteger)
    cash_after: int | None = Field(default=None, sa_type=sa.BigInteger)  # once settled
    bonus_after: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=UtcDateTime)
    stepped_at: datetime = Field(sa_type=UtcDateTime)  # the last step shown (the slot's pace)
    expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # unfinished rounds
