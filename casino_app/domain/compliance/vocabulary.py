"""Responsible gaming's vocabulary: limit kinds and periods, changes, blocks, markers, cases."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from casino_app.domain.vocabulary import Transitions


class LimitKind(StrEnum):
    DEPOSIT = "deposit"  # gross deposits (withdrawals do not give room back)
    LOSS = "loss"  # stakes - wins
    WAGER = "wager"  # stakes
    SESSION = "session"  # minutes of one play session (no currency)


class LimitPeriod(StrEnum):
    DAY = "day"  # the last 24 hours
    WEEK = "week"  # the last 7 days
    MONTH = "month"  # the last 30 days
    SESSION = "session"  # a session limit's own period


MONEY_KINDS: tuple[LimitKind, ...] = (LimitKind.DEPOSIT, LimitKind.LOSS, LimitKind.WAGER)
MONEY_PERIODS: tuple[LimitPeriod, ...] = (LimitPeriod.DAY, LimitPeriod.WEEK, LimitPeriod.MONTH)
PERIOD_LENGTH: dict[LimitPeriod, timedelta] = {
    LimitPeriod.DAY: timedelta(hours=24),
    LimitPeriod.WEEK: timedelta(days=7),
    LimitPeriod.MONTH: timedelta(days=30),
}
KIND_LABELS: dict[LimitKind, str] = {
    LimitKind.DEPOSIT: "Deposit limit",
    LimitKind.LOSS: "Loss limit",
    LimitKind.WAGER: "Wager limit",
    LimitKind.SESSION: "Session time limit",
}
PERIOD_LABELS: dict[LimitPeriod, str] = {
    LimitPeriod.DAY: "24 hours",
    LimitPeriod.WEEK: "7 days",
    LimitPeriod.MONTH: "30 days",
    LimitPeriod.SESSION: "session",
}


class LimitSource(StrEnum):
    PLAYER = "player"  # the player's own limit
    OPERATOR = "operator"  # imposed by the safer gambling team, with a reason


class ChangeStatus(StrEnum):
    APPLIED = "applied"  # a decrease or a new limit: in force when requested
    PENDING = "pending"  # a raise or removal waiting its cooling-off, then the confirmation
    CONFIRMED = "confirmed"  # confirmed after the cooling-off: in force since
    EXPIRED = "expired"  # not confirmed in time: the old limit stays
    CANCELLED = "cancelled"  # withdrawn by the player, or replaced by a newer request


CHANGE_TRANSITIONS: Transitions[ChangeStatus] = Transitions(
    "limit change",
    {ChangeStatus.PENDING: frozenset({ChangeStatus.CONFIRMED, ChangeStatus.EXPIRED, ChangeStatus.CANCELLED})},
)


class BlockKind(StrEnum):
    TIMEOUT = "timeout"  # 24 hours to 30 days
    SELF_EXCLUSION = "self_exclusion"  # 6 months, 1 year, 5 years or permanent
    OPERATOR_EXCLUSION = "operator_exclusion"  # imposed by the safer gambling team


class ExclusionTerm(StrEnum):
    SIX_MONTHS = "6m"
    ONE_YEAR = "1y"
    FIVE_YEARS = "5y"
    PERMANENT = "permanent"


TERM_MONTHS: dict[ExclusionTerm, int | None] = {
    ExclusionTerm.SIX_MONTHS: 6,
    ExclusionTerm.ONE_YEAR: 12,
    ExclusionTerm.FIVE_YEARS: 60,
    ExclusionTerm.PERMANENT: None,
}
TERM_LABELS: dict[ExclusionTerm, str] = {
    ExclusionTerm.SIX_MONTHS: "6 months",
    ExclusionTerm.ONE_YEAR: "1 year",
    ExclusionTerm.FIVE_YEARS: "5 years",
    ExclusionTerm.PERMANENT: "Permanently",
}


class IdentifierKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"


class RealityChoice(StrEnum):
    CONTINUE = "continue"
    STOP = "stop"
    HISTORY = "history"


class MarkerCode(StrEnum):
    LOSS_VELOCITY = "loss_velocity"
    NIGHT_PLAY = "night_play"
    DEPOSIT_FREQUENCY = "deposit_frequency"
    LIMIT_RAISES = "limit_raises"
    REVERSED_WITHDRAWALS = "reversed_withdrawals"
    TIME_PLAYED = "time_played"
    NET_DEPOSITS = "net_deposits"  # the financial-vulnerability check (UKGC SR 3.4.4)


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    DECIDED = "decided"
    APPEALED = "appealed"


CASE_TRANSITIONS: Transitions[CaseStatus] = Transitions(
    "case",
    {
        CaseStatus.OPEN: frozenset({CaseStatus.IN_REVIEW, CaseStatus.DECIDED}),
        CaseStatus.IN_REVIEW: frozenset({CaseStatus.DECIDED}),
        CaseStatus.DECIDED: frozenset({CaseStatus.APPEALED}),
        CaseStatus.APPEALED: frozenset({CaseStatus.IN_REVIEW, CaseStatus.DECIDED}),
    },
)


class CaseOutcome(StrEnum):
    NO_ACTION = "no_action"
    PLAYER_CONTACTED = "player_contacted"
    LIMITS_IMPOSED = "limits_imposed"
    TIMEOUT_IMPOSED = "timeout_imposed"
    EXCLUDED = "excluded"


OUTCOME_LABELS: dict[CaseOutcome, str] = {
    CaseOutcome.NO_ACTION: "No action needed",
    CaseOutcome.PLAYER_CONTACTED: "We contacted you",
    CaseOutcome.LIMITS_IMPOSED: "Limits set on your account",
    CaseOutcome.TIMEOUT_IMPOSED: "A time-out on your account",
    CaseOutcome.EXCLUDED: "Your account is closed for gambling",
}


class CaseEventKind(StrEnum):
    OPENED = "opened"
    MARKERS = "markers"  # new markers found while the case was open
    ASSIGNED = "assigned"
    NOTE = "note"
    DECIDED = "decided"
    APPEALED = "appealed"
