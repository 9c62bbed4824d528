"""Withdrawals (issue 14.8): a confirmed email before the first one; a fresh code from the operator who pays.

Paying moves money out of the platform, so the paying operator's own session must have
confirmed a TOTP code in the last 5 minutes (the `require_step_up` players use); a
withdrawal from an address nobody confirmed is refused with a typed error, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import EmailNotVerified, InvalidCode, StepUpRequired
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import wallet
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import PASSWORD, count_rows, mailed_token, stepped_up_operator

DESK = ClientInfo("192.0.2.70", "Firefox")
SHELL = Actor.system("test")


def _stepped_up(uow: UnitOfWork, user_id: int, now: datetime) -> Actor:
    with uow:
        _, session_id = sessions.open_browser_session(uow, user_id, DESK, now, step_up=True)
        uow.commit()
    return Actor.player(user_id, session_id)


def _unconfirmed_player(uow: UnitOfWork, register: Callable[..., UserView], now: datetime) -> UserView:
    from casino_app.adapters.sandbox_payments import APPROVE_TOKEN

    user = register("unconfirmed@example.com")
    deposits.deposit(uow, Actor.player(user.id), deposits.Deposit("o-1", 50_00, "EUR", APPROVE_TOKEN), now)
    return user


def _operator_with_totp(uow: UnitOfWork, now: datetime) -> tuple[Actor, str]:
    """A finance operator signed in with a code at `now` (their session is stepped up until now + 5 min)."""
    op = registration.create_operator(uow, SHELL, "payer@example.com", PASSWORD, "finance", now)
    secret = totp.new_secret()
    mfa.enroll_demo_secret(uow, op.id, secret, now)
    code = totp.code_at(secret, totp.time_step(now))
    signed = signin.sign_in(
        uow, signin.verify_password(uow, op.email, PASSWORD, now, DESK), now, DESK, code=code
    )
    return Actor.operator(op.id, "finance", signed.session_id), secret


def test_a_withdrawal_needs_a_confirmed_email_and_writes_nothing_before(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = _unconfirmed_player(uow, register, now)
    me = _stepped_up(uow, user.id, now)
    with pytest.raises(EmailNotVerified) as err:
        withdrawals.request_withdrawal(uow, me, 10_00, "wd-1", now)
    assert err.value.code == "email_not_verified" and "confirm your email" in err.value.message
    assert count_rows(db, "withdrawals") == 0
    assert count_rows(db, "ledger_transactions", "kind = 'withdrawal_hold'") == 0
    assert count_rows(db, "audit_log", "action = 'withdrawal.request'") == 0
    assert wallet.cash_balance(uow, user.id).minor == 50_00
    accounts.confirm_email_link(uow, mailed_token(uow, "verify_email", user.email), now)
    assert withdrawals.request_withdrawal(uow, me, 10_00, "wd-1", now).status == "requested"


def test_paying_needs_a_code_confirmed_in_the_paying_operators_session_in_the_last_5_minutes(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player(amount_minor=40_00)
    first = withdrawals.request_withdrawal(uow, _stepped_up(uow, player.id, now), 10_00, "wd-a", now)
    second = withdrawals.request_withdrawal(uow, _stepped_up(uow, player.id, now), 10_00, "wd-b", now)
    payer, secret = _operator_with_totp(uow, now)
    assert (
        withdrawals.resolve_withdrawal(uow, payer, first.id, "paid", now=now + timedelta(minutes=4)).status
        == "paid"
    )
    later = now + timedelta(minutes=6)  # the sign-in code is no longer fresh
    with pytest.raises(StepUpRequired):
        withdrawals.resolve_withdrawal(uow, payer, second.id, "paid", now=later)
    assert withdrawals.pending_withdrawals(uow, payer)[0].id == second.id
    mfa.confirm_operator_code(uow, payer, totp.code_at(secret, totp.time_step(later)), later)
    assert withdrawals.resolve_withdrawal(uow, payer, second.id, "paid", now=later).status == "paid"
    assert count_rows(db, "audit_log", "action = 'withdrawal.paid'") == 2


def test_a_wrong_code_pays_nothing_and_another_operators_code_does_not_count(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player(amount_minor=40_00)
    w = withdrawals.request_withdrawal(uow, _stepped_up(uow, player.id, now), 10_00, "wd-c", now)
    payer, _ = _operator_with_totp(uow, now - timedelta(minutes=10))
    with pytest.raises(InvalidCode):
        mfa.confirm_operator_code(uow, payer, "000000", now)
    colleague = stepped_up_operator(uow, "finance", now)  # stepped up in their own session only
    with pytest.raises(StepUpRequired):
        withdrawals.resolve_withdrawal(uow, payer, w.id, "paid", now=now)
    assert [x.id for x in withdrawals.pending_withdrawals(uow, colleague)] == [w.id]
    assert count_rows(db, "audit_log", "action = 'mfa.code_failed'") == 1


def test_a_rejection_returns_the_cash_without_a_fresh_code(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Only money leaving the platform needs the code; a rejection puts it back in the player's cash."""
    player = funded_player(amount_minor=40_00)
    w = withdrawals.request_withdrawal(uow, _stepped_up(uow, player.id, now), 10_00, "wd-d", now)
    payer, _ = _operator_with_totp(uow, now - timedelta(minutes=10))
    rejected = withdrawals.resolve_withdrawal(uow, payer, w.id, "rejected", now=now, reason="name mismatch")
    assert rejected.status == "rejected"
    assert wallet.cash_balance(uow, player.id).minor == 40_00


def test_the_operators_code_confirmation_is_for_operators_only(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    from casino_app.domain.errors import PermissionDenied

    player = funded_player(amount_minor=10_00)
    with pytest.raises(PermissionDenied):
        mfa.confirm_operator_code(uow, _stepped_up(uow, player.id, now), "123456", now)
