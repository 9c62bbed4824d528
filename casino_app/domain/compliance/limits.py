"""Deposit, loss, wager and session limits: what is used, what a stake may take, how limits change.

Rules (docs/RESPONSIBLE_GAMING.md):
- limits per 24 hours, 7 days and 30 days, per currency; every limit in force must hold, so the
  lowest remaining room applies; a player's own limit and one the operator imposed both count;
- loss = stakes - wins over the period (stake 10, win 8: a loss of 2); a stake may take the loss
  up to the limit as if it lost; winnings never make the room larger than the limit itself;
- a deposit limit counts gross deposits (a withdrawal gives no room back);
- lowering a limit (or setting a first one) applies at once; raising or removing one waits the
  profile's cooling-off, then needs the player's confirmation, and expires when not confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.compliance.vocabulary import (
    KIND_LABELS,
    MONEY_KINDS,
    MONEY_PERIODS,
    PERIOD_LABELS,
    LimitKind,
    LimitPeriod,
)
from casino_app.domain.errors import InvalidInput, LimitExceeded
from casino_app.domain.money.amounts import Money, format_money

MAX_LIMIT_MINOR = 10_000_000_00
MAX_SESSION_MINUTES = 24 * 60
Key = tuple[LimitKind, LimitPeriod]
BET_KINDS: tuple[LimitKind, ...] = (LimitKind.LOSS, LimitKind.WAGER)


@dataclass(frozen=True)
class Limits:
    """The limits in force for one currency: the lowest of the player's and the operator's."""

    amounts: Mapping[Key, int] = field(default_factory=dict)

    def get(self, kind: LimitKind, period: LimitPeriod) -> int | None:
        return self.amounts.get((kind, period))

    def any_of(self, kinds: tuple[LimitKind, ...]) -> bool:
        return any(kind in kinds for kind, _ in self.amounts)


@dataclass(frozen=True)
class Window:
    """Stakes and wins over one period (minor units of one currency)."""

    staked: int = 0
    won: int = 0

    @property
    def loss(self) -> int:
        """Stakes - wins, never below zero: winnings do not extend a loss limit."""
        return max(0, self.staked - self.won)


@dataclass(frozen=True)
class Usage:
    """What a player staked, won and deposited in each period, in one currency."""

    windows: Mapping[LimitPeriod, Window] = field(default_factory=dict)
    deposited: Mapping[LimitPeriod, int] = field(default_factory=dict)

    def used(self, kind: LimitKind, period: LimitPeriod) -> int:
        if kind == LimitKind.DEPOSIT:
            return self.deposited.get(period, 0)
        window = self.windows.get(period, Window())
        return window.loss if kind == LimitKind.LOSS else window.staked


def lowest(*amounts: int | None) -> int | None:
    """The limit in force when several sources set one (None: no limit)."""
    present = [a for a in amounts if a is not None]
    return min(present) if present else None


def room(limits: Limits, usage: Usage, kinds: tuple[LimitKind, ...]) -> tuple[int, Key] | None:
    """The smallest room left under any limit of `kinds`, and which limit it is (None: unlimited)."""
    best: tuple[int, Key] | None = None
    for kind in kinds:
        for period in MONEY_PERIODS:
            limit = limits.get(kind, period)
            if limit is None:
                continue
            left = max(0, limit - usage.used(kind, period))
            if best is None or left < best[0]:
                best = (left, (kind, period))
    return best


def _money(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def _refusal(what: str, key: Key, limits: Limits, usage: Usage, currency: str) -> LimitExceeded:
    kind, period = key
    limit = limits.get(kind, period) or 0
    used = usage.used(kind, period)
    return LimitExceeded(
        f"This {what} would go over your {KIND_LABELS[kind].lower()} of {_money(limit, currency)} "
        f"per {PERIOD_LABELS[period]} ({_money(used, currency)} used, "
        f"{_money(max(0, limit - used), currency)} left)."
    )


def check_stake(limits: Limits, usage: Usage, stake: int, currency: str) -> None:
    """Refuse a stake that any loss or wager limit in force cannot take (it may lose it all).

    Raises:
        LimitExceeded: naming the limit, what is used and what is left.
    """
    tightest = room(limits, usage, BET_KINDS)
    if tightest is not None and stake > tightest[0]:
        raise _refusal("bet", tightest[1], limits, usage, currency)


def check_deposit(limits: Limits, usage: Usage, amount: int, currency: str) -> None:
    """Refuse a deposit that a deposit limit in force cannot take (gross deposits count).

    Raises:
        LimitExceeded: naming the limit, what is used and what is left.
    """
    tightest = room(limits, usage, (LimitKind.DEPOSIT,))
    if tightest is not None and amount > tightest[0]:
        raise _refusal("deposit", tightest[1], limits, usage, currency)


# --- changing a limit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How a requested change takes effect."""

    immediate: bool
    effective_at: datetime  # now for a decrease; the end of the cooling-off for a raise
    expires_at: datetime | None  # a raise not confirmed by then lapses


def is_raise(current: int | None, requested: int | None) -> bool:
    """A removal, or a higher amount than the limit in force, loosens the limit."""
    if current is None:
        return False
    return requested is None or requested > current


def plan_change(current: int | None, requested: int | None, now: datetime, profile: RgProfile) -> Plan:
    """When a change of the player's own limit from `current` to `requested` applies.

    Raises:
        InvalidInput: the request changes nothing.
    """
    if requested == current:
        raise InvalidInput(
            "That is already your limit." if current is not None else "You have no such limit."
        )
    if not is_raise(current, requested):
        return Plan(True, now, None)
    effective = now + profile.cooling_off
    return Plan(False, effective, effective + profile.confirm_window)


def confirmable(effective_at: datetime, expires_at: datetime | None, now: datetime) -> bool:
    """A pending raise may be confirmed from the end of its cooling-off until it expires."""
    return effective_at <= now and (expires_at is None or now < expires_at)


def check_confirmation(effective_at: datetime, expires_at: datetime | None, now: datetime) -> None:
    """Raises `InvalidInput` when a pending raise cannot be confirmed at `now`."""
    if now < effective_at:
        raise InvalidInput("This change can be confirmed once its cooling-off period is over.")
    if expires_at is not None and now >= expires_at:
        raise InvalidInput("This change was not confirmed in time and has expired; your limit stays.")


def validate(kind: LimitKind, period: LimitPeriod, amount: int | None, profile: RgProfile) -> None:
    """A limit names a known kind and period and a sensible amount (None: remove it).

    Raises:
        InvalidInput: an unknown pair, a zero or negative amount, or a session limit not offered.
    """
    if kind == LimitKind.SESSION:
        if period != LimitPeriod.SESSION:
            raise InvalidInput("A session time limit has no period.")
        if amount is not None and amount not in profile.session_limit_minutes:
            offered = ", ".join(str(m) for m in profile.session_limit_minutes)
            raise InvalidInput(f"Choose a session limit of {offered} minutes.")
        return
    if kind not in MONEY_KINDS or period not in MONEY_PERIODS:
        raise InvalidInput("Choose a deposit, loss or wager limit per 24 hours, 7 days or 30 days.")
    if amount is not None and (isinstance(amount, bool) or not 0 < amount <= MAX_LIMIT_MINOR):
        raise InvalidInput("A limit must be greater than zero.")


def describe(kind: LimitKind, period: LimitPeriod, amount: int | None, currency: str) -> str:
    """ "Loss limit €50.00 per 7 days", "Session time limit 60 min", "no deposit limit per 24 hours"."""
    if kind == LimitKind.SESSION:
        return f"{KIND_LABELS[kind]} {amount} min" if amount is not None else "no session time limit"
    if amount is None:
        return f"no {KIND_LABELS[kind].lower()} per {PERIOD_LABELS[period]}"
    return f"{KIND_LABELS[kind]} {_money(amount, currency)} per {PERIOD_LABELS[period]}"


def review_due(last_review: datetime | None, has_limits: bool, now: datetime, profile: RgProfile) -> bool:
    """Prompt a limit review every 6 months (from the last review or the first limit)."""
    return has_limits and last_review is not None and now - last_review >= profile.limit_review_every
