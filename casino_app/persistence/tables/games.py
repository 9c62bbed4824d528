"""Game tables: lotto games, draws and tickets."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.persistence.types import UtcDateTime


class LottoGame(SQLModel, table=True):
    __tablename__ = "lotto_games"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=64)
    pick: int
    pool: int
    paytable: str = Field(max_length=255)  # "3:10,4:100,..." (matches:multiplier)
    min_stake: int = Field(sa_type=sa.BigInteger)
    max_stake: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="EUR", max_length=3)
    draw_interval_seconds: int


class Draw(SQLModel, table=True):
    """A draw: the seed's commitment is public from creation; the seed after the draw."""

    __tablename__ = "draws"
    __table_args__ = (sa.UniqueConstraint("game_id", "code", name="uq_draws_game_code"),)

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="lotto_games.id", index=True)
    code: str = Field(max_length=32)
    status: str = Field(default="open", max_length=16, index=True)
    sales_close_at: datetime = Field(sa_type=UtcDateTime)
    draw_at: datetime = Field(sa_type=UtcDateTime, index=True)
    seed_commitment: str = Field(max_length=64)
    server_seed: str = Field(max_length=64)  # never shown before the draw
    numbers: str | None = Field(default=None, max_length=64)
    drawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets"

    id: int | None = Field(default=None, primary_key=True)
    validation_number: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="users.id", index=True)
    draw_id: int = Field(foreign_key="draws.id", index=True)
    selection: str = Field(max_length=64)
    stake: int = Field(sa_type=sa.BigInteger)
    stake_bonus: int = Field(default=0, sa_type=sa.BigInteger)  # the part funded by bonus money
    currency: str = Field(max_length=3)
    status: str = Field(default="pending", max_length=16)
    matches: int | None = Field(default=None)
    win: int = Field(default=0, sa_type=sa.BigInteger)
    transaction_id: int = Field(foreign_key="ledger_transactions.id", unique=True, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
