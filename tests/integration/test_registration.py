"""Registration: a player and their cash account in one transaction, or nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from casino_app.domain.errors import (
    DomainError,
    EmailTaken,
    InvalidEmail,
    Underage,
    WeakPassword,
)
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import identity, wallet
from casino_app.services.dto import UserView
from tests.support import PASSWORD, count_rows, scalar


def test_registration_creates_a_player_with_an_empty_cash_account(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    cmd = identity.RegisterPlayer(" New.Player@Example.COM ", PASSWORD, date(1990, 1, 1), "EUR")
    user = identity.register_player(uow, cmd, now)
    assert user.email == "new.player@example.com"
    assert (user.role, user.currency, user.previous_login_at) == ("player", "EUR", None)
    assert count_rows(db, "users") == 1
    assert count_rows(db, "accounts", f"owner_id = {user.id} AND kind = 'player_cash'") == 1
    assert wallet.cash_balance(uow, user.id).minor == 0


def test_password_is_stored_as_an_argon2id_hash_not_plain_text(
    db: Database, register: Callable[..., UserView]
) -> None:
    user = register("hash@example.com")
    stored = str(scalar(db, "SELECT password_hash FROM users WHERE id = :id", id=user.id))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("second", ["taken@example.com", "TAKEN@Example.com", " taken@example.com"])
def test_duplicate_email_in_any_case_is_refused_and_writes_nothing(
    db: Database, register: Callable[..., UserView], second: str
) -> None:
    register("taken@example.com")
    with pytest.raises(EmailTaken):
        register(second)
    assert count_rows(db, "users") == 1
    assert count_rows(db, "accounts") == 1


@pytest.mark.parametrize(
    ("email", "password", "birth", "error"),
    [
        ("kid@example.com", PASSWORD, date(2008, 3, 2), Underage),
        ("future@example.com", PASSWORD, date(2030, 1, 1), Underage),
        ("weak@example.com", "short-pass", date(1990, 1, 1), WeakPassword),
        ("not-an-email", PASSWORD, date(1990, 1, 1), InvalidEmail),
    ],
    ids=["under-18", "born-in-future", "weak-password", "bad-email"],
)
def test_invalid_registration_raises_a_typed_error_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    now: datetime,
    email: str,
    password: str,
    birth: date,
    error: type[DomainError],
) -> None:
    with pytest.raises(error):
        identity.register_player(uow, identity.RegisterPlayer(email, password, birth), now)
    assert count_rows(db, "users") == 0
    assert count_rows(db, "accounts") == 0


def test_player_who_turns_18_on_registration_day_is_accepted(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    birth = now.date().replace(year=now.year - 18)
    identity.register_player(uow, identity.RegisterPlayer("adult@example.com", PASSWORD, birth), now)
    assert count_rows(db, "users") == 1
