"""Deposit, loss, wager and session limits: set, confirm, cancel, expire and impose them.

A decrease (or a first limit) applies in the request's transaction; a raise or removal of the
player's own limit is a pending change that can be confirmed once the profile's cooling-off is
over and lapses when not confirmed in time (`expire_raises`, run by the RG job). The safer
gambling team imposes limits of its own, beside the player's, and can only make them stricter:
the lowest limit of both sources is in force (`rg_wallet_limits`, read by every stake).
Every change is audited in its transaction and emitted as `limit.changed`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.compliance import limits as rules
from casino_app.domain.compliance import reality
from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.compliance.vocabulary import (
    CHANGE_TRANSITIONS,
    ChangeStatus,
    LimitKind,
    LimitPeriod,
    LimitSource,
)
from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import check_currency
from casino_app.persistence.tables import RgLimit, RgLimitChange
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import ImposeLimit, LimitChangeView, SetLimit

MAX_REASON = 255


def parse_key(kind: str, period: str) -> tuple[LimitKind, LimitPeriod]:
    """The limit a form names, or `InvalidInput`."""
    try:
        return LimitKind(kind), LimitPeriod(period)
    except ValueError:
        raise InvalidInput("Choose a deposit, loss or wager limit per 24 hours, 7 days or 30 days.") from None


def currency_of(kind: LimitKind, requested: str, wallet: str) -> str:
    """Session limits have no currency; money limits default to the wallet's currency."""
    return "" if kind == LimitKind.SESSION else check_currency((requested or wallet).upper())


def _check_amount(amount: object) -> None:
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        raise InvalidInput("A limit is a whole amount in minor units (or minutes).")


def check_reason(reason: str) -> str:
    """A mandatory reason for an operator's action (shown in the trail and to the player)."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("Give a reason: it is recorded and shown to the player.")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"Keep the reason under {MAX_REASON} characters.")
    return text


def limit_row(
    s: Session, user_id: int, currency: str, kind: LimitKind, period: LimitPeriod, source: LimitSource
) -> RgLimit | None:
    return s.exec(
        select(RgLimit).where(
            RgLimit.user_id == user_id,
            RgLimit.currency == currency,
            RgLimit.kind == kind,
            RgLimit.period == period,
            RgLimit.source == source,
        )
    ).first()


def apply_change(s: Session, change: RgLimitChange, profile: RgProfile, by: str, now: datetime) -> None:
    """Put the change's new amount in force for its source, and rewrite what stakes read."""
    kind, period = LimitKind(change.kind), LimitPeriod(change.period)
    row = limit_row(s, change.user_id, change.currency, kind, period, LimitSource(change.source))
    if change.new_amount is None:
        if row is not None:
            s.delete(row)
    else:
        row = row or RgLimit(
            user_id=change.user_id,
            currency=change.currency,
            kind=kind,
            period=period,
            source=change.source,
            amount=change.new_amount,
            set_at=now,
            set_by=by[:64],
        )
        row.amount, row.set_at, row.set_by, row.reason = change.new_amount, now, by[:64], change.reason
        s.add(row)
    s.flush()
    state.refresh_in_force(s, change.user_id, change.currency, now)
    if kind == LimitKind.SESSION:
        _refresh_play_session(s, change.user_id, profile, now)


def _refresh_play_session(s: Session, user_id: int, profile: RgProfile, now: datetime) -> None:
    """A new session limit applies to the running play session at once (a lower one ends it sooner)."""
    player = state.player_row(s, user_id, now)
    interval = reality.interval_in_force(player.reality_minutes, profile)
    running = reality.with_settings(state.session_of(player), now, interval, player.session_limit_minutes)
    state.store_session(player, running, now)
    s.add(player)


def _cancel_pending(s: Session, change: RgLimitChange, now: datetime) -> None:
    """A new request for the same limit replaces a pending raise of it."""
    query = select(RgLimitChange).where(
        RgLimitChange.user_id == change.user_id,
        RgLimitChange.currency == change.currency,
        RgLimitChange.kind == change.kind,
        RgLimitChange.period == change.period,
        RgLimitChange.source == change.source,
        RgLimitChange.status == ChangeStatus.PENDING,
    )
    for pending in s.exec(query).all():
        pending.status = CHANGE_TRANSITIONS.check(ChangeStatus.PENDING, ChangeStatus.CANCELLED)
        pending.closed_at = now
        s.add(pending)


def view(change: RgLimitChange, now: datetime, message: str = "") -> LimitChangeView:
    """The DTO of a change (amounts described in words)."""
    kind, period = LimitKind(change.kind), LimitPeriod(change.period)
    assert change.id is not None
    pending = change.status == ChangeStatus.PENDING
    return LimitChangeView(
        change.id,
        change.kind,
        change.period,
        change.currency,
        change.source,
        rules.describe(kind, period, change.old_amount, change.currency),
        rules.describe(kind, period, change.new_amount, change.currency),
        change.status,
        change.requested_at,
        change.effective_at,
        change.expires_at,
        change.confirmed_at,
        pending and rules.confirmable(change.effective_at, change.expires_at, now),
        message,
    )


def announce(uow: UnitOfWork, actor: Actor, change: RgLimitChange, action: str, now: datetime) -> None:
    """Audit the change in its transaction and emit `limit.changed` after the commit."""
    details = {
        "change_id": change.id,
        "kind": change.kind,
        "period": change.period,
        "currency": change.currency,
        "source": change.source,
        "status": change.status,
        "old": change.old_amount,
        "new": change.new_amount,
        "effective_at": change.effective_at.isoformat(),
        **({"reason": change.reason} if change.reason else {}),
    }
    state.record(uow, actor, action, change.user_id, details, now)
    state.emit(uow, "limit.changed", change.user_id, details)


def _message(change: RgLimitChange, profile: RgProfile) -> str:
    if change.status == ChangeStatus.APPLIED:
        return "Your new limit applies now."
    hours = int(profile.cooling_off.total_seconds() // 3600)
    return (
        f"Your limit stays as it is for {hours} hours. After that, confirm the change within "
        f"{profile.confirm_window.days} days or it lapses."
    )


@authz.guard("player.account")
def set_limit(uow: UnitOfWork, actor: Actor, cmd: SetLimit, now: datetime) -> LimitChangeView:
    """Set, lower, raise or remove one of the acting player's own limits.

    A decrease or a new limit applies at once; a raise or removal waits the cooling-off of
    the player's profile, then needs `confirm_raise` (a pending raise of the same limit is
    replaced). The request counts as a limit review.

    Raises:
        InvalidInput: an unknown kind or period, an amount not offered, or no change at all.
        CurrencyMismatch: an unsupported currency. PermissionDenied: not a signed-in player.
    """
    player_id = actor.player_id()
    kind, period = parse_key(cmd.kind, cmd.period)
    _check_amount(cmd.amount)
    with uow:
        s = uow.session
        user = state.lock_player(s, player_id)
        currency = currency_of(kind, cmd.currency, user.currency)
        profile = state.profile_of(uow.context.settings, user.country)
        rules.validate(kind, period, cmd.amount, profile)
        own = limit_row(s, player_id, currency, kind, period, LimitSource.PLAYER)
        current = own.amount if own is not None else None
        plan = rules.plan_change(current, cmd.amount, now, profile)
        change = RgLimitChange(
            user_id=player_id,
            currency=currency,
            kind=kind,
            period=period,
            source=LimitSource.PLAYER,
            old_amount=current,
            new_amount=cmd.amount,
            status=ChangeStatus.APPLIED if plan.immediate else ChangeStatus.PENDING,
            requested_at=now,
            effective_at=plan.effective_at,
            expires_at=plan.expires_at,
            requested_by=actor.audit_name,
        )
        _cancel_pending(s, change, now)
        if plan.immediate:
            apply_change(s, change, profile, actor.audit_name, now)
        _mark_reviewed(s, player_id, now)
        s.add(change)
        s.flush()
        action = "rg.limit_set" if plan.immediate else "rg.limit_raise_requested"
        announce(uow, actor, change, action, now)
        uow.commit()
        return view(change, now, _message(change, profile))


def _mark_reviewed(s: Session, user_id: int, now: datetime) -> None:
    player = state.player_row(s, user_id, now)
    player.limits_reviewed_at = player.updated_at = now
    s.add(player)


def _own_pending(s: Session, player_id: int, change_id: int) -> RgLimitChange:
    change = s.get(RgLimitChange, change_id)
    if change is None or change.user_id != player_id or change.source != LimitSource.PLAYER:
        raise NotFound("No such limit change.")
    if change.status != ChangeStatus.PENDING:
        raise InvalidInput(f"This change is already {change.status}.")
    return change


@authz.guard("player.account")
def confirm_raise(uow: UnitOfWork, actor: Actor, change_id: int, now: datetime) -> LimitChangeView:
    """Confirm a pending raise or removal after its cooling-off: the new limit applies from now.

    Raises:
        NotFound: not a change of the acting player's. InvalidInput: not pending, still cooling
        off, or expired (the old limit stays).
    """
    player_id = actor.player_id()
    with uow:
        s = uow.session
        user = state.lock_player(s, player_id)
        change = _own_pending(s, player_id, change_id)
        rules.check_confirmation(change.effective_at, change.expires_at, now)
        profile = state.profile_of(uow.context.settings, user.country)
        change.status = CHANGE_TRANSITIONS.check(ChangeStatus.PENDING, ChangeStatus.CONFIRMED)
        change.confirmed_at = now
        apply_change(s, change, profile, actor.audit_name, now)
        _mark_reviewed(s, player_id, now)
        s.add(change)
        announce(uow, actor, change, "rg.limit_raise_confirmed", now)
        uow.commit()
        return view(change, now, "Your new limit applies now.")


@authz.guard("player.account")
def cancel_raise(uow: UnitOfWork, actor: Actor, change_id: int, now: datetime) -> LimitChangeView:
    """Withdraw a pending raise or removal: the limit in force stays.

    Raises:
        NotFound: not a change of the acting player's. InvalidInput: no longer pending.
    """
    player_id = actor.player_id()
    with uow:
        s = uow.session
        state.lock_player(s, player_id)
        change = _own_pending(s, player_id, change_id)
        change.status = CHANGE_TRANSITIONS.check(ChangeStatus.PENDING, ChangeStatus.CANCELLED)
        change.closed_at = now
        s.add(change)
        announce(uow, actor, change, "rg.limit_raise_cancelled", now)
        uow.commit()
        return view(change, now, "Your limit stays as it is.")


@authz.guard("player.account")
def review_limits(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    """The player looked at their limits and keeps them (answers the 6-monthly review prompt)."""
    player_id = actor.player_id()
    with uow:
        state.lock_player(uow.session, player_id)
        _mark_reviewed(uow.session, player_id, now)
        state.record(uow, actor, "rg.limits_reviewed", player_id, {}, now)
        uow.commit()


@authz.guard("system.jobs")
def expire_raises(uow: UnitOfWork, actor: Actor, now: datetime) -> int:
    """Close every pending raise that was not confirmed in time (the old limit stays); how many."""
    with uow:
        s = uow.session
        due = s.exec(
            select(RgLimitChange)
            .where(RgLimitChange.status == ChangeStatus.PENDING, col(RgLimitChange.expires_at) <= now)
            .order_by(col(RgLimitChange.id))
        ).all()
        for change in due:
            claimed = s.execute(
                sa.update(RgLimitChange)
                .where(col(RgLimitChange.id) == change.id, col(RgLimitChange.status) == ChangeStatus.PENDING)
                .values(status=ChangeStatus.EXPIRED, closed_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(claimed, "rowcount", 0) == 1:
                change.status, change.closed_at = ChangeStatus.EXPIRED, now
                announce(uow, actor, change, "rg.limit_raise_expired", now)
        uow.commit()
        return len(due)


@authz.guard("ops.rg.manage")
def impose_limit(
    uow: UnitOfWork, actor: Actor, user_id: int, cmd: ImposeLimit, now: datetime
) -> LimitChangeView:
    """Impose a limit on a player with a reason; it applies at once beside the player's own.

    An imposed limit can only be made stricter here, and the player's own limits are never
    touched: an operator cannot raise a player's limit.

    Raises:
        InvalidInput: no reason, an unknown limit, or not stricter than the imposed one in force.
        NotFound: no such player.
    """
    kind, period = parse_key(cmd.kind, cmd.period)
    _check_amount(cmd.amount)
    reason = check_reason(cmd.reason)
    if cmd.amount is None:
        raise InvalidInput("An imposed limit needs an amount.")
    with uow:
        s = uow.session
        user = state.lock_player(s, user_id)
        currency = currency_of(kind, cmd.currency, user.currency)
        profile = state.profile_of(uow.context.settings, user.country)
        rules.validate(kind, period, cmd.amount, profile)
        imposed = limit_row(s, user_id, currency, kind, period, LimitSource.OPERATOR)
        if imposed is not None and cmd.amount >= imposed.amount:
            raise InvalidInput("An imposed limit can only be made stricter.")
        change = RgLimitChange(
            user_id=user_id,
            currency=currency,
            kind=kind,
            period=period,
            source=LimitSource.OPERATOR,
            old_amount=imposed.amount if imposed is not None else None,
            new_amount=cmd.amount,
            status=ChangeStatus.APPLIED,
            requested_at=now,
            effective_at=now,
            requested_by=actor.audit_name,
            reason=reason,
        )
        apply_change(s, change, profile, actor.audit_name, now)
        s.add(change)
        s.flush()
        announce(uow, actor, change, "rg.limit_imposed", now)
        uow.commit()
        return view(change, now, "The limit applies now.")
