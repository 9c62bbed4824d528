"""Responsible-gaming tables: limits and their history, usage totals, blocks, sessions, cases.

`rg_usage` holds each player's stakes and wins per currency and UTC hour, kept current by
triggers on `bets` (migration 0009), so a limit check sums at most a month of hours instead
of scanning bets or the ledger. `rg_wallet_limits` is the lowest limit in force per kind and
period (player's or operator's), written by the limits service whenever one changes, so a
stake reads one row. `rg_excluded_identifiers` keeps blind indexes of excluded players'
emails and phones with no link to the account, so they outlive an erasure.
`rg_case_events` is append-only (triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.compliance.vocabulary import (
    BlockKind,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    ChangeStatus,
    IdentifierKind,
    LimitKind,
    LimitPeriod,
    LimitSource,
    RealityChoice,
)
from casino_app.persistence.types import UtcDateTime, check_in

_MONEY = sa.BigInteger


class RgPlayer(SQLModel, table=True):
    """A player's block, play session and reality-check settings (one row, made when first needed)."""

    __tablename__ = "rg_players"
    __table_args__ = (check_in("block_kind", BlockKind, "ck_rg_players_block_kind"),)

    user_id: int = Field(primary_key=True, foreign_key="users.id")
    block_kind: str | None = Field(default=None, max_length=24)
    block_until: datetime | None = Field(default=None, sa_type=UtcDateTime)  # None with a kind: permanent
    reality_minutes: int | None = Field(default=None)  # the player's chosen interval
    session_limit_minutes: int | None = Field(default=None)  # in force: the lowest of player and operator
    session_started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reality_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    session_ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    limits_reviewed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class RgWalletLimits(SQLModel, table=True):
    """The money limits in force for one player and currency (None: no limit)."""

    __tablename__ = "rg_wallet_limits"

    user_id: int = Field(primary_key=True, foreign_key="users.id")
    currency: str = Field(primary_key=True, max_length=3)
    deposit_day: int | None = Field(default=None, sa_type=_MONEY)
    deposit_week: int | None = Field(default=None, sa_type=_MONEY)
    deposit_month: int | None = Field(default=None, sa_type=_MONEY)
    loss_day: int | None = Field(default=None, sa_type=_MONEY)
    loss_week: int | None = Field(default=None, sa_type=_MONEY)
    loss_month: int | None = Field(default=None, sa_type=_MONEY)
    wager_day: int | None = Field(default=None, sa_type=_MONEY)
    wager_week: int | None = Field(default=None, sa_type=_MONEY)
    wager_month: int | None = Field(default=None, sa_type=_MONEY)


class RgLimit(SQLModel, table=True):
    """A limit in force from one source (the session limit has currency "" and amount in minutes)."""

    __tablename__ = "rg_limits"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "currency", "kind", "period", "source", name="uq_rg_limits_key"),
        check_in("kind", LimitKind, "ck_rg_limits_kind"),
        check_in("period", LimitPeriod, "ck_rg_limits_period"),
        check_in("source", LimitSource, "ck_rg_limits_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    currency: str = Field(max_length=3)
    kind: str = Field(max_length=16)
    period: str = Field(max_length=16)
    source: str = Field(max_length=16)
    amount: int = Field(sa_type=_MONEY)
    set_at: datetime = Field(sa_type=UtcDateTime)
    set_by: str = Field(max_length=64)
    reason: str = Field(default="", max_length=255)


class RgLimitChange(SQLModel, table=True):
    """Every limit change: applied at once (a decrease), or pending until confirmed or expired."""

    __tablename__ = "rg_limit_changes"
    __table_args__ = (
        sa.Index("ix_rg_limit_changes_user", "user_id", "requested_at"),
        sa.Index("ix_rg_limit_changes_status_expiry", "status", "expires_at"),
        check_in("kind", LimitKind, "ck_rg_limit_changes_kind"),
        check_in("period", LimitPeriod, "ck_rg_limit_changes_period"),
        check_in("source", LimitSource, "ck_rg_limit_changes_source"),
        check_in("status", ChangeStatus, "ck_rg_limit_changes_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    currency: str = Field(max_length=3)
    kind: str = Field(max_length=16)
    period: str = Field(max_length=16)
    source: str = Field(max_length=16)
    old_amount: int | None = Field(default=None, sa_type=_MONEY)
    new_amount: int | None = Field(default=None, sa_type=_MONEY)  # None: remove the limit
    status: str = Field(max_length=16)
    requested_at: datetime = Field(sa_type=UtcDateTime)
    effective_at: datetime = Field(sa_type=UtcDateTime)  # in force from (a raise: when confirmable)
    expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # expired or cancelled
    requested_by: str = Field(max_length=64)
    reason: str = Field(default="", max_length=255)


class RgUsage(SQLModel, table=True):
    """Stakes and wins of one player in one currency during one UTC hour (kept by triggers)."""

    __tablename__ = "rg_usage"

    user_id: int = Field(primary_key=True)
    currency: str = Field(primary_key=True, max_length=3)
    hour: datetime = Field(primary_key=True, sa_type=UtcDateTime)
    staked: int = Field(default=0, sa_type=_MONEY)
    won: int = Field(default=0, sa_type=_MONEY)


class RgExclusion(SQLModel, table=True):
    """Every time-out and exclusion, as asked for or imposed (the player's RG history)."""

    __tablename__ = "rg_exclusions"
    __table_args__ = (
        check_in("kind", BlockKind, "ck_rg_exclusions_kind"),
        check_in("source", LimitSource, "ck_rg_exclusions_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=24)
    source: str = Field(max_length=16)
    starts_at: datetime = Field(sa_type=UtcDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # None: permanent
    reason: str = Field(default="", max_length=255)
    created_by: str = Field(max_length=64)


class RgExcludedIdentifier(SQLModel, table=True):
    """A blind index of an excluded person's email or phone; registration refuses a match."""

    __tablename__ = "rg_excluded_identifiers"
    __table_args__ = (
        sa.UniqueConstraint("kind", "digest", name="uq_rg_excluded_identifiers"),
        check_in("kind", IdentifierKind, "ck_rg_excluded_identifiers_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)
    digest: str = Field(max_length=64)
    until: datetime | None = Field(default=None, sa_type=UtcDateTime)  # None: permanent
    created_at: datetime = Field(sa_type=UtcDateTime)


class RgRealityCheck(SQLModel, table=True):
    """An acknowledged reality check: what the player was shown and what they chose."""

    __tablename__ = "rg_reality_checks"
    __table_args__ = (check_in("choice", RealityChoice, "ck_rg_reality_checks_choice"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    session_started_at: datetime = Field(sa_type=UtcDateTime)
    due_at: datetime = Field(sa_type=UtcDateTime)
    acknowledged_at: datetime = Field(sa_type=UtcDateTime)
    played_seconds: int
    net: int = Field(sa_type=_MONEY)  # won - staked in the session
    currency: str = Field(max_length=3)
    choice: str = Field(max_length=16)


class RgCase(SQLModel, table=True):
    """A case for the risk team, opened by markers of harm (per player and currency)."""

    __tablename__ = "rg_cases"
    __table_args__ = (
        sa.Index("ix_rg_cases_user_currency", "user_id", "currency"),
        check_in("status", CaseStatus, "ck_rg_cases_status"),
        check_in("outcome", CaseOutcome, "ck_rg_cases_outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    currency: str = Field(max_length=3)
    status: str = Field(max_length=16, index=True)
    markers: str = Field(sa_type=sa.Text)  # JSON: [{"code", "value", "threshold", "reason"}]
    opened_at: datetime = Field(sa_type=UtcDateTime)
    assigned_to: int | None = Field(default=None, foreign_key="users.id")
    outcome: str | None = Field(default=None, max_length=24)
    decision_reason: str = Field(default="", sa_type=sa.Text)  # shown to the player
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    appeal: str = Field(default="", sa_type=sa.Text)
    appealed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class RgCaseEvent(SQLModel, table=True):
    """One entry of a case's trail (append-only): opened, markers, assigned, note, decided, appealed."""

    __tablename__ = "rg_case_events"
    __table_args__ = (check_in("kind", CaseEventKind, "ck_rg_case_events_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rg_cases.id", index=True)
    at: datetime = Field(sa_type=UtcDateTime)
    actor: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    text: str = Field(default="", sa_type=sa.Text)
