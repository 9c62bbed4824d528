"""A player's preferences: language, time zone and favourite games, saved, checked and audited."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime

import pytest

from casino_app.domain.errors import InvalidInput, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.preferences import MAX_FAVOURITES, Preferences
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import preferences
from casino_app.services.security import audit
from tests.support import count_rows


def _audited(db: Database, user_id: int) -> int:
    return count_rows(db, "audit_log", f"action = 'preferences.change' AND subject = 'user:{user_id}'")


def test_language_zone_and_favourites_are_saved_and_audited(
    db: Database, uow: UnitOfWork, now: datetime, register: Callable[..., UserView], games: dict[str, Round]
) -> None:
    me = Actor.player(register("prefs@example.com").id)
    assert preferences.preferences_of(uow, me) == Preferences()
    saved = preferences.update_preferences(
        uow, me, now, language="pl", time_zone="Europe/Warsaw", favourite_games=("lotto649",)
    )
    assert saved == Preferences("pl", "Europe/Warsaw", ("lotto649",))
    assert preferences.preferences_of(uow, me) == saved
    assert _audited(db, me.player_id()) == 1
    # The same choice again changes nothing and records nothing.
    preferences.update_preferences(uow, me, now, language="pl")
    assert _audited(db, me.player_id()) == 1


def test_toggling_a_favourite_stars_and_unstars_it(
    db: Database, uow: UnitOfWork, now: datetime, register: Callable[..., UserView], games: dict[str, Round]
) -> None:
    me = Actor.player(register("stars@example.com").id)
    first, second = sorted(games)[:2]
    preferences.toggle_favourite(uow, me, now, first)
    assert preferences.toggle_favourite(uow, me, now, second).favourite_games == (first, second)
    assert preferences.toggle_favourite(uow, me, now, first).favourite_games == (second,)
    assert _audited(db, me.player_id()) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"language": "de"},
        {"language": ""},
        {"time_zone": "Mars/Olympus_Mons"},
        {"favourite_games": ("no-such-game",)},
        {"favourite_games": ("lotto649", "lotto649")},
        {"favourite_games": ("lotto649",) * (MAX_FAVOURITES + 1)},
    ],
)
def test_a_bad_value_raises_invalid_input_and_changes_nothing(
    db: Database,
    uow: UnitOfWork,
    now: datetime,
    register: Callable[..., UserView],
    games: dict[str, Round],
    change: dict[str, object],
) -> None:
    me = Actor.player(register("bad@example.com").id)
    before = preferences.update_preferences(uow, me, now, language="en", time_zone="UTC")
    with pytest.raises(InvalidInput):
        # A valid change beside the bad one is not kept either.
        preferences.update_preferences(
            uow, me, now, **{"language": "pl", "time_zone": "Europe/London", **change}
        )  # type: ignore[arg-type]
    assert preferences.preferences_of(uow, me) == before
    assert _audited(db, me.player_id()) == 1


def test_the_change_and_its_audit_record_share_one_transaction(
    db: Database,
    uow: UnitOfWork,
    now: datetime,
    register: Callable[..., UserView],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = Actor.player(register("atomic@example.com").id)

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        preferences.update_preferences(uow, me, now, language="pl")
    monkeypatch.undo()
    assert preferences.preferences_of(uow, me) == Preferences()
    assert count_rows(db, "player_preferences") == 0


def test_another_players_preferences_are_unreachable(
    uow: UnitOfWork, now: datetime, register: Callable[..., UserView]
) -> None:
    alice = Actor.player(register("alice@example.com").id)
    bob = Actor.player(register("bob@example.com").id)
    preferences.update_preferences(uow, alice, now, language="pl", time_zone="Europe/Warsaw")
    # Each call's subject is the caller: there is no argument naming another player.
    for fn in (preferences.preferences_of, preferences.update_preferences, preferences.toggle_favourite):
        assert not {"user_id", "player_id", "subject"} & set(inspect.signature(fn).parameters)
    assert preferences.preferences_of(uow, bob) == Preferences()
    preferences.update_preferences(uow, bob, now, language="en")
    assert preferences.preferences_of(uow, alice) == Preferences("pl", "Europe/Warsaw", ())
    for outsider in (Actor.anonymous(), Actor.operator(alice.player_id(), "support")):
        with pytest.raises(PermissionDenied):
            preferences.preferences_of(uow, outsider)
        with pytest.raises(PermissionDenied):
            preferences.update_preferences(uow, outsider, now, language="en")
