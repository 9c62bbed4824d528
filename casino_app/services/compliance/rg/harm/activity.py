"""The recent activity the markers of harm read, per player and currency (grouped queries).

Stakes and wins come from the hourly usage totals (`rg_usage`), deposits and withdrawals from
their tables, limit raises from the limit history. Every figure is kept per currency; counts
that have no currency (raises of a session limit) go with each of the player's currencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from casino_app.domain.compliance.markers import Activity, night_sessions
from casino_app.domain.compliance.vocabulary import ChangeStatus, LimitSource
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentStatus, WithdrawalStatus
from casino_app.persistence.tables import Payment, RgLimitChange, RgUsage, Withdrawal
from casino_app.services.compliance.rg.state import floor_hour

Key = tuple[int, str]


def _usage(s: Session, now: datetime) -> dict[Key, list[Any]]:
    rows = s.execute(
        sa.select(
            col(RgUsage.user_id),
            col(RgUsage.currency),
            col(RgUsage.hour),
            col(RgUsage.staked),
            col(RgUsage.won),
        ).where(col(RgUsage.hour) >= floor_hour(now - timedelta(days=7)))
    ).all()
    grouped: dict[Key, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row.user_id, row.currency)].append(row)
    return grouped


def _deposits(s: Session, now: datetime) -> dict[Key, tuple[int, int, int]]:
    """(attempts in 24 h, attempts in 7 d, approved amount in 30 d) per player and currency."""
    day, week, month = now - timedelta(hours=24), now - timedelta(days=7), now - timedelta(days=30)
    created = col(Payment.created_at)
    approved = col(Payment.status) == PaymentStatus.APPROVED
    rows = s.execute(
        sa.select(
            col(Payment.user_id),
            col(Payment.currency),
            sa.func.sum(sa.case((created >= day, 1), else_=0)),
            sa.func.sum(sa.case((created >= week, 1), else_=0)),
            sa.func.sum(sa.case((approved, col(Payment.amount)), else_=0)),
        )
        .where(col(Payment.direction) == PaymentDirection.DEPOSIT, created >= month)
        .group_by(col(Payment.user_id), col(Payment.currency))
    ).all()
    return {(r[0], r[1]): (int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows}


def _withdrawals(s: Session, now: datetime) -> dict[Key, tuple[int, int]]:
    """(withdrawals returned to the balance, amount paid out) in 30 days, per player and currency."""
    month = now - timedelta(days=30)
    rejected = col(Withdrawal.status) == WithdrawalStatus.REJECTED
    paid = col(Withdrawal.status) == WithdrawalStatus.PAID
    rows = s.execute(
        sa.select(
            col(Withdrawal.user_id),
            col(Withdrawal.currency),
            sa.func.sum(sa.case((rejected, 1), else_=0)),
            sa.func.sum(sa.case((paid, col(Withdrawal.amount)), else_=0)),
        )
        .where(col(Withdrawal.created_at) >= month)
        .group_by(col(Withdrawal.user_id), col(Withdrawal.currency))
    ).all()
    return {(r[0], r[1]): (int(r[2] or 0), int(r[3] or 0)) for r in rows}


def _raises(s: Session, now: datetime) -> dict[int, int]:
    """Requests to raise or remove an own limit in 30 days, per player (all currencies)."""
    rows = s.execute(
        sa.select(col(RgLimitChange.user_id), sa.func.count())
        .where(
            col(RgLimitChange.source) == LimitSource.PLAYER,
            col(RgLimitChange.status) != ChangeStatus.APPLIED,
            col(RgLimitChange.requested_at) >= now - timedelta(days=30),
        )
        .group_by(col(RgLimitChange.user_id))
    ).all()
    return {int(r[0]): int(r[1]) for r in rows}


def _play(base: Activity, hours: Iterable[Any], now: datetime, timezone: str) -> Activity:
    day = floor_hour(now - timedelta(hours=24))
    recent = [h for h in hours if h.hour >= day]
    played = [h.hour for h in hours if h.staked > 0]
    return replace(
        base,
        loss_24h=max(0, sum(h.staked - h.won for h in recent)),
        hours_played_24h=sum(1 for h in recent if h.staked > 0),
        night_sessions_7d=night_sessions(played, timezone),
    )


def activities(s: Session, now: datetime, timezone_of: Callable[[int], str]) -> list[Activity]:
    """Every player and currency with activity in the windows the markers read."""
    usage, deposits, withdrawals, raises = (
        _usage(s, now),
        _deposits(s, now),
        _withdrawals(s, now),
        _raises(s, now),
    )
    keys = set(usage) | set(deposits) | set(withdrawals)
    found: list[Activity] = []
    for user_id, currency in sorted(keys):
        d24, d7, approved = deposits.get((user_id, currency), (0, 0, 0))
        returned, paid = withdrawals.get((user_id, currency), (0, 0))
        base = Activity(
            user_id,
            currency,
            deposits_24h=d24,
            deposits_7d=d7,
            limit_raises_30d=raises.get(user_id, 0),
            reversed_withdrawals_30d=returned,
            net_deposits_30d=approved - paid,
        )
        found.append(_play(base, usage.get((user_id, currency), []), now, timezone_of(user_id)))
    return found
