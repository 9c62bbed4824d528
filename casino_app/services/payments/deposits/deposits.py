"""Deposits: through a provider's page (card form, bank, e-wallet) or charged to a card on file.

The deposit checks (responsible gaming: blocks and deposit limits) run when the payment is
recorded (`attempts.open_payment`), before any provider is called: a refused deposit writes
nothing and calls no provider. The ledger moves only when the provider confirms success, once
per order id (`states.py`), whether that word comes as a direct answer, a webhook or a poll.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from casino_app.domain.errors import InvalidAmount, InvalidInput, PaymentDeclined
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.errors import NoPaymentRoute, ProviderTimeout
from casino_app.domain.payments.ports import (
    MAX_DEPOSIT_MINOR,
    MIN_DEPOSIT_MINOR,
    DepositRequest,
    PaymentProvider,
)
from casino_app.domain.payments.vocabulary import PaymentMethodKind, PaymentStatus
from casino_app.persistence.tables import Payment, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import DepositResult, MoneyLine
from casino_app.services.money import ledger
from casino_app.services.payments.deposits import attempts, cards
from casino_app.services.payments.deposits.attempts import Order
from casino_app.services.security import crypto


@dataclass(frozen=True)
class Deposit:
    """A charge of a card on file (`method_token`) of the acting player; `provider` names one of the
    wiring's (None: the card's own provider, else the default)."""

    order_id: str
    amount_minor: int
    currency: str
    method_token: str
    provider: str | None = None


@dataclass(frozen=True)
class StartDeposit:
    """A deposit through a provider's page: the player is sent there and comes back to `return_url`."""

    order_id: str
    amount_minor: int
    currency: str
    method: str  # a PaymentMethodKind value
    return_url: str


@dataclass(frozen=True)
class DepositStarted:
    order_id: str
    status: str  # pending (go to `redirect_url`) | approved
    redirect_url: str
    amount: MoneyLine
    message: str


def _validate(order_id: str, amount: int, currency: str) -> None:
    if not order_id or len(order_id) > 64 or not order_id.isprintable():
        raise InvalidInput("A deposit needs an order id of 1 to 64 characters.")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < MIN_DEPOSIT_MINOR:
        raise InvalidAmount(f"The minimum deposit is {money_line(MIN_DEPOSIT_MINOR, currency).text}.")
    if amount > MAX_DEPOSIT_MINOR:
        raise InvalidAmount(f"The maximum deposit is {money_line(MAX_DEPOSIT_MINOR, currency).text}.")


@authz.guard("player.wallet")
def deposit(uow: UnitOfWork, actor: Actor, cmd: Deposit, now: datetime) -> DepositResult:
    """Charge a card on file and credit the acting player's cash once, idempotent on `order_id`.

    Raises:
        PermissionDenied: the actor is not a signed-in player.
        InvalidAmount: below the minimum or above the maximum; nothing is written.
        InvalidInput: another currency than the wallet's, an order id of another deposit, or a
            card that is not the player's.
        TimedOut, SelfExcluded, LimitExceeded: refused by responsible gaming before the provider is called.
        PaymentDeclined: the provider declined; the attempt is recorded, no money moves.
        ProviderTimeout: the provider did not answer; polling settles the payment later.
    """
    player_id = actor.player_id()
    _validate(cmd.order_id, cmd.amount_minor, cmd.currency)
    provider = _card_provider(uow, player_id, cmd)
    order = Order(cmd.order_id, player_id, cmd.amount_minor, cmd.currency, PaymentMethodKind.CARD)
    payment = attempts.open_payment(uow, order, now)
    if payment.status == PaymentStatus.PENDING and payment.attempts == 0:
        request = _request_maker(uow, payment, "", cmd.method_token)
        outcome = attempts.try_providers(uow, actor, payment, [provider], request, now)
        payment = outcome.payment if outcome.ours else _in_flight(uow, outcome.payment)
    elif payment.status == PaymentStatus.PENDING:
        payment = _in_flight(uow, payment)
    if payment.status == PaymentStatus.DECLINED:
        raise PaymentDeclined(payment.decline_reason or "The payment was declined.")
    if payment.status == PaymentStatus.PENDING:
        raise ProviderTimeout(attempts.UNKNOWN_OUTCOME)
    return _result(uow, payment)


IN_FLIGHT_WAIT_SECONDS = 3.0


def _in_flight(uow: UnitOfWork, payment: Payment) -> Payment:
    """A duplicate of a deposit another request is charging answers with that charge's outcome:
    it waits a few seconds for it (a card charge answers in well under that), else stays pending."""
    deadline = time.monotonic() + IN_FLIGHT_WAIT_SECONDS
    while payment.status == PaymentStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.02)
        payment = attempts.refresh(uow, payment)
    return payment


def _card_provider(uow: UnitOfWork, player_id: int, cmd: Deposit) -> PaymentProvider:
    """The provider that issued the card on file, or a provider's published test card."""
    providers = uow.context.payments
    with uow.reader() as r:
        card = cards.card_of(r.session, player_id, cmd.method_token)
    if card is not None and cmd.provider in (None, card.provider):
        return providers.get(card.provider)
    provider = providers.get(cmd.provider)
    test_cards = getattr(provider, "test_cards", None)
    if test_cards is None or cmd.method_token not in {c.token for c, _ in test_cards()}:
        raise InvalidInput("Choose one of your saved cards, or pay through the provider's page.")
    return provider


@authz.guard("player.wallet")
def start_deposit(uow: UnitOfWork, actor: Actor, cmd: StartDeposit, now: datetime) -> DepositStarted:
    """Record a deposit and open it at the first provider that takes it (failover on soft
    declines, timeouts and provider errors); the player goes on to `redirect_url`.

    Raises:
        PermissionDenied, InvalidAmount, InvalidInput, TimedOut, SelfExcluded, LimitExceeded: as `deposit`.
        NoPaymentRoute: no provider serves this method in the wallet's currency and country.
        PaymentDeclined: a hard decline, or every provider declined.
        ProviderTimeout: no provider answered; the payment is settled by polling.
    """
    player_id = actor.player_id()
    _validate(cmd.order_id, cmd.amount_minor, cmd.currency)
    method = _method(cmd.method)
    _check_return_url(uow, cmd.return_url)
    providers = uow.context.payments.candidates(method, cmd.currency, _country(uow, player_id))
    if not providers:
        raise NoPaymentRoute("This payment method is not available for your wallet.")
    order = Order(cmd.order_id, player_id, cmd.amount_minor, cmd.currency, method)
    payment = attempts.open_payment(uow, order, now)
    redirect = ""
    if payment.status == PaymentStatus.PENDING and payment.attempts == 0:
        request = _request_maker(uow, payment, cmd.return_url, "")
        outcome = attempts.try_providers(uow, actor, payment, providers, request, now)
        payment, redirect = outcome.payment, outcome.redirect_url
    return _started(payment, redirect)


def _started(payment: Payment, redirect: str) -> DepositStarted:
    amount = money_line(payment.amount, payment.currency)
    if payment.status == PaymentStatus.DECLINED:
        raise PaymentDeclined(payment.decline_reason or "The payment was declined.")
    if payment.status == PaymentStatus.APPROVED:
        return DepositStarted(payment.order_id, payment.status, "", amount, f"Deposited {amount.text}.")
    if not redirect:
        raise ProviderTimeout(attempts.UNKNOWN_OUTCOME)
    return DepositStarted(
        payment.order_id, payment.status, redirect, amount, "Continue on the payment provider's page."
    )


def _method(raw: str) -> PaymentMethodKind:
    try:
        return PaymentMethodKind(raw)
    except ValueError:
        raise InvalidInput("Choose a card, an instant bank transfer or an e-wallet.") from None


def _check_return_url(uow: UnitOfWork, url: str) -> None:
    """The provider sends the player back only to our own pages (no open redirect through it)."""
    own = uow.context.settings.identity.public_url.rstrip("/") + "/"
    if len(url) > 512 or not url.startswith(own):
        raise InvalidInput("The return address must be one of this site's pages.")


def _country(uow: UnitOfWork, player_id: int) -> str:
    with uow.reader() as r:
        user = r.session.get(User, player_id)
        return user.country if user is not None else ""


def _request_maker(
    uow: UnitOfWork, payment: Payment, return_url: str, token: str
) -> Callable[[str], DepositRequest]:
    """A function from an attempt id to the provider request (the same order, a new attempt).

    A card typed on the provider's page is checked against the player's name; a card on file
    was checked when it was saved.
    """
    name = "" if token else _holder_name(uow, payment.user_id)

    def request_for(attempt_id: str) -> DepositRequest:
        return DepositRequest(
            order_id=payment.order_id,
            attempt_id=attempt_id,
            amount_minor=payment.amount,
            currency=payment.currency,
            method=PaymentMethodKind(payment.method),
            country=payment.country,
            customer_ref=f"kl-{payment.user_id}",
            return_url=return_url,
            card_token=token,
            customer_name=name,
        )

    return request_for


def _holder_name(uow: UnitOfWork, player_id: int) -> str:
    """The player's name for the provider's holder-name check ("" when not given)."""
    with uow.reader() as r:
        user = r.session.get(User, player_id)
        return crypto.open_column(uow.context.keys, user, "full_name_enc") if user is not None else ""


def _result(uow: UnitOfWork, payment: Payment) -> DepositResult:
    with uow.reader() as reader:
        cash = ledger.player_cash_account(reader.session, payment.user_id, payment.currency)
        bal = ledger.balance(reader.session, cash)
    amount = money_line(payment.amount, payment.currency)
    return DepositResult(
        payment.order_id,
        payment.status,
        amount,
        money_line(bal, payment.currency),
        f"Deposited {amount.text}.",
    )
