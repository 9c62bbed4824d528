"""What the responsible-gaming commands take and return (frozen DTOs; no table models leave)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from casino_app.services.dto import MoneyLine


@dataclass(frozen=True)
class SetLimit:
    """A player's own limit: kind "deposit" / "loss" / "wager" per "day" / "week" / "month", or
    kind "session" (period "session", amount in minutes). `amount` None removes the limit;
    `currency` "" means the wallet's currency."""

    kind: str
    period: str
    amount: int | None
    currency: str = ""


@dataclass(frozen=True)
class LiftLimit:
    """Lift a limit the safer gambling team imposed, with the reason (the player's own stay)."""

    kind: str
    period: str
    reason: str
    currency: str = ""


@dataclass(frozen=True)
class ImposeLimit:
    """A limit the safer gambling team sets on a player, with the reason (never looser than before)."""

    kind: str
    period: str
    amount: int
    reason: str
    currency: str = ""


@dataclass(frozen=True)
class LimitChangeView:
    """One change of a limit: applied at once, or pending until confirmed or expired."""

    id: int
    kind: str
    period: str
    currency: str
    source: str
    old_text: str
    new_text: str
    status: str
    requested_at: datetime
    effective_at: datetime
    expires_at: datetime | None
    confirmed_at: datetime | None
    confirmable: bool
    message: str


@dataclass(frozen=True)
class LimitLine:
    """One money limit of one currency: what is in force, what is used, what remains."""

    kind: str
    period: str
    label: str
    in_force: MoneyLine | None
    own: MoneyLine | None
    imposed: MoneyLine | None
    used: MoneyLine
    remaining: MoneyLine | None


@dataclass(frozen=True)
class LimitsOverview:
    """The player's limits page: money limits, the session limit, pending raises, the review prompt."""

    currency: str
    profile: str
    cooling_off_hours: int
    lines: tuple[LimitLine, ...]
    session_limit_minutes: int | None
    own_session_limit_minutes: int | None
    pending: tuple[LimitChangeView, ...]
    review_due: bool


@dataclass(frozen=True)
class RealitySettings:
    """The reality-check interval chosen and in force, and the choices the profile offers."""

    chosen_minutes: int | None
    in_force_minutes: int | None
    options: tuple[int, ...]
    required_max: int | None
    next_due_at: datetime | None


@dataclass(frozen=True)
class PlayPosition:
    """The running play session: time played, the net result, when the next reality check falls due."""

    started_at: datetime | None
    played_seconds: int
    played_text: str
    staked: MoneyLine
    won: MoneyLine
    net: MoneyLine
    reality_due_at: datetime | None
    reality_check_due: bool
    session_ends_at: datetime | None


@dataclass(frozen=True)
class RealityCheckRecord:
    """An acknowledged reality check: what the player was shown and chose."""

    id: int
    acknowledged_at: datetime
    played_seconds: int
    played_text: str
    net: MoneyLine
    choice: str
    next_due_at: datetime | None
    signed_out: bool


@dataclass(frozen=True)
class BlockView:
    """A time-out or exclusion now in force, with the text and help the player is shown."""

    kind: str
    starts_at: datetime
    until: datetime | None
    text: str
    contacts: str
    sessions_ended: int


@dataclass(frozen=True)
class MarkerLine:
    code: str
    currency: str
    value: int
    threshold: int
    reason: str


@dataclass(frozen=True)
class MarkerReport:
    """One evaluation of markers of harm: players looked at, cases opened or given new markers."""

    players: int
    markers: int
    cases_opened: int
    cases_updated: int


@dataclass(frozen=True)
class CaseEventLine:
    at: datetime
    actor: str
    kind: str
    text: str


@dataclass(frozen=True)
class CaseView:
    """An RG case as the risk team sees it (the player sees `PlayerDecision`)."""

    id: int
    user_id: int
    currency: str
    status: str
    markers: tuple[MarkerLine, ...]
    opened_at: datetime
    assigned_to: int | None
    outcome: str | None
    decision_reason: str
    decided_at: datetime | None
    appeal: str
    appealed_at: datetime | None
    trail: tuple[CaseEventLine, ...]


@dataclass(frozen=True)
class PlayerDecision:
    """A decision on the player's case, in their words: why, what was decided, whether they appealed."""

    case_id: int
    currency: str
    reasons: tuple[str, ...]
    outcome: str
    outcome_text: str
    decision_reason: str
    decided_at: datetime | None
    appeal: str
    appealed_at: datetime | None
    may_appeal: bool
