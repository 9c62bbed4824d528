"""What the sandbox's webhooks really do when told to misbehave: duplicate, out-of-order and late
webhooks credit once; a lost one is recovered by status polling; an attempt the provider never
received is closed by polling and its payment declined."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casino_app.adapters.payments.http import HttpPolicy
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.errors import ProviderTimeout
from casino_app.persistence.db import Database
from casino_app.services.money import wallet
from casino_app.services.payments.deposits import polling
from tests.payments.conftest import StackFactory, pay_on_page, payment_status, wait_for
from tests.support import count_rows

ALWAYS = ["--fault-rate", "1", "--faults"]
POLLER = Actor.system("payments")


def _deposits(db: Database) -> int:
    return count_rows(db, "ledger_transactions", "kind = 'deposit'")


def test_duplicated_webhooks_credit_once(db: Database, payment_stack: StackFactory) -> None:
    stack = payment_stack(flags={"sandbox": [*ALWAYS, "duplicate_webhook"]})
    user = stack.player()
    pay_on_page(stack.start(user, "dup", 20_00).redirect_url)
    sent = stack.sandboxes["sandbox"].webhooks_sent()
    assert len(sent) == 4 and len({s["id"] for s in sent}) == 2 and {s["status"] for s in sent} == {200}
    assert payment_status(db, "dup") == "approved"
    assert _deposits(db) == 1
    assert count_rows(db, "payment_webhook_events") == 2


def test_webhooks_out_of_order_leave_the_payment_approved_and_credited_once(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack(flags={"sandbox": [*ALWAYS, "out_of_order"]})
    user = stack.player()
    pay_on_page(stack.start(user, "ooo", 20_00).redirect_url)
    sent = stack.sandboxes["sandbox"].webhooks_sent()
    assert [s["type"] for s in sent] == ["deposit.succeeded", "deposit.processing"]
    assert payment_status(db, "ooo") == "approved"
    assert _deposits(db) == 1
    assert (
        count_rows(db, "payment_webhook_events", "event_type = 'deposit.processing' AND outcome = 'ignored'")
        == 1
    )


def test_a_late_webhook_still_credits_once(db: Database, payment_stack: StackFactory) -> None:
    stack = payment_stack(flags={"sandbox": [*ALWAYS, "late_webhook"]})
    user = stack.player()
    pay_on_page(stack.start(user, "late", 20_00).redirect_url)
    assert payment_status(db, "late") == "pending"  # the player is back before the provider's word
    wait_for(lambda: payment_status(db, "late") == "approved")
    assert _deposits(db) == 1


def test_a_lost_webhook_is_recovered_by_status_polling_once(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack(flags={"sandbox": [*ALWAYS, "lost_webhook"]})
    user = stack.player()
    pay_on_page(stack.start(user, "lost", 20_00).redirect_url)
    assert stack.sandboxes["sandbox"].webhooks_sent() == []
    assert payment_status(db, "lost") == "pending"
    early = polling.poll_pending(stack.wiring.uow(), POLLER, stack.now())
    assert early.checked == 0  # not stale yet: webhooks get their chance first
    later = stack.now() + timedelta(seconds=stack.wiring.settings.payments.poll_after_seconds + 1)
    report = polling.poll_pending(stack.wiring.uow(), POLLER, later)
    assert (report.checked, report.approved) == (1, 1)
    assert payment_status(db, "lost") == "approved"
    assert wallet.cash_balance(stack.wiring.uow(), user.id).minor == 20_00
    again = polling.poll_pending(stack.wiring.uow(), POLLER, later + timedelta(minutes=5))
    assert again.checked == 0 and _deposits(db) == 1


def test_an_attempt_the_provider_never_received_is_closed_by_polling_and_the_payment_declined(
    db: Database, payment_stack: StackFactory
) -> None:
    policy = HttpPolicy(connect_timeout=1.0, read_timeout=0.3, retries=0, backoff_seconds=0.01)
    flags = [*ALWAYS, "timeout", "--timeout-seconds", "1", "--fault-scope", "creates"]
    stack = payment_stack(flags={"sandbox": flags}, policy=policy)
    user = stack.player()
    with pytest.raises(ProviderTimeout, match="did not answer"):
        stack.start(user, "never", 20_00)
    assert payment_status(db, "never") == "pending"
    later = stack.now() + timedelta(seconds=stack.wiring.settings.payments.poll_after_seconds + 1)
    report = polling.poll_pending(stack.wiring.uow(), POLLER, later)
    assert (report.checked, report.declined) == (1, 1)
    assert payment_status(db, "never") == "declined" and _deposits(db) == 0
    assert count_rows(db, "payment_attempts", "status = 'failed_over'") == 1


def test_a_page_never_completed_is_declined_as_abandoned_after_the_expiry(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    stack.start(user, "abandoned", 20_00)
    later = stack.now() + timedelta(seconds=stack.wiring.settings.payments.poll_after_seconds + 1)
    assert polling.poll_pending(stack.wiring.uow(), POLLER, later).still_pending == 1
    expired = stack.now() + timedelta(seconds=stack.wiring.settings.payments.expire_after_seconds + 1)
    assert polling.poll_pending(stack.wiring.uow(), POLLER, expired).declined == 1
    assert payment_status(db, "abandoned") == "declined" and _deposits(db) == 0
