"""A player's preferences (language, time zone, favourite games), read and changed by themselves.

Every change is audited in its transaction. Empty language or zone means "not chosen": the
browser's own is used (ui/state/session/prefs.py).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, select

from casino_app.domain.identity import preferences as rules
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.preferences import Preferences
from casino_app.persistence.tables import Game, PlayerPreference
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import audit


def _view(row: PlayerPreference | None) -> Preferences:
    if row is None:
        return Preferences()
    return Preferences(row.language, row.time_zone, tuple(json.loads(row.favourite_games or "[]")))


def _known_games(session: Session) -> frozenset[str]:
    return frozenset(session.exec(select(Game.code)).all())


@authz.guard("player.account")
def preferences_of(uow: UnitOfWork, actor: Actor) -> Preferences:
    """The signed-in player's saved preferences."""
    with uow.reader() as r:
        return _view(r.session.get(PlayerPreference, actor.player_id()))


@authz.guard("player.account")
def update_preferences(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    *,
    language: str | None = None,
    time_zone: str | None = None,
    favourite_games: tuple[str, ...] | None = None,
) -> Preferences:
    """Change what is given; a bad value raises InvalidInput and changes nothing."""
    player_id = actor.player_id()
    with uow:
        row = uow.session.get(PlayerPreference, player_id) or PlayerPreference(
            user_id=player_id, updated_at=now
        )
        before = _view(row)
        if language is not None:
            row.language = rules.check_language(language)
        if time_zone is not None:
            row.time_zone = rules.check_time_zone(time_zone)
        if favourite_games is not None:
            checked = rules.check_favourites(tuple(favourite_games), _known_games(uow.session))
            row.favourite_games = json.dumps(list(checked))
        after = _view(row)
        if after == before:
            return after
        row.updated_at = now
        uow.session.add(row)
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="preferences.change",
            subject=f"user:{player_id}",
            details=_diff(before, after),
            now=now,
        )
        uow.commit()
    return after


@authz.guard("player.account")
def toggle_favourite(uow: UnitOfWork, actor: Actor, now: datetime, game_code: str) -> Preferences:
    """Star or un-star one game for the lobby."""
    current = preferences_of(uow, actor)
    return update_preferences(
        uow, actor, now, favourite_games=rules.toggled(current.favourite_games, game_code)
    )


def _diff(before: Preferences, after: Preferences) -> dict[str, object]:
    changes: dict[str, object] = {}
    if before.language != after.language:
        changes["language"] = after.language
    if before.time_zone != after.time_zone:
        changes["time_zone"] = after.time_zone
    if before.favourite_games != after.favourite_games:
        changes["favourite_games"] = list(after.favourite_games)
    return changes
