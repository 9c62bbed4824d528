"""Deposits: the cash account is credited once per order, and only on an approved charge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest

from casino_app.adapters.payments.demo import APPROVE_TOKEN, DECLINE_TOKEN, DemoCardProvider
from casino_app.domain.errors import InvalidAmount, InvalidInput, PaymentDeclined, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.errors import HardDecline
from casino_app.domain.payments.ports import (
    MAX_DEPOSIT_MINOR,
    MIN_DEPOSIT_MINOR,
    CardOnFile,
    DepositCreated,
    DepositRequest,
    PaymentProviders,
)
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import DepositResult, UserView
from casino_app.services.money import ledger, wallet
from casino_app.services.payments.deposits import cashier, deposits
from tests.support import count_rows, make_wiring


def _deposit(
    uow: UnitOfWork, user: UserView, now: datetime, amount: int, order: str, token: str
) -> DepositResult:
    cmd = deposits.Deposit(order, amount, "EUR", token)
    return deposits.deposit(uow, Actor.player(user.id), cmd, now)


def _audits(db: Database, action: str) -> int:
    return count_rows(db, "audit_log", f"action = '{action}'")


def _entries(db: Database, kind: str) -> list[tuple[str, int, int | None]]:
    with db.read_engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT a.kind, e.amount, e.balance_after FROM ledger_entries e "
            "JOIN ledger_transactions t ON t.id = e.transaction_id "
            "JOIN accounts a ON a.id = e.account_id "
            f"WHERE t.kind = '{kind}' ORDER BY e.amount"
        ).all()
    return [(k, int(a), b) for k, a, b in rows]


def test_approved_deposit_credits_cash_with_a_balanced_ledger_posting(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    result = _deposit(uow, user, now, 25_00, "order-1", APPROVE_TOKEN)
    assert (result.status, result.amount.minor, result.balance.minor) == (
        "approved",
        2500,
        2500,
    )
    assert result.balance.text == "€25.00"
    view = wallet.wallet_view(uow, Actor.player(user.id))
    assert view.balance.minor == 2500
    assert [(t.kind, t.amount.minor, t.balance_after.minor) for t in view.transactions] == [
        ("deposit", 2500, 2500)
    ]
    assert _entries(db, "deposit") == [
        ("provider_clearing", -2500, -2500),
        ("player_cash", 2500, 2500),
    ]
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_same_order_id_twice_credits_once(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    first = _deposit(uow, user, now, 40_00, "order-dup", APPROVE_TOKEN)
    second = _deposit(uow, user, now, 40_00, "order-dup", APPROVE_TOKEN)
    assert first.balance.minor == second.balance.minor == 4000
    assert second.status == "approved"
    assert wallet.cash_balance(uow, user.id).minor == 4000
    assert count_rows(db, "payments") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1
    assert _audits(db, "payment.deposit") == 1  # the replay writes no second audit record


def test_declined_card_raises_and_moves_no_money(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    with pytest.raises(PaymentDeclined, match="declined"):
        _deposit(uow, user, now, 20_00, "order-declined", DECLINE_TOKEN)
    assert count_rows(db, "ledger_transactions") == 0
    assert count_rows(db, "ledger_entries") == 0
    assert count_rows(db, "payments", "status = 'declined'") == 1
    assert wallet.cash_balance(uow, user.id).minor == 0


def test_retrying_a_declined_order_does_not_charge_again_or_credit(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    with pytest.raises(PaymentDeclined):
        _deposit(uow, user, now, 20_00, "order-d2", DECLINE_TOKEN)
    with pytest.raises(PaymentDeclined):
        _deposit(uow, user, now, 20_00, "order-d2", APPROVE_TOKEN)
    assert count_rows(db, "ledger_transactions") == 0


@pytest.mark.parametrize("amount", [MIN_DEPOSIT_MINOR - 1, 0, -500, MAX_DEPOSIT_MINOR + 1])
def test_amount_outside_the_deposit_limits_is_refused_before_any_row_is_written(
    db: Database,
    uow: UnitOfWork,
    register: Callable[..., UserView],
    now: datetime,
    amount: int,
) -> None:
    user = register()
    with pytest.raises(InvalidAmount):
        _deposit(uow, user, now, amount, "order-small", APPROVE_TOKEN)
    assert count_rows(db, "payments") == 0
    assert count_rows(db, "ledger_transactions") == 0


def test_minimum_deposit_is_accepted(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    assert _deposit(uow, user, now, MIN_DEPOSIT_MINOR, "o-min", APPROVE_TOKEN).balance.minor == 500


def test_a_deposit_is_made_only_by_the_signed_in_player_and_a_refusal_is_audited(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    cmd = deposits.Deposit("order-op", 20_00, "EUR", APPROVE_TOKEN)
    for actor in (Actor.operator(user.id, "finance"), Actor.anonymous(), Actor.system()):
        with pytest.raises(PermissionDenied):
            deposits.deposit(uow, actor, cmd, now)
    assert _audits(db, "authz.denied") == 3
    assert count_rows(db, "payments") == 0


def test_a_deposit_in_another_currency_than_the_wallet_is_refused(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    with pytest.raises(InvalidInput, match="Your wallet is in EUR"):
        deposits.deposit(
            uow, Actor.player(user.id), deposits.Deposit("o-pln", 20_00, "PLN", APPROVE_TOKEN), now
        )
    assert count_rows(db, "payments") == 0


@dataclass
class _Acquirer(DemoCardProvider):
    """A second in-process provider with its own name and test card: a payment row must record it."""

    name: str = "acquirer"

    def test_cards(self) -> list[tuple[CardOnFile, str]]:
        return [(CardOnFile("tok_acq", "visa", "1111", 1, 2035, True), "Acquirer card")]

    def create_deposit(self, request: DepositRequest) -> DepositCreated:
        if request.card_token != "tok_acq":
            raise HardDecline("Unknown card.")
        return DepositCreated(f"acq-{request.attempt_id}", "succeeded")


def test_the_provider_comes_from_the_wiring_and_the_payment_records_its_name(
    db: Database, register: Callable[..., UserView], now: datetime
) -> None:
    demo = DemoCardProvider()
    providers = PaymentProviders({"acquirer": _Acquirer(), demo.name: demo}, "acquirer")
    uow = make_wiring(db, payments=providers).uow()
    user = register()
    actor = Actor.player(user.id)
    assert next(o.label for o in cashier.options(uow, actor)) == "Acquirer card"
    deposits.deposit(uow, actor, deposits.Deposit("o-acq", 20_00, "EUR", "tok_acq"), now)
    deposits.deposit(uow, actor, deposits.Deposit("o-demo", 20_00, "EUR", APPROVE_TOKEN, "demo"), now)
    with db.read_engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT order_id, provider, status FROM payments ORDER BY id").all()
    assert [tuple(r) for r in rows] == [("o-acq", "acquirer", "approved"), ("o-demo", "demo", "approved")]
    assert wallet.cash_balance(uow, user.id).minor == 40_00


def test_a_token_that_is_neither_a_card_on_file_nor_a_test_card_is_refused_before_any_row(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register()
    with pytest.raises(InvalidInput, match="saved cards"):
        _deposit(uow, user, now, 20_00, "o-forged", "tok_someone_elses_card")
    assert count_rows(db, "payments") == 0
