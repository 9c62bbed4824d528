"""Registration: a player and their cash account in one transaction, or nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from casino_app.domain.errors import (
    DomainError,
    InvalidEmail,
    InvalidInput,
    TermsNotAccepted,
    TooManyAttempts,
    Underage,
    WeakPassword,
)
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import registration as signup
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import wallet
from tests.support import PASSWORD, count_rows, registration, scalar


def test_registration_creates_a_player_with_an_empty_cash_account(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    user = signup.register_player(uow, registration(" New.Player@Example.COM "), now)
    assert user.email == "new.player@example.com"
    assert (user.role, user.currency, user.previous_login_at) == ("player", "EUR", None)
    assert count_rows(db, "users") == 1
    assert count_rows(db, "accounts", f"owner_id = {user.id} AND kind = 'player_cash'") == 1
    assert wallet.cash_balance(uow, user.id).minor == 0


def test_registration_stores_personal_data_sealed_and_consent_versions(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    cmd = registration(
        "sealed@example.com", full_name="Ada  Lovelace", country="gb", phone="+44 20 7946 0000"
    )
    user = signup.register_player(uow, cmd, now)
    with uow.reader() as r:
        row = r.session.get(User, user.id)
        assert row is not None
    for column in ("email_enc", "full_name_enc", "birth_date_enc", "phone_enc"):
        stored = getattr(row, column)
        assert stored and stored.startswith("e1."), column
    assert "sealed@example.com" not in str(row.model_dump())
    assert "Lovelace" not in str(row.model_dump())
    assert (row.country, row.terms_version, row.privacy_version) == ("GB", "2026-01", "2026-01")
    view = accounts.account_view(uow, Actor.player(user.id))
    assert (view.full_name, view.phone, view.birth_date) == ("Ada Lovelace", "+442079460000", "1990-01-01")
    assert not view.email_verified


def test_password_is_stored_as_an_argon2id_hash_not_plain_text(
    db: Database, register: Callable[..., UserView]
) -> None:
    user = register("hash@example.com")
    stored = str(scalar(db, "SELECT password_hash FROM users WHERE id = :id", id=user.id))
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("second", ["taken@example.com", "TAKEN@Example.com", " taken@example.com"])
def test_a_taken_email_in_any_case_creates_nothing_and_only_mails_its_owner(
    db: Database, register: Callable[..., UserView], second: str
) -> None:
    register("taken@example.com")
    assert register(second) is None  # the same answer as a new address at every entry point
    assert count_rows(db, "users") == 1
    assert count_rows(db, "accounts") == 1
    assert count_rows(db, "mail_outbox", "kind = 'verify_email'") == 1
    assert count_rows(db, "mail_outbox", "kind = 'account_exists'") == 1


def test_registrations_are_limited_per_client_address_with_a_clear_error(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    """Issue 14.7: 30 accounts in 0.8 s from one address; now 10 an hour, taken addresses included."""
    office = ClientInfo("203.0.113.20", "Firefox")
    signup.register_player(uow, registration("first@example.com"), now, ClientInfo("198.51.100.2"))
    for i in range(limits.REGISTRATION_LIMIT.attempts):
        email = "first@example.com" if i == 5 else f"burst{i}@example.com"  # a taken one counts too
        signup.register_player(uow, registration(email), now + timedelta(seconds=i), office)
    users = count_rows(db, "users")
    with pytest.raises(TooManyAttempts, match="Too many new accounts from your network") as err:
        signup.register_player(uow, registration("one-more@example.com"), now + timedelta(seconds=30), office)
    assert err.value.retry_after > 0
    assert count_rows(db, "users") == users  # nothing written
    signup.register_player(uow, registration("elsewhere@example.com"), now, ClientInfo("198.51.100.3"))
    later = now + limits.REGISTRATION_LIMIT.window + timedelta(seconds=1)
    assert signup.register_player(uow, registration("one-more@example.com"), later, office) is not None


@pytest.mark.parametrize(
    ("email", "password", "birth", "fields", "error"),
    [
        ("kid@example.com", PASSWORD, date(2008, 3, 2), {}, Underage),
        ("future@example.com", PASSWORD, date(2030, 1, 1), {}, Underage),
        ("weak@example.com", "short-pass", date(1990, 1, 1), {}, WeakPassword),
        ("common@example.com", "qwerty123456", date(1990, 1, 1), {}, WeakPassword),
        ("bob.builder@example.com", "I-am-bob.builder-99", date(1990, 1, 1), {}, WeakPassword),
        ("brand@example.com", "my-Kasyno-Lotto-pass", date(1990, 1, 1), {}, WeakPassword),
        ("not-an-email", PASSWORD, date(1990, 1, 1), {}, InvalidEmail),
        ("noname@example.com", PASSWORD, date(1990, 1, 1), {"full_name": "   "}, InvalidInput),
        ("long@example.com", PASSWORD, date(1990, 1, 1), {"full_name": "x" * 101}, InvalidInput),
        ("ctrl@example.com", PASSWORD, date(1990, 1, 1), {"full_name": "Eve\x00"}, InvalidInput),
        ("land@example.com", PASSWORD, date(1990, 1, 1), {"country": "XX"}, InvalidInput),
        ("phone@example.com", PASSWORD, date(1990, 1, 1), {"phone": "12"}, InvalidInput),
        ("terms@example.com", PASSWORD, date(1990, 1, 1), {"terms_version": ""}, TermsNotAccepted),
        ("old@example.com", PASSWORD, date(1990, 1, 1), {"privacy_version": "2020-01"}, TermsNotAccepted),
    ],
    ids=[
        "under-18",
        "born-in-future",
        "short-password",
        "common-password",
        "password-contains-email",
        "password-contains-brand",
        "bad-email",
        "empty-name",
        "oversized-name",
        "control-character-in-name",
        "unknown-country",
        "bad-phone",
        "terms-not-accepted",
        "outdated-privacy-version",
    ],
)
def test_invalid_registration_raises_a_typed_error_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    now: datetime,
    email: str,
    password: str,
    birth: date,
    fields: dict[str, str],
    error: type[DomainError],
) -> None:
    with pytest.raises(error):
        signup.register_player(uow, registration(email, password, birth, **fields), now)
    assert count_rows(db, "users") == 0
    assert count_rows(db, "accounts") == 0
    assert count_rows(db, "mail_outbox") == 0


def test_markup_in_a_name_is_kept_as_text(db: Database, uow: UnitOfWork, now: datetime) -> None:
    name = '<script>alert("x")</script> Bobby'
    user = signup.register_player(uow, registration("markup@example.com", full_name=name), now)
    assert accounts.account_view(uow, Actor.player(user.id)).full_name == name


def test_player_who_turns_18_on_registration_day_is_accepted(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    birth = now.date().replace(year=now.year - 18)
    signup.register_player(uow, registration("adult@example.com", birth=birth), now)
    assert count_rows(db, "users") == 1


def test_registration_sends_a_verification_mail_and_is_audited(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    user = signup.register_player(uow, registration("mail@example.com"), now)
    assert count_rows(db, "mail_outbox", f"user_id = {user.id} AND kind = 'verify_email'") == 1
    assert count_rows(db, "action_tokens", f"user_id = {user.id} AND purpose = 'verify_email'") == 1
    assert count_rows(db, "audit_log", f"action = 'auth.register' AND subject = 'user:{user.id}'") == 1


def test_registration_signs_nobody_in_and_is_no_login(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    """The player signs in with their password: a taken address must get the same answer."""
    user = register("fresh@example.com")
    assert count_rows(db, "user_sessions") == 0
    assert scalar(db, "SELECT last_login_at FROM users WHERE id = :id", id=user.id) is None
    signed = signin.authenticate(uow, "fresh@example.com", PASSWORD, now)
    assert signed.previous_login_at is None and signed.id == user.id
