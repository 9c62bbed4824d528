"""What each limit allows, what is used and what remains, with the pending raises (the limits page)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.config import Settings
from casino_app.domain.compliance import limits as rules
from casino_app.domain.compliance.vocabulary import (
    KIND_LABELS,
    MONEY_KINDS,
    MONEY_PERIODS,
    PERIOD_LABELS,
    ChangeStatus,
    LimitKind,
    LimitPeriod,
    LimitSource,
)
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import check_currency
from casino_app.persistence.tables import RgLimit, RgLimitChange, RgPlayer
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import LimitLine, LimitsOverview
from casino_app.services.compliance.rg.limits.setting import view
from casino_app.services.dto import MoneyLine


def _amount(rows: list[RgLimit], kind: LimitKind, period: LimitPeriod, source: LimitSource) -> int | None:
    return next((r.amount for r in rows if (r.kind, r.period, r.source) == (kind, period, source)), None)


def _line(
    rows: list[RgLimit], usage: rules.Usage, kind: LimitKind, period: LimitPeriod, currency: str
) -> LimitLine:
    def money(minor: int | None) -> MoneyLine | None:
        return money_line(minor, currency) if minor is not None else None

    own = _amount(rows, kind, period, LimitSource.PLAYER)
    imposed = _amount(rows, kind, period, LimitSource.OPERATOR)
    in_force = rules.lowest(own, imposed)
    used = usage.used(kind, period)
    remaining = max(0, in_force - used) if in_force is not None else None
    label = f"{KIND_LABELS[kind]} per {PERIOD_LABELS[period]}"
    return LimitLine(
        kind,
        period,
        label,
        money(in_force),
        money(own),
        money(imposed),
        money_line(used, currency),
        money(remaining),
    )


def overview(
    s: Session, user_id: int, now: datetime, settings: Settings, currency: str = ""
) -> LimitsOverview:
    """The limits of one player and currency (the wallet's by default), read in the caller's session."""
    user = state.player_user(s, user_id)
    currency = check_currency((currency or user.currency).upper())
    profile = state.profile_of(settings, user.country)
    rows = [r for r in state.limits_of(s, user_id) if r.currency in (currency, "")]
    usage = state.usage(s, user_id, currency, now)
    lines = tuple(_line(rows, usage, k, p, currency) for k in MONEY_KINDS for p in MONEY_PERIODS)
    session_own = _amount(rows, LimitKind.SESSION, LimitPeriod.SESSION, LimitSource.PLAYER)
    session_imposed = _amount(rows, LimitKind.SESSION, LimitPeriod.SESSION, LimitSource.OPERATOR)
    pending = s.exec(
        select(RgLimitChange)
        .where(RgLimitChange.user_id == user_id, RgLimitChange.status == ChangeStatus.PENDING)
        .order_by(col(RgLimitChange.requested_at))
    ).all()
    player = s.get(RgPlayer, user_id)
    reviewed = player.limits_reviewed_at if player is not None else None
    return LimitsOverview(
        currency,
        profile.code,
        int(profile.cooling_off.total_seconds() // 3600),
        lines,
        rules.lowest(session_own, session_imposed),
        session_own,
        tuple(view(c, now) for c in pending if c.currency in (currency, "")),
        rules.review_due(reviewed, bool(rows), now, profile),
    )


@authz.guard("player.account")
def my_limits(uow: UnitOfWork, actor: Actor, now: datetime, currency: str = "") -> LimitsOverview:
    """The acting player's limits: in force, own and imposed, used and remaining, pending raises."""
    player_id = actor.player_id()
    with uow.reader() as r:
        return overview(r.session, player_id, now, uow.context.settings, currency)


@authz.guard("ops.rg.view")
def player_limits(
    uow: UnitOfWork, actor: Actor, user_id: int, now: datetime, currency: str = ""
) -> LimitsOverview:
    """A player's limits as the safer gambling team sees them (the same figures as the player)."""
    with uow.reader() as r:
        return overview(r.session, user_id, now, uow.context.settings, currency)
