"""The Stripe-compatible card provider against localstripe (a real HTTP server on 127.0.0.1).

A deposit succeeds and credits once; a decline moves no money; a webhook localstripe signs is
verified by our endpoint and applied once (its replay is a duplicate, a stale or forged one is
refused); status polling finds an attempt whose answer was lost; reconciliation sees Stripe
and the ledger agree, and names a refund the ledger never booked.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from casino_app.adapters.clock import FixedClock
from casino_app.adapters.payments.demo import DemoCardProvider
from casino_app.adapters.payments.stripe import TEST_APPROVE, TEST_DECLINE, StripeProvider
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import PaymentDeclined
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments import signatures
from casino_app.domain.payments.errors import InvalidSignature, MalformedWebhook, ProviderTimeout
from casino_app.domain.payments.ports import DepositRequest, PaymentProviders, RefundRequest
from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts import registration as registration_service
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import wallet
from casino_app.services.payments import reconciliation
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from tests.payments.stripe.serving import RecordingApp
from tests.support import confirm_email, count_rows, make_wiring, registration, scalar, stepped_up_operator

API_KEY = "sk_test_kasyno"
SECRET = "whsec_kasyno_test"
SYSTEM = Actor.system("test")
EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed"]
APPLIED = "outcome = 'applied'"


class AnswerLost(httpx.HTTPTransport):
    """The charge reaches Stripe, but its answer never comes back (a read timeout after the fact)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method == "POST" and request.url.path == "/v1/payment_intents":
            response.read()
            response.close()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response


def _stripe(url: str, transport: httpx.BaseTransport | None = None) -> StripeProvider:
    return StripeProvider(url, API_KEY, SECRET, transport=transport)


def _wiring(db: Database, stripe: StripeProvider, clock: FixedClock) -> Wiring:
    return make_wiring(db, clock=clock, payments=PaymentProviders({stripe.name: stripe}, stripe.name))


def _player(wiring: Wiring, email: str = "card@example.com") -> int:
    uow = wiring.uow()
    user = registration_service.register_player(uow, registration(email), wiring.now())
    confirm_email(uow, user.id, wiring.now())
    return user.id


def _deposit(wiring: Wiring, player: int, order: str, token: str, amount: int = 25_00) -> object:
    cmd = deposits.Deposit(order, amount, "EUR", token, provider="stripe")
    return deposits.deposit(wiring.uow(), Actor.player(player), cmd, wiring.now())


def _intents(url: str) -> list[dict]:
    answer = httpx.get(f"{url}/v1/payment_intents", params={"limit": "100"}, auth=(API_KEY, ""))
    return answer.json()["data"]


@pytest.fixture
def real_clock() -> FixedClock:
    """localstripe signs with the real time: the wiring's clock starts at it (tests move it)."""
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


def test_a_card_deposit_through_stripe_credits_the_player_once(
    db: Database, localstripe: str, real_clock: FixedClock
) -> None:
    stripe = _stripe(localstripe)
    wiring = _wiring(db, stripe, real_clock)
    player = _player(wiring)
    result = _deposit(wiring, player, "stripe-ok-1", TEST_APPROVE)
    again = _deposit(wiring, player, "stripe-ok-1", TEST_APPROVE)  # the same order: no second charge
    assert result.status == again.status == "approved"  # type: ignore[attr-defined]
    assert wallet.cash_balance(wiring.uow(), player).minor == 25_00
    [intent] = _intents(localstripe)
    assert (intent["status"], intent["amount"], intent["currency"]) == ("succeeded", 25_00, "eur")
    assert intent["metadata"] == {
        "order_id": "stripe-ok-1",
        "attempt_id": "stripe-ok-1:1",
        "customer_ref": intent["metadata"]["customer_ref"],
    }
    assert (
        scalar(db, "SELECT provider_reference FROM payments WHERE order_id = 'stripe-ok-1'") == intent["id"]
    )
    assert (
        scalar(db, "SELECT brand || ' ' || last4 FROM payment_cards WHERE provider = 'stripe'") == "visa 4242"
    )
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1


def test_a_declined_card_is_refused_and_moves_no_money(
    db: Database, localstripe: str, real_clock: FixedClock
) -> None:
    wiring = _wiring(db, _stripe(localstripe), real_clock)
    player = _player(wiring)
    with pytest.raises(PaymentDeclined):
        _deposit(wiring, player, "stripe-no-1", TEST_DECLINE)
    assert scalar(db, "SELECT status FROM payments WHERE order_id = 'stripe-no-1'") == "declined"
    # a plain card_declined is a hard decline: one attempt, not failed over
    assert scalar(db, "SELECT status FROM payment_attempts") == "declined"
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 0
    assert wallet.cash_balance(wiring.uow(), player).minor == 0
    [intent] = _intents(localstripe)
    assert (
        intent["status"] == "requires_payment_method"
        and intent["last_payment_error"]["code"] == "card_declined"
    )


def _register_webhook(localstripe: str, url: str) -> None:
    body = {"url": f"{url}/api/webhooks/stripe", "secret": SECRET, "events": EVENTS}
    httpx.post(f"{localstripe}/_config/webhooks/kasyno", json=body, timeout=5).raise_for_status()


def _wait_for(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_stripe_webhook_is_verified_and_applied_once_and_its_replays_are_refused(
    db: Database, localstripe: str, real_clock: FixedClock, served_api: Callable[[object], str]
) -> None:
    stripe = _stripe(localstripe, AnswerLost())
    wiring = _wiring(db, stripe, real_clock)
    recorder = RecordingApp(create_api(wiring))
    url = served_api(recorder)
    _register_webhook(localstripe, url)
    player = _player(wiring)
    with pytest.raises(ProviderTimeout):  # charged at Stripe, but we never heard: pending
        _deposit(wiring, player, "stripe-hook-1", TEST_APPROVE, 40_00)
    assert scalar(db, "SELECT status FROM payments WHERE order_id = 'stripe-hook-1'") == "pending"
    _wait_for(lambda: count_rows(db, "payment_webhook_events", APPLIED) == 1)  # localstripe's signed event
    assert scalar(db, "SELECT status FROM payments WHERE order_id = 'stripe-hook-1'") == "approved"
    assert wallet.cash_balance(wiring.uow(), player).minor == 40_00
    # (events of earlier tests' intents may be delivered here too: they match no payment, ignored)
    [(headers, body)] = [(h, b) for h, b in recorder.received if b"stripe-hook-1" in b]
    assert headers["stripe-signature"].startswith("t=")
    signed = {"Stripe-Signature": headers["stripe-signature"], "Content-Type": "application/json"}
    with httpx.Client(base_url=url, timeout=10) as api:
        replay = api.post("/api/webhooks/stripe", content=body, headers=signed)
        assert (replay.status_code, replay.json()["outcome"]) == (200, "duplicate")
        forged = api.post("/api/webhooks/stripe", content=body.replace(b"4000", b"9000"), headers=signed)
        assert forged.status_code == 401
        signed_at = int(headers["stripe-signature"].split(",")[0].removeprefix("t="))
        real_clock.advance(seconds=signed_at + 301 - real_clock.now().timestamp())
        stale = api.post("/api/webhooks/stripe", content=body, headers=signed)
        assert stale.status_code == 401
    assert count_rows(db, "payment_webhook_events", APPLIED) == 1
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1
    assert wallet.cash_balance(wiring.uow(), player).minor == 40_00


def test_status_polling_finds_an_attempt_whose_answer_was_lost(localstripe: str) -> None:
    stripe = _stripe(localstripe, AnswerLost())
    request = DepositRequest(
        "poll-1",
        "poll-1:1",
        12_00,
        "EUR",
        PaymentMethodKind.CARD,
        "MT",
        "player-9",
        "",
        card_token=TEST_APPROVE,
    )
    with pytest.raises(ProviderTimeout):
        stripe.create_deposit(request)
    seen = stripe.status("poll-1:1")
    assert (seen.status, seen.order_id, seen.amount_minor, seen.currency) == (
        "succeeded",
        "poll-1",
        12_00,
        "EUR",
    )
    with pytest.raises(Exception, match="no payment for attempt"):
        stripe.status("poll-1:2")


def test_stripe_signatures_are_checked_before_the_body_is_read(localstripe: str) -> None:
    stripe = _stripe(localstripe)
    now = datetime.now(UTC)
    t = int(now.timestamp())
    event = json.dumps(
        {"id": "evt_1", "type": "customer.created", "created": t, "data": {"object": {}}}
    ).encode()
    good = signatures.signature_header(SECRET, t, event)
    with pytest.raises(MalformedWebhook):  # signed, but not about a payment
        stripe.parse_webhook({"Stripe-Signature": good}, event, now)
    for header in (
        "",
        f"t={t}",
        good.replace("v1=", "v1=0"),
        signatures.signature_header("whsec_other", t, event),
    ):
        with pytest.raises(InvalidSignature):
            stripe.parse_webhook({"Stripe-Signature": header}, event, now)
    with pytest.raises(InvalidSignature):
        stripe.parse_webhook({"Stripe-Signature": good}, event, now + timedelta(seconds=301))
    with pytest.raises(InvalidSignature):
        stripe.parse_webhook({"Stripe-Signature": good}, b"not json", now)


def test_reconciliation_sees_stripe_and_the_ledger_agree_and_names_a_refund_the_ledger_lacks(
    db: Database, localstripe: str, real_clock: FixedClock
) -> None:
    stripe = _stripe(localstripe)
    wiring = _wiring(db, stripe, real_clock)
    player = _player(wiring)
    _deposit(wiring, player, "stripe-rec-1", TEST_APPROVE, 30_00)
    with pytest.raises(PaymentDeclined):
        _deposit(wiring, player, "stripe-rec-2", TEST_DECLINE, 30_00)
    later = real_clock.now() + timedelta(minutes=10)
    clean = reconciliation.reconcile(wiring.uow(), SYSTEM, "stripe", later, since=later - timedelta(hours=1))
    assert (clean.reported, clean.booked, clean.mismatches, clean.error) == (2, 1, 0, "")
    intent = next(i for i in _intents(localstripe) if i["status"] == "succeeded")
    refunded = stripe.refund(RefundRequest("refund-1", intent["id"], 5_00, "EUR"))
    assert refunded.status == "succeeded"
    run = reconciliation.reconcile(wiring.uow(), SYSTEM, "stripe", later, since=later - timedelta(hours=1))
    assert run.mismatches == 1
    [item] = reconciliation.open_items(wiring.uow(), Actor.operator(1, "finance"))
    assert (item.kind, item.direction, item.provider_reference) == (
        "missing_in_ledger",
        "refund",
        refunded.provider_reference,
    )
    assert '"amount_minor": 500' in item.evidence


def test_a_player_who_paid_by_stripe_is_paid_out_through_the_next_provider(
    db: Database, localstripe: str, real_clock: FixedClock
) -> None:
    """Stripe pays no players (that needs Connect): the payout asks, learns Stripe never took it,
    and goes to the next provider with a new attempt id."""
    stripe, demo = _stripe(localstripe), DemoCardProvider()
    providers = PaymentProviders({stripe.name: stripe, demo.name: demo}, demo.name)
    wiring = make_wiring(db, clock=real_clock, payments=providers)
    player = _player(wiring)
    _deposit(wiring, player, "stripe-out-1", TEST_APPROVE, 50_00)
    with wiring.uow() as u:
        _, session_id = sessions.open_browser_session(
            u, player, ClientInfo("192.0.2.9"), wiring.now(), step_up=True
        )
        u.commit()
    me = Actor.player(player, session_id)
    w = withdrawals.request_withdrawal(wiring.uow(), me, 20_00, "wd-stripe", wiring.now())
    finance = stepped_up_operator(wiring.uow(), "finance", wiring.now())
    paid = withdrawals.resolve_withdrawal(wiring.uow(), finance, w.id, "paid", now=wiring.now())
    assert (paid.status, paid.payout_provider) == ("paid", "demo")
    assert scalar(db, "SELECT providers || ' ' || attempt FROM payouts") == "stripe,demo 2"
    assert "stripe" in str(scalar(db, "SELECT failure_reason FROM payouts"))
    assert [i["status"] for i in _intents(localstripe)] == ["succeeded"]  # the deposit: no second charge
