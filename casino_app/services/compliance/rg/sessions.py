"""Play sessions, the reality-check interval and its acknowledgement, the position in play.

A play session begins at sign-in (`begin_on_sign_in`, called by the sign-in services) unless
another device is already playing. Its reality check and session time limit are stored on the
player's RG row, which every stake reads under the player's lock, so a waiting check blocks
play on every path until `acknowledge_reality_check` records what the player was shown.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.config import Settings
from casino_app.domain.compliance import reality
from casino_app.domain.compliance.vocabulary import RealityChoice
from casino_app.domain.errors import InvalidInput
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, RgPlayer, RgRealityCheck, User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import PlayPosition, RealityCheckRecord, RealitySettings
from casino_app.services.identity.sessions import server as identity_sessions

_SESSIONS = UserSession.__table__  # type: ignore[attr-defined]


def _others_live(s: Session, user_id: int, now: datetime) -> bool:
    rows = s.exec(
        select(UserSession).where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
    ).all()
    return any(not identity_sessions.end_reason(row, now) for row in rows)


def begin_on_sign_in(s: Session, user: User, now: datetime, settings: Settings) -> None:
    """Start the player's play session at sign-in (keep the running one while another device plays)."""
    assert user.id is not None
    profile = state.profile_of(settings, user.country)
    player = state.player_row(s, user.id, now)
    interval = reality.interval_in_force(player.reality_minutes, profile)
    others = _others_live(s, user.id, now)
    running = reality.begin(
        state.session_of(player),
        now,
        interval,
        player.session_limit_minutes,
        others_live=others,
        profile=profile,
    )
    state.store_session(player, running, now)
    s.add(player)


def session_result(s: Session, user_id: int, currency: str, since: datetime | None) -> tuple[int, int]:
    """(staked, won) of the player's bets placed since the session began, in one currency."""
    if since is None:
        return 0, 0
    row = s.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Bet.stake), 0), sa.func.coalesce(sa.func.sum(Bet.win), 0)
        ).where(
            col(Bet.user_id) == user_id,
            col(Bet.currency) == currency,
            col(Bet.created_at) >= since,
            col(Bet.status) != "void",
        )
    ).one()
    return int(row[0]), int(row[1])


def _settings_view(
    chosen: int | None, session: reality.PlaySession, settings: Settings, country: str
) -> RealitySettings:
    profile = state.profile_of(settings, country)
    return RealitySettings(
        chosen,
        reality.interval_in_force(chosen, profile),
        profile.reality_options(),
        profile.reality_required_max,
        session.reality_due_at,
    )


@authz.guard("player.account")
def reality_settings(uow: UnitOfWork, actor: Actor) -> RealitySettings:
    """The acting player's reality-check interval (chosen, in force) and the choices offered."""
    player_id = actor.player_id()
    with uow.reader() as r:
        user = state.player_user(r.session, player_id)
        row = r.session.get(RgPlayer, player_id)
        chosen = row.reality_minutes if row is not None else None
        return _settings_view(chosen, state.session_of(row), uow.context.settings, user.country)


@authz.guard("player.account")
def set_reality_interval(
    uow: UnitOfWork, actor: Actor, minutes: int | None, now: datetime
) -> RealitySettings:
    """Choose how often a reality check interrupts play (None: off, where the profile allows it).

    A waiting check stays waiting, and a longer interval never moves the next one later.

    Raises:
        InvalidInput: an interval the profile does not offer, or switching off a required check.
    """
    player_id = actor.player_id()
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)):
        raise InvalidInput("Choose an interval in minutes.")
    with uow:
        s = uow.session
        user = state.lock_player(s, player_id)
        profile = state.profile_of(uow.context.settings, user.country)
        reality.check_interval(minutes, profile)
        player = state.player_row(s, player_id, now)
        before = player.reality_minutes
        player.reality_minutes = minutes
        interval = reality.interval_in_force(minutes, profile)
        running = reality.with_settings(state.session_of(player), now, interval, player.session_limit_minutes)
        state.store_session(player, running, now)
        s.add(player)
        details = {"before": before, "after": minutes, "in_force": interval}
        state.record(uow, actor, "rg.reality_interval_set", player_id, details, now)
        state.emit(uow, "reality_check.changed", player_id, details)
        uow.commit()
        return _settings_view(minutes, running, uow.context.settings, user.country)


@authz.guard("player.play")
def play_position(uow: UnitOfWork, actor: Actor, now: datetime) -> PlayPosition:
    """The running session for game screens: time played, staked, won, net, the next reality check."""
    player_id = actor.player_id()
    with uow.reader() as r:
        user = state.player_user(r.session, player_id)
        running = state.session_of(r.session.get(RgPlayer, player_id))
        staked, won = session_result(r.session, player_id, user.currency, running.started_at)
    started = running.started_at
    seconds = int((now - started).total_seconds()) if started is not None else 0
    due = running.reality_due_at
    return PlayPosition(
        started,
        max(0, seconds),
        reality.played_text(running, now),
        money_line(staked, user.currency),
        money_line(won, user.currency),
        money_line(won - staked, user.currency),
        due,
        due is not None and due <= now,
        running.ends_at,
    )


@authz.guard("player.play")
def acknowledge_reality_check(
    uow: UnitOfWork, actor: Actor, choice: str, now: datetime
) -> RealityCheckRecord:
    """Acknowledge the waiting reality check: record the time played and the net result shown.

    "continue" and "history" let play go on until the next check; "stop" also signs the
    player out of the session they acknowledged in.

    Raises:
        InvalidInput: an unknown choice, or no reality check is waiting.
    """
    player_id = actor.player_id()
    try:
        picked = RealityChoice(choice)
    except ValueError:
        raise InvalidInput("Choose to continue, stop or see your history.") from None
    with uow:
        s = uow.session
        user = state.lock_player(s, player_id)
        player = state.player_row(s, player_id, now)
        running = state.session_of(player)
        due = running.reality_due_at
        if running.started_at is None or due is None or due > now:
            raise InvalidInput("No reality check is waiting.")
        staked, won = session_result(s, player_id, user.currency, running.started_at)
        played = int((now - running.started_at).total_seconds())
        check = RgRealityCheck(
            user_id=player_id,
            session_started_at=running.started_at,
            due_at=due,
            acknowledged_at=now,
            played_seconds=played,
            net=won - staked,
            currency=user.currency,
            choice=picked,
        )
        s.add(check)
        profile = state.profile_of(uow.context.settings, user.country)
        after = reality.acknowledged(running, now, reality.interval_in_force(player.reality_minutes, profile))
        state.store_session(player, after, now)
        s.add(player)
        signed_out = picked == RealityChoice.STOP and _sign_out(s, actor, now)
        s.flush()
        assert check.id is not None
        details = {"played_seconds": played, "net": won - staked, "currency": user.currency, "choice": picked}
        state.record(uow, actor, "rg.reality_check_acknowledged", player_id, details, now)
        state.emit(uow, "reality_check.acknowledged", player_id, details)
        uow.commit()
        text = reality.played_text(running, now)
        net = money_line(won - staked, user.currency)
        return RealityCheckRecord(check.id, now, played, text, net, picked, after.reality_due_at, signed_out)


def _sign_out(s: Session, actor: Actor, now: datetime) -> bool:
    if actor.session_id is None:
        return False
    return identity_sessions.revoke_where(s, _SESSIONS.c.id == actor.session_id, now, "reality_stop") > 0


@authz.guard("player.play")
def start_new_session(uow: UnitOfWork, actor: Actor, now: datetime) -> PlayPosition:
    """Start a new play session once a session time limit's break is over.

    Raises:
        InvalidInput: the session limit was not reached, or its break is not over yet.
    """
    player_id = actor.player_id()
    with uow:
        s = uow.session
        user = state.lock_player(s, player_id)
        profile = state.profile_of(uow.context.settings, user.country)
        player = state.player_row(s, player_id, now)
        if not reality.may_restart(state.session_of(player), now, profile):
            raise InvalidInput("Your session can start again once its break is over.")
        interval = reality.interval_in_force(player.reality_minutes, profile)
        state.store_session(player, reality.new_session(now, interval, player.session_limit_minutes), now)
        s.add(player)
        state.record(uow, actor, "rg.session_started", player_id, {}, now)
        uow.commit()
    return play_position(uow, actor, now)
