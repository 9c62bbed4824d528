"""Login: the previous login time is shown; every failure looks the same."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import InvalidCredentials
from casino_app.persistence.db import Database
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.sessions import signin
from tests.support import PASSWORD


def test_each_login_shows_the_time_of_the_previous_one(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("login@example.com")  # registering signs nobody in
    first_at, second_at = now + timedelta(hours=1), now + timedelta(hours=3)
    first = signin.authenticate(uow, "login@example.com", PASSWORD, first_at)
    assert first.id == user.id
    assert first.previous_login_at is None
    second = signin.authenticate(uow, "  LOGIN@example.com ", PASSWORD, second_at)
    assert second.previous_login_at == first_at
    third = signin.authenticate(uow, "login@example.com", PASSWORD, second_at + timedelta(days=1))
    assert third.previous_login_at == second_at
    assert _last_login(uow, user.id) == second_at + timedelta(days=1)


def test_login_times_are_stored_as_utc(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("utc@example.com")
    signin.authenticate(uow, "utc@example.com", PASSWORD, now)
    signin.authenticate(uow, "utc@example.com", PASSWORD, now + timedelta(minutes=1))
    view = signin.authenticate(uow, "utc@example.com", PASSWORD, now + timedelta(minutes=2))
    assert view.previous_login_at is not None
    assert view.previous_login_at.utcoffset() == timedelta(0)


def test_wrong_password_and_unknown_email_fail_with_the_same_message(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("known@example.com")
    with pytest.raises(InvalidCredentials) as wrong_password:
        signin.authenticate(uow, "known@example.com", PASSWORD + "x", now)
    with pytest.raises(InvalidCredentials) as unknown_email:
        signin.authenticate(uow, "nobody@example.com", PASSWORD, now)
    with pytest.raises(InvalidCredentials) as malformed_email:
        signin.authenticate(uow, "not an email", PASSWORD, now)
    assert wrong_password.value.message == unknown_email.value.message
    assert malformed_email.value.message == unknown_email.value.message
    assert type(wrong_password.value) is type(unknown_email.value)


def test_failed_login_does_not_record_a_login(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("nolog@example.com")
    before = _last_login(uow, user.id)
    with pytest.raises(InvalidCredentials):
        signin.authenticate(uow, "nolog@example.com", "wrong-password-123", now + timedelta(hours=1))
    assert _last_login(uow, user.id) == before
    later = signin.authenticate(uow, "nolog@example.com", PASSWORD, now + timedelta(hours=2))
    assert later.previous_login_at == before


def _last_login(uow: UnitOfWork, user_id: int) -> datetime | None:
    with uow.reader() as r:
        user = r.session.get(User, user_id)
        assert user is not None
        return user.last_login_at
