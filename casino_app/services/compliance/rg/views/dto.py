"""The DTOs of the responsible-gaming pages (frozen; the pages never see table rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from casino_app.domain.compliance.vocabulary import ExclusionTerm, LimitSource
from casino_app.services.compliance.rg.dto import CaseView, LimitsOverview, RealitySettings

PLAYER_VIEW = "player.account"  # the player reads their own RG state (as the RG commands)
OPS_VIEW = "ops.rg.view"  # the back office reads any player's
HISTORY_ROWS = 200


@dataclass(frozen=True)
class BlockState:
    """The time-out or exclusion in force (active False: none)."""

    active: bool
    kind: str
    until: datetime | None  # None while active: permanent
    text: str  # "self-excluded until 1 Jun 2027, 12:00 UTC"


@dataclass(frozen=True)
class RgOverview:
    """Everything the player's responsible-gaming page shows."""

    user_id: int
    currency: str
    profile_code: str
    profile_name: str
    cooling_off: timedelta
    limits: LimitsOverview  # in force, own, imposed, used, remaining; pending raises; the review prompt
    session_options: tuple[int, ...]
    reality: RealitySettings
    block: BlockState
    timeout_options: tuple[timedelta, ...]
    exclusion_terms: tuple[tuple[ExclusionTerm, str], ...]
    helplines: tuple[str, ...]


@dataclass(frozen=True)
class HistoryLine:
    """One entry of a player's RG history: a limit change, a block, an acknowledged reality check."""

    what: str
    status: str
    source: LimitSource
    requested_at: datetime
    effective_at: datetime | None
    confirmed_at: datetime | None
    closed_at: datetime | None
    by: str
    reason: str


@dataclass(frozen=True)
class PlayerRecord:
    """A player's RG record for the back office: the overview, the history and the cases."""

    email: str
    overview: RgOverview
    history: tuple[HistoryLine, ...]
    cases: tuple[CaseView, ...]
