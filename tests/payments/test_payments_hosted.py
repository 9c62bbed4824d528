"""Deposits through the sandbox payment service over HTTP: its hosted card page, an instant bank
transfer and an e-wallet, each confirmed by a signed webhook and credited exactly once."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from casino_app.domain.errors import InvalidInput
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.money import ledger, wallet
from casino_app.services.payments.deposits import cards, deposits
from tests.payments.conftest import (
    RETURN_URL,
    StackFactory,
    approve_on_page,
    pay_on_page,
    payment_status,
    wait_for,
)
from tests.support import count_rows


def _credited(db: Database, order: str) -> int:
    return count_rows(db, "ledger_transactions", f"kind = 'deposit' AND reference = '{order}'")


def test_a_card_deposit_on_the_hosted_page_is_credited_once_when_its_webhook_confirms_it(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    started = stack.start(user, "card-1", 25_00)
    assert started.status == "pending"
    assert started.redirect_url.startswith(stack.sandboxes["sandbox"].url + "/pay/")
    assert payment_status(db, "card-1") == "pending" and _credited(db, "card-1") == 0

    back = pay_on_page(started.redirect_url, name="Test Player")
    assert back.status_code == 303
    location = back.headers["location"]
    assert location.startswith(RETURN_URL + "card-1")
    assert parse_qs(urlsplit(location).query)["result"] == ["succeeded"]

    wait_for(lambda: payment_status(db, "card-1") == "approved")
    assert wallet.cash_balance(stack.wiring.uow(), user.id).minor == 25_00
    assert _credited(db, "card-1") == 1
    stack.sandboxes["sandbox"].webhooks_sent()  # every delivery is in: still credited once
    assert _credited(db, "card-1") == 1
    assert count_rows(db, "payment_webhook_events", "outcome = 'applied'") >= 1
    with stack.wiring.uow() as u:
        assert ledger.check_integrity(u.session) == []


def test_the_card_tokenized_on_the_page_is_kept_as_a_card_on_file_and_charged_directly(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    started = stack.start(user, "card-2", 10_00)
    pay_on_page(started.redirect_url)
    wait_for(lambda: payment_status(db, "card-2") == "approved")
    (card,) = cards.my_cards(stack.wiring.uow(), Actor.player(user.id))
    assert (card.provider, card.brand, card.last4, card.expiry) == ("sandbox", "visa", "4242", "12/34")
    assert card.token.startswith("tok_")

    again = deposits.deposit(
        stack.wiring.uow(),
        Actor.player(user.id),
        deposits.Deposit("card-3", 15_00, "EUR", card.token),
        stack.now(),
    )
    assert (again.status, again.balance.minor) == ("approved", 25_00)
    assert _credited(db, "card-3") == 1
    stack.sandboxes["sandbox"].webhooks_sent()
    assert _credited(db, "card-3") == 1 and wallet.cash_balance(stack.wiring.uow(), user.id).minor == 25_00


def test_a_declined_card_on_the_hosted_page_declines_the_payment_and_moves_no_money(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    started = stack.start(user, "card-declined", 10_00)
    back = pay_on_page(started.redirect_url, number="4000000000000002")
    assert parse_qs(urlsplit(back.headers["location"]).query)["result"] == ["declined"]
    wait_for(lambda: payment_status(db, "card-declined") == "declined")
    assert count_rows(db, "ledger_transactions") == 0
    assert count_rows(db, "payment_cards") == 0  # only a card that paid is kept on file


def test_an_instant_bank_transfer_redirects_to_the_bank_and_is_credited_on_approval(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    started = stack.start(user, "bank-1", 40_00, "bank_transfer")
    assert started.redirect_url.startswith(stack.sandboxes["sandbox"].url + "/bank/")
    back = approve_on_page(started.redirect_url)
    assert back.status_code == 303 and back.headers["location"].startswith(RETURN_URL + "bank-1")
    wait_for(lambda: payment_status(db, "bank-1") == "approved")
    assert wallet.cash_balance(stack.wiring.uow(), user.id).minor == 40_00
    assert count_rows(db, "payments", "order_id = 'bank-1' AND method = 'bank_transfer'") == 1


def test_an_ewallet_payment_is_credited_when_approved_and_declined_when_cancelled(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    paid = stack.start(user, "wallet-1", 12_00, "ewallet")
    assert "/wallet/" in paid.redirect_url
    approve_on_page(paid.redirect_url)
    cancelled = stack.start(user, "wallet-2", 30_00, "ewallet")
    approve_on_page(cancelled.redirect_url, action="cancel")
    wait_for(lambda: payment_status(db, "wallet-1") == "approved")
    wait_for(lambda: payment_status(db, "wallet-2") == "declined")
    assert wallet.cash_balance(stack.wiring.uow(), user.id).minor == 12_00
    assert _credited(db, "wallet-2") == 0


def test_the_page_cannot_be_paid_twice_and_a_replayed_start_calls_no_provider_again(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    started = stack.start(user, "card-twice", 20_00)
    pay_on_page(started.redirect_url)
    wait_for(lambda: payment_status(db, "card-twice") == "approved")
    form = {"number": "4242424242424242", "exp": "12/34", "cvc": "123"}
    for second in (httpx.get(started.redirect_url), httpx.post(started.redirect_url, data=form)):
        assert second.status_code == 200 and "succeeded" in second.text and "<form" not in second.text
    with pytest.raises(InvalidInput):
        stack.start(user, "card-twice", 99_00)  # another amount under the same order id
    replay = stack.start(user, "card-twice", 20_00)
    assert replay.status == "approved"
    assert len(stack.sandboxes["sandbox"].transactions()) == 1
    assert wallet.cash_balance(stack.wiring.uow(), user.id).minor == 20_00
