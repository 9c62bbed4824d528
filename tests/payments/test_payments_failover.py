"""Failover between two sandbox services: a soft decline, a timeout or a provider error moves the
deposit to the next provider with a new attempt id and the same order id; a hard decline does not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casino_app.adapters.payments.http import HttpPolicy
from casino_app.domain.errors import PaymentDeclined
from casino_app.persistence.db import Database
from tests.payments.conftest import StackFactory, pay_on_page, payment_status, wait_for

ALWAYS = ["--fault-rate", "1", "--faults"]


def _attempts(db: Database, order: str) -> list[tuple[str, str, str]]:
    with db.read_engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT a.attempt_id, a.provider, a.status FROM payment_attempts a"
                " JOIN payments p ON p.id = a.payment_id WHERE p.order_id = :o ORDER BY a.id"
            ),
            {"o": order},
        ).all()
    return [(str(a), str(p), str(s)) for a, p, s in rows]


@pytest.mark.parametrize("fault", ["soft_decline", "5xx"])
def test_a_soft_decline_or_a_provider_error_fails_over_with_a_new_attempt_id_and_the_same_order(
    db: Database, payment_stack: StackFactory, fault: str
) -> None:
    stack = payment_stack(("sandbox", "sandbox_b"), flags={"sandbox": [*ALWAYS, fault]})
    user = stack.player()
    started = stack.start(user, "fo-1", 30_00)
    assert started.redirect_url.startswith(stack.sandboxes["sandbox_b"].url)
    assert _attempts(db, "fo-1") == [
        ("fo-1:1", "sandbox", "failed_over"),
        ("fo-1:2", "sandbox_b", "pending"),
    ]
    (tx,) = stack.sandboxes["sandbox_b"].transactions()
    assert (tx["order_id"], tx["attempt_id"]) == ("fo-1", "fo-1:2")
    pay_on_page(started.redirect_url)
    wait_for(lambda: payment_status(db, "fo-1") == "approved")
    with db.read_engine.connect() as conn:
        provider = conn.execute(sa.text("SELECT provider FROM payments WHERE order_id = 'fo-1'")).scalar_one()
    assert provider == "sandbox_b"


def test_a_timeout_fails_over_and_leaves_the_first_attempt_open_for_status_polling(
    db: Database, payment_stack: StackFactory
) -> None:
    policy = HttpPolicy(connect_timeout=1.0, read_timeout=0.5, retries=2, backoff_seconds=0.01)
    stack = payment_stack(
        ("sandbox", "sandbox_b"),
        flags={"sandbox": [*ALWAYS, "timeout", "--timeout-seconds", "2"]},
        policy=policy,
    )
    user = stack.player()
    started = stack.start(user, "fo-timeout", 20_00)
    assert started.redirect_url.startswith(stack.sandboxes["sandbox_b"].url)
    assert _attempts(db, "fo-timeout") == [
        ("fo-timeout:1", "sandbox", "started"),  # outcome unknown: not retried, asked about later
        ("fo-timeout:2", "sandbox_b", "pending"),
    ]


def test_a_hard_decline_is_not_retried_on_the_next_provider(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack(("sandbox", "sandbox_b"), flags={"sandbox": [*ALWAYS, "hard_decline"]})
    user = stack.player()
    with pytest.raises(PaymentDeclined, match="hard decline"):
        stack.start(user, "fo-hard", 20_00)
    assert _attempts(db, "fo-hard") == [("fo-hard:1", "sandbox", "declined")]
    assert payment_status(db, "fo-hard") == "declined"
    assert stack.sandboxes["sandbox_b"].transactions() == []
    assert len(stack.sandboxes["sandbox"].transactions()) == 1


def test_when_every_provider_soft_declines_the_payment_is_declined_and_nothing_moves(
    db: Database, payment_stack: StackFactory
) -> None:
    faults = [*ALWAYS, "soft_decline"]
    stack = payment_stack(("sandbox", "sandbox_b"), flags={"sandbox": faults, "sandbox_b": faults})
    user = stack.player()
    with pytest.raises(PaymentDeclined):
        stack.start(user, "fo-all", 20_00)
    assert [s for _, _, s in _attempts(db, "fo-all")] == ["failed_over", "failed_over"]
    assert payment_status(db, "fo-all") == "declined"
    with db.read_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ledger_transactions")).scalar_one() == 0
