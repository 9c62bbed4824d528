"""The player's inbox: one row per player-facing fact (a settled draw, a deposit, a payout ...).

Rows are written in the transaction of the fact they tell (persistence/inbox.py, called by the
unit of work before its commit), so a rolled-back fact leaves no notice. `params` is JSON data
(amounts in minor units with their currency, ids, game names), never text: each reader's page
renders it in its own language. `source_key` names the fact: the same fact never makes two rows.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.inbox.vocabulary import NotificationKind
from casino_app.persistence.types import UtcDateTime, check_in


class Notification(SQLModel, table=True):
    """One inbox entry; unread while `read_at` is empty."""

    __tablename__ = "notifications"
    __table_args__ = (
        check_in("kind", NotificationKind, "ck_notifications_kind"),
        sa.UniqueConstraint("user_id", "source_key", name="uq_notifications_user_source"),
        sa.Index("ix_notifications_user_id_id", "user_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(max_length=32)
    params: str = Field(default="{}", sa_type=sa.Text)
    source_key: str = Field(max_length=128)
    created_at: datetime = Field(sa_type=UtcDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
