"""What every RG use case shares: the player's lock and row, profile, block, usage, limits in force.

Helpers take the caller's entered session. Changing a player's RG state always starts with
`lock_player` (the same lock the stake's facts take), so a change and a stake of the same
player never interleave.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.config import Settings
from casino_app.domain.compliance import limits as rules
from casino_app.domain.compliance.exclusion import NO_BLOCK, Block
from casino_app.domain.compliance.profiles import RgProfile, profile_for
from casino_app.domain.compliance.reality import PlaySession
from casino_app.domain.compliance.vocabulary import (
    MONEY_KINDS,
    MONEY_PERIODS,
    PERIOD_LENGTH,
    BlockKind,
    LimitKind,
    LimitPeriod,
)
from casino_app.domain.errors import NotFound
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentStatus
from casino_app.persistence.tables import Payment, RgLimit, RgPlayer, RgUsage, RgWalletLimits, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security import audit

_USERS = User.__table__  # type: ignore[attr-defined]


def floor_hour(value: datetime) -> datetime:
    return value.replace(minute=0, second=0, microsecond=0)


def window_starts(now: datetime) -> dict[LimitPeriod, datetime]:
    """Where each period's usage starts: the hour bucket holding `now - period` (counts slightly more)."""
    return {period: floor_hour(now - PERIOD_LENGTH[period]) for period in MONEY_PERIODS}


def column(kind: LimitKind, period: LimitPeriod) -> str:
    """The `rg_wallet_limits` column of a money limit ("loss_week")."""
    return f"{kind.value}_{period.value}"


RG_LOCK = 1919  # the advisory-lock namespace `casino_rg_facts` (migration 0009) takes with the user id


def lock_player(session: Session, user_id: int) -> User:
    """The player's users row, with the player's RG lock held until the transaction ends.

    PostgreSQL: the transaction-scoped advisory lock (RG_LOCK, user id) that every stake's RG
    facts take too (no tuple lock, so nothing extra is written); SQLite: the writer lock.

    Raises:
        NotFound: no such player.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(RG_LOCK, user_id)))
    query = sa.select(_USERS.c.id).where(_USERS.c.id == user_id, _USERS.c.role == Role.PLAYER)
    if session.execute(query).first() is None:
        raise NotFound("Unknown player.")
    user = session.get(User, user_id)
    assert user is not None
    return user


def player_row(session: Session, user_id: int, now: datetime, *, create: bool = True) -> RgPlayer:
    """The player's RG row (made on first use when `create`)."""
    row = session.get(RgPlayer, user_id)
    if row is None:
        row = RgPlayer(user_id=user_id, updated_at=now)
        if create:
            session.add(row)
    return row


def profile_of(settings: Settings, country: str) -> RgProfile:
    """The jurisdiction profile a player plays under (the deployment may pin one)."""
    return profile_for(country, settings.rg_profile)


def block_of(row: RgPlayer | None) -> Block:
    if row is None or row.block_kind is None:
        return NO_BLOCK
    return Block(BlockKind(row.block_kind), row.block_until)


def session_of(row: RgPlayer | None) -> PlaySession:
    if row is None:
        return PlaySession()
    return PlaySession(row.session_started_at, row.reality_due_at, row.session_ends_at)


def store_session(row: RgPlayer, session: PlaySession, now: datetime) -> None:
    row.session_started_at, row.reality_due_at = session.started_at, session.reality_due_at
    row.session_ends_at, row.updated_at = session.ends_at, now


def wallet_limits(session: Session, user_id: int, currency: str) -> rules.Limits:
    """The money limits in force for one currency."""
    row = session.get(RgWalletLimits, (user_id, currency))
    if row is None:
        return rules.Limits()
    amounts = {
        (kind, period): value
        for kind in MONEY_KINDS
        for period in MONEY_PERIODS
        if (value := getattr(row, column(kind, period))) is not None
    }
    return rules.Limits(amounts)


def usage(session: Session, user_id: int, currency: str, now: datetime) -> rules.Usage:
    """Stakes, wins (from the hourly totals) and gross deposits of each period, in one currency."""
    starts = window_starts(now)
    sums: list[Any] = []
    for period in MONEY_PERIODS:
        recent = col(RgUsage.hour) >= starts[period]
        sums += [
            sa.func.sum(sa.case((recent, RgUsage.staked), else_=0)),
            sa.func.sum(sa.case((recent, RgUsage.won), else_=0)),
        ]
    row = session.execute(
        sa.select(*sums).where(
            col(RgUsage.user_id) == user_id,
            col(RgUsage.currency) == currency,
            col(RgUsage.hour) >= starts[LimitPeriod.MONTH],
        )
    ).one()
    values = [int(v or 0) for v in row]
    windows = {p: rules.Window(values[2 * i], values[2 * i + 1]) for i, p in enumerate(MONEY_PERIODS)}
    return rules.Usage(windows, deposited(session, user_id, currency, now))


def deposited(session: Session, user_id: int, currency: str, now: datetime) -> dict[LimitPeriod, int]:
    """Gross deposits per period: approved ones and those still with the provider (bounded, indexed)."""
    starts = window_starts(now)
    sums = [
        sa.func.sum(sa.case((col(Payment.created_at) >= starts[p], Payment.amount), else_=0))
        for p in MONEY_PERIODS
    ]
    row = session.execute(
        sa.select(*sums).where(
            col(Payment.user_id) == user_id,
            col(Payment.currency) == currency,
            col(Payment.direction) == PaymentDirection.DEPOSIT,
            col(Payment.status).in_([PaymentStatus.PENDING, PaymentStatus.APPROVED]),
            col(Payment.created_at) >= starts[LimitPeriod.MONTH],
        )
    ).one()
    return {p: int(v or 0) for p, v in zip(MONEY_PERIODS, row, strict=True)}


def limits_of(session: Session, user_id: int) -> list[RgLimit]:
    """Every limit in force of the player, from both sources."""
    return list(
        session.exec(select(RgLimit).where(RgLimit.user_id == user_id).order_by(col(RgLimit.id))).all()
    )


def refresh_in_force(session: Session, user_id: int, currency: str, now: datetime) -> None:
    """Rewrite what a stake reads after a change: the lowest limit per kind and period."""
    rows = limits_of(session, user_id)
    if currency:
        values: dict[str, int | None] = {}
        for kind in MONEY_KINDS:
            for period in MONEY_PERIODS:
                amounts = [
                    r.amount for r in rows if (r.currency, r.kind, r.period) == (currency, kind, period)
                ]
                values[column(kind, period)] = rules.lowest(*amounts)
        row = session.get(RgWalletLimits, (user_id, currency)) or RgWalletLimits(
            user_id=user_id, currency=currency
        )
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        return
    player = player_row(session, user_id, now)
    session_limits = [r.amount for r in rows if r.kind == LimitKind.SESSION]
    player.session_limit_minutes = rules.lowest(*session_limits)
    player.updated_at = now
    session.add(player)


def record(
    uow: UnitOfWork, actor: Actor, action: str, user_id: int, details: dict[str, Any], now: datetime
) -> None:
    """Audit an RG change in the caller's transaction."""
    audit.record(
        uow.session,
        actor=actor.audit_name,
        action=action,
        subject=f"user:{user_id}",
        details=details,
        now=now,
    )


def emit(uow: UnitOfWork, name: str, user_id: int, data: dict[str, Any]) -> None:
    uow.emit(DomainEvent(name, user_id, data))


def player_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.role != Role.PLAYER:
        raise NotFound("Unknown player.")
    return user


def since(now: datetime, **delta: float) -> datetime:
    return now - timedelta(**delta)
