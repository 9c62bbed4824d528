"""Time-outs and self-exclusion, and the exclusions the safer gambling team imposes.

All apply in the request's transaction: the block is stored on the player's RG row (which
every stake, deposit and sign-in reads), every browser session and API token family of the
player is revoked, the play session ends, and the email and phone are kept as blind indexes
(exclusion/identifiers.py) so a new account cannot be opened with them. Nobody can end a block early:
a new one may only keep or extend it. Pending withdrawals are not touched and stay payable.
Audited, and emitted as `player.timed_out` or `player.excluded`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from casino_app.domain.compliance import exclusion as rules
from casino_app.domain.compliance.reality import PlaySession
from casino_app.domain.compliance.vocabulary import BlockKind, ExclusionTerm, LimitSource
from casino_app.domain.errors import InvalidInput
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import RgExclusion
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import BlockView
from casino_app.services.compliance.rg.exclusion import identifiers
from casino_app.services.compliance.rg.limits.setting import check_reason
from casino_app.services.identity.sessions import server as sessions

_ACTIONS = {
    (BlockKind.TIMEOUT, LimitSource.PLAYER): "rg.time_out",
    (BlockKind.SELF_EXCLUSION, LimitSource.PLAYER): "rg.self_excluded",
    (BlockKind.TIMEOUT, LimitSource.OPERATOR): "rg.time_out_imposed",
    (BlockKind.OPERATOR_EXCLUSION, LimitSource.OPERATOR): "rg.exclusion_imposed",
}


def _length(length: object) -> timedelta:
    if not isinstance(length, timedelta):
        raise InvalidInput("Choose how long the time-out lasts (24 hours to 30 days).")
    return length


def _term(term: str) -> ExclusionTerm:
    try:
        return ExclusionTerm(term)
    except ValueError:
        raise InvalidInput("Choose 6 months, 1 year, 5 years or permanently.") from None


def _block(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    kind: BlockKind,
    until: datetime | None,
    reason: str,
    now: datetime,
) -> BlockView:
    """Put the block in force now (or extend the one in force); end every session."""
    s = uow.session
    source = LimitSource.PLAYER if actor.is_player else LimitSource.OPERATOR
    user = state.lock_player(s, user_id)
    profile = state.profile_of(uow.context.settings, user.country)
    player = state.player_row(s, user_id, now)
    block = rules.combine(state.block_of(player), kind, until, now)
    player.block_kind, player.block_until = block.kind, block.until
    state.store_session(player, PlaySession(), now)
    s.add(player)
    s.add(
        RgExclusion(
            user_id=user_id,
            kind=kind,
            source=source,
            starts_at=now,
            ends_at=until,
            reason=reason,
            created_by=actor.audit_name[:64],
        )
    )
    identifiers.remember(s, uow.context.keys, user, block.until, now)
    ended = sessions.revoke_all(s, user_id, now, reason=kind.value)
    details = {
        "kind": kind,
        "until": until.isoformat() if until else None,
        "in_force_until": block.until.isoformat() if block.until else None,
        "sessions_ended": ended,
        **({"reason": reason} if reason else {}),
    }
    state.record(uow, actor, _ACTIONS[(kind, source)], user_id, details, now)
    event = "player.timed_out" if block.kind == BlockKind.TIMEOUT else "player.excluded"
    state.emit(uow, event, user_id, details)
    uow.commit()
    assert block.kind is not None
    text = f"Your account is {rules.describe(block)}. Every session has been signed out."
    return BlockView(block.kind, now, block.until, text, profile.contacts, ended)


@authz.guard("player.account")
def take_time_out(uow: UnitOfWork, actor: Actor, length: timedelta, now: datetime) -> BlockView:
    """Take a break from gambling for 24 hours to 30 days, starting now; it cannot be ended early.

    Raises:
        InvalidInput: shorter than 24 hours or longer than 30 days, or a longer block is in force.
    """
    player_id = actor.player_id()
    length = _length(length)
    with uow:
        user = state.lock_player(uow.session, player_id)
        profile = state.profile_of(uow.context.settings, user.country)
        until = rules.timeout_until(length, now, profile)
        return _block(uow, actor, player_id, BlockKind.TIMEOUT, until, "", now)


@authz.guard("player.account")
def self_exclude(uow: UnitOfWork, actor: Actor, term: str, now: datetime) -> BlockView:
    """Exclude oneself from gambling for 6 months, 1 year, 5 years or permanently, from now.

    Raises:
        InvalidInput: an unknown or too short term, or a longer exclusion is in force.
    """
    player_id = actor.player_id()
    chosen = _term(term)
    with uow:
        user = state.lock_player(uow.session, player_id)
        profile = state.profile_of(uow.context.settings, user.country)
        until = rules.exclusion_until(chosen, now, profile)
        return _block(uow, actor, player_id, BlockKind.SELF_EXCLUSION, until, "", now)


@authz.guard("ops.rg.manage")
def impose_time_out(
    uow: UnitOfWork, actor: Actor, user_id: int, length: timedelta, reason: str, now: datetime
) -> BlockView:
    """Put a player on a time-out of 24 hours to 30 days, with the reason (the player reads it).

    Raises:
        InvalidInput: no reason, a length out of range, or a longer block in force. NotFound.
    """
    text = check_reason(reason)
    length = _length(length)
    with uow:
        user = state.lock_player(uow.session, user_id)
        until = rules.timeout_until(length, now, state.profile_of(uow.context.settings, user.country))
        return _block(uow, actor, user_id, BlockKind.TIMEOUT, until, text, now)


@authz.guard("ops.rg.manage")
def impose_exclusion(
    uow: UnitOfWork, actor: Actor, user_id: int, term: str, reason: str, now: datetime
) -> BlockView:
    """Close a player's account for gambling for a term (6m, 1y, 5y, permanent), with the reason.

    Raises:
        InvalidInput: no reason, an unknown term, or a longer block in force. NotFound.
    """
    text = check_reason(reason)
    chosen = _term(term)
    with uow:
        user = state.lock_player(uow.session, user_id)
        until = rules.exclusion_until(chosen, now, state.profile_of(uow.context.settings, user.country))
        return _block(uow, actor, user_id, BlockKind.OPERATOR_EXCLUSION, until, text, now)
