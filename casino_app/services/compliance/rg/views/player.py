"""The player's own responsible-gaming state: what the RG page and the reality check show.

`overview_in` runs in the caller's reader, so the back office reuses them.
"""

from __future__ import annotations

from datetime import datetime

from casino_app.domain.compliance import exclusion, reality
from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.compliance.vocabulary import (
    TERM_LABELS,
    TERM_MONTHS,
    ExclusionTerm,
)
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import RgPlayer
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import RealitySettings
from casino_app.services.compliance.rg.limits import usage
from casino_app.services.compliance.rg.views.dto import (
    PLAYER_VIEW,
    BlockState,
    HistoryLine,
    RgOverview,
)
from casino_app.services.compliance.rg.views.history import history_in

# --- the player's own ----------------------------------------------------------------------


@authz.guard(PLAYER_VIEW)
def my_overview(uow: UnitOfWork, actor: Actor, now: datetime) -> RgOverview:
    """The acting player's limits, pending raises, reality check, block and choices."""
    with uow.reader() as r:
        return overview_in(r, actor.player_id(), now)


@authz.guard(PLAYER_VIEW)
def my_history(uow: UnitOfWork, actor: Actor) -> tuple[HistoryLine, ...]:
    """The acting player's RG history, newest first (requested, effective, confirmed)."""
    with uow.reader() as r:
        return history_in(r.session, actor.player_id(), player_view=True)


# --- building blocks (the caller's reader) -------------------------------------------------


def overview_in(uow: UnitOfWork, user_id: int, now: datetime) -> RgOverview:
    """The RG page of one player, read in the caller's reader (the back office reuses it)."""
    s = uow.session
    user = state.player_user(s, user_id)
    rules = state.profile_of(uow.context.settings, user.country)
    row = s.get(RgPlayer, user_id)
    return RgOverview(
        user_id,
        user.currency,
        rules.code,
        rules.name,
        rules.cooling_off,
        usage.overview(s, user_id, now, uow.context.settings),
        rules.session_limit_minutes,
        _reality(row, rules),
        _block(row, now),
        rules.timeout_options,
        tuple((t, TERM_LABELS[t]) for t in ExclusionTerm if _term_allowed(t, rules)),
        tuple(h.text for h in rules.helplines),
    )


def _term_allowed(term: ExclusionTerm, rules: RgProfile) -> bool:
    months = TERM_MONTHS[term]
    return months is None or months >= rules.self_exclusion_min_months


def _reality(row: RgPlayer | None, rules: RgProfile) -> RealitySettings:
    chosen = row.reality_minutes if row else None
    return RealitySettings(
        chosen,
        reality.interval_in_force(chosen, rules),
        rules.reality_options(),
        rules.reality_required_max,
        row.reality_due_at if row else None,
    )


def _block(row: RgPlayer | None, now: datetime) -> BlockState:
    block = state.block_of(row)
    if not block.active(now):
        return BlockState(False, "", None, "")
    return BlockState(True, str(block.kind), block.until, exclusion.describe(block))
