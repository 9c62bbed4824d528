"""A draw's settlement figures: the jackpot before and after, winners and amounts per tier.

Written once, in the transaction that moves the draw's jackpot money (services/games/lotto/
settlement/jackpot.py); the engine then pays each ticket the win this row fixes, so a settlement that is
interrupted and run again pays the same amounts and nobody twice.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.persistence.types import UtcDateTime


class DrawSettlement(SQLModel, table=True):
    """One row per settled lotto draw (migration 0016)."""

    __tablename__ = "draw_settlements"

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="rounds.id", sa_column_kwargs={"unique": True})
    game_id: int = Field(foreign_key="games.id", index=True)
    currency: str = Field(max_length=3)
    tickets: int = Field(default=0)
    lines: int = Field(default=0)
    stakes: int = Field(default=0, sa_type=sa.BigInteger)
    jackpot_before: int = Field(default=0, sa_type=sa.BigInteger)
    jackpot_funded: int = Field(default=0, sa_type=sa.BigInteger)
    jackpot_won: int = Field(default=0, sa_type=sa.BigInteger)
    jackpot_seeded: int = Field(default=0, sa_type=sa.BigInteger)
    jackpot_after: int = Field(default=0, sa_type=sa.BigInteger)
    tiers: str = Field(default="[]", sa_type=sa.Text)  # [{"matches", "winners", "paid"}], best first
    jackpot_shares: str = Field(default="{}", sa_type=sa.Text)  # {"<bet id>": minor units}
    transaction_id: int | None = Field(default=None, foreign_key="ledger_transactions.id")
    created_at: datetime = Field(sa_type=UtcDateTime)
    # when every other ticket was written lost and the players noted (migration 0020)
    recorded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
