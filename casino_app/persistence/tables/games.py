"""Game tables, one model for every game: games and their versions, rounds, bets.

A round is a lotto draw, an instant-game round or a provider's round; bets belong to one round
and settle under the game version the round started with. The bet engine
(`services/games/engine.py`) is the only writer of stakes and settlements.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.games.vocabulary import BetStatus, GameKind, RoundStatus
from casino_app.persistence.types import UtcDateTime, check_in


class Game(SQLModel, table=True):
    """A game in the catalogue; its rules live in versions (a changed paytable is a new version)."""

    __tablename__ = "games"
    __table_args__ = (check_in("kind", GameKind, "ck_games_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    currency: str = Field(max_length=3)
    version: int = Field(default=1)  # the version new rounds start under
    draw_interval_seconds: int | None = Field(default=None)  # scheduled games only
    created_at: datetime = Field(sa_type=UtcDateTime)


class GameVersion(SQLModel, table=True):
    """One immutable version of a game's rules (JSON) and stake limits."""

    __tablename__ = "game_versions"
    __table_args__ = (sa.UniqueConstraint("game_id", "version", name="uq_game_versions_game_version"),)

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="games.id")
    version: int
    rules: str = Field(sa_type=sa.Text)
    min_stake: int = Field(sa_type=sa.BigInteger)
    max_stake: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Round(SQLModel, table=True):
    """A round of a game. Lotto draws commit to their seed before sales open (write-once).

    A draw's server seed is sealed under the key provider (`server_seed_enc`, bound to the row)
    from the moment it is made until the draw, which stores it in the clear (`server_seed`) with
    the numbers; `ticket_root` is the Merkle root of its tickets, fixed when sales close.
    Triggers keep the commitment, the root, the numbers and the revealed seed write-once
    (migration 0014, docs/FAIRNESS.md).
    """

    __tablename__ = "rounds"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "code", name="uq_rounds_game_code"),
        check_in("status", RoundStatus, "ck_rounds_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="games.id", index=True)
    game_version: int
    code: str = Field(max_length=32)
    status: str = Field(default=RoundStatus.OPEN, max_length=16, index=True)
    opened_at: datetime = Field(sa_type=UtcDateTime)
    closes_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # no bets from then on
    draw_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)  # scheduled result
    seed_commitment: str | None = Field(default=None, max_length=64)
    server_seed: str | None = Field(default=None, max_length=64)  # in the clear only once drawn
    server_seed_enc: str | None = Field(default=None, sa_type=sa.Text)  # sealed until the draw
    ticket_root: str | None = Field(default=None, max_length=64)  # Merkle root of the tickets at close
    outcome: str | None = Field(default=None, max_length=255)
    resulted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Bet(SQLModel, table=True):
    """A stake on a round; the ledger holds its money, this row its story."""

    __tablename__ = "bets"
    __table_args__ = (
        # A round's bets in id order (settlement batches). No index covers `status` or another
        # column settlement writes, so PostgreSQL settles a row in place (migration 0018).
        sa.Index("ix_bets_round", "round_id", "id"),
        sa.Index("ix_bets_user_created", "user_id", "created_at"),  # bets since a session began (RG)
        check_in("status", BetStatus, "ck_bets_status"),
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, sa_column_kwargs={"unique": True})  # non-sequential receipt id
    round_id: int = Field(foreign_key="rounds.id")
    user_id: int = Field(foreign_key="users.id", index=True)
    game_id: int = Field(foreign_key="games.id")
    game_version: int
    currency: str = Field(max_length=3)
    stake: int = Field(sa_type=sa.BigInteger)
    stake_bonus: int = Field(default=0, sa_type=sa.BigInteger)  # the part funded by bonus money
    win: int = Field(default=0, sa_type=sa.BigInteger)
    win_bonus: int = Field(default=0, sa_type=sa.BigInteger)  # the part of the win paid as bonus
    status: str = Field(default=BetStatus.PENDING, max_length=16)
    selection: str = Field(max_length=512)
    result: str = Field(default="", max_length=64)  # the game's summary ("3" matches, "17 red")
    idempotency_key: str = Field(max_length=128)
    stake_transaction_id: int = Field(foreign_key="ledger_transactions.id", sa_column_kwargs={"unique": True})
    settle_transaction_id: int | None = Field(default=None, foreign_key="ledger_transactions.id")
    created_at: datetime = Field(sa_type=UtcDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
