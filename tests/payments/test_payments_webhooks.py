"""`POST /api/webhooks/{provider}` over HTTP: signature first (401 and nothing written), dedup by
event id, an out-of-order-safe state machine, refusal and an alert on an amount or currency
that is not the payment's. The ledger is credited once whatever arrives."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from casino_app.domain.payments.signatures import signature_header
from casino_app.persistence.db import Database
from tests.payments.conftest import SECRET, PaymentStack, StackFactory, payment_status
from tests.support import count_rows

WRITTEN = (
    "ledger_transactions",
    "ledger_entries",
    "payment_webhook_events",
    "audit_log",
    "security_alerts",
    "payment_cards",
)


def _snapshot(db: Database) -> dict[str, object]:
    counts: dict[str, object] = {t: count_rows(db, t) for t in WRITTEN}
    with db.read_engine.connect() as conn:
        counts["payments"] = conn.execute(sa.text("SELECT order_id, status FROM payments ORDER BY id")).all()
        counts["attempts"] = conn.execute(sa.text("SELECT attempt_id, status FROM payment_attempts")).all()
    return counts


def _pending(stack: PaymentStack, order: str, amount: int = 20_00) -> dict[str, Any]:
    """A hosted deposit the player has not paid yet, and the sandbox's transaction for it."""
    user = stack.player()
    stack.start(user, order, amount)
    (tx,) = [t for t in stack.sandboxes["sandbox"].transactions() if t["order_id"] == order]
    return tx


def _event(
    tx: dict[str, Any], kind: str = "succeeded", *, event_id: str = "", **changes: Any
) -> dict[str, Any]:
    sequence = {"processing": 1, "succeeded": 2, "declined": 2}[kind]
    status = {"processing": "pending", "succeeded": "succeeded", "declined": "declined"}[kind]
    data = {**tx, "status": status, "updated": time.time(), **changes}
    return {
        "id": event_id or f"evt_{kind}_{tx['id']}",
        "type": f"deposit.{kind}",
        "sequence": sequence,
        "created": time.time(),
        "data": data,
    }


def _post(
    stack: PaymentStack,
    body: bytes,
    *,
    provider: str = "sandbox",
    secret: str = SECRET,
    timestamp: int | None = None,
    header: str | None = None,
) -> httpx.Response:
    signed = signature_header(secret, int(time.time()) if timestamp is None else timestamp, body)
    headers = {"Content-Type": "application/json"}
    if header != "":
        headers["Sandbox-Signature"] = signed if header is None else header
    return httpx.post(f"{stack.app_url}/api/webhooks/{provider}", content=body, headers=headers, timeout=10)


def _body(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "body changed after signing", "stale timestamp", "no header", "garbage header"],
)
def test_a_webhook_without_a_valid_fresh_signature_is_401_and_writes_nothing(
    db: Database, payment_stack: StackFactory, tamper: str
) -> None:
    stack = payment_stack()
    tx = _pending(stack, f"sig-{tamper.replace(' ', '-')}")
    body = _body(_event(tx))
    before = _snapshot(db)
    if tamper == "wrong secret":
        answer = _post(stack, body, secret="whsec_someone_else")
    elif tamper == "body changed after signing":
        signed = signature_header(SECRET, int(time.time()), body)
        answer = _post(stack, body.replace(b"succeeded", b"succeedeD"), header=signed)
    elif tamper == "stale timestamp":
        answer = _post(stack, body, timestamp=int(time.time()) - 301)
    elif tamper == "no header":
        answer = _post(stack, body, header="")
    else:
        answer = _post(stack, body, header="t=abc,v1=")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "invalid_signature"
    assert _snapshot(db) == before


def test_an_unknown_provider_is_404_and_writes_nothing(db: Database, payment_stack: StackFactory) -> None:
    stack = payment_stack()
    tx = _pending(stack, "unknown-provider")
    before = _snapshot(db)
    answer = _post(stack, _body(_event(tx)), provider="acme")
    assert answer.status_code == 404
    assert _snapshot(db) == before


def test_a_signed_body_that_is_not_an_event_is_400_and_writes_nothing(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    _pending(stack, "malformed")
    before = _snapshot(db)
    for body in (
        b"{not json",
        b"[]",
        b'{"id": "evt_1"}',
        json.dumps({"id": "e", "type": "x", "sequence": 1}).encode(),
    ):
        answer = _post(stack, body)
        assert answer.status_code == 400, body
        assert answer.json()["code"] == "malformed_webhook"
    assert _snapshot(db) == before


@pytest.mark.parametrize("change", [{"amount_minor": 2_000_00}, {"currency": "USD"}])
def test_an_amount_or_currency_that_is_not_the_payments_is_refused_and_alerted(
    db: Database, payment_stack: StackFactory, change: dict[str, Any]
) -> None:
    stack = payment_stack()
    tx = _pending(stack, "mismatch")
    before = _snapshot(db)
    answer = _post(stack, _body(_event(tx, **change)))
    assert answer.status_code == 422
    assert answer.json()["code"] == "webhook_mismatch"
    after = _snapshot(db)
    assert payment_status(db, "mismatch") == "pending"
    for unchanged in (
        "ledger_transactions",
        "ledger_entries",
        "payment_webhook_events",
        "payments",
        "attempts",
    ):
        assert after[unchanged] == before[unchanged], unchanged
    assert (
        count_rows(db, "security_alerts", "kind = 'payment_webhook_mismatch' AND severity = 'critical'") == 1
    )
    assert count_rows(db, "audit_log", "action = 'payment.webhook_refused'") == 1
    good = _post(stack, _body(_event(tx)))  # the same event id, correct this time, is still applied
    assert good.status_code == 200 and good.json()["outcome"] == "applied"
    assert payment_status(db, "mismatch") == "approved"


def test_a_replayed_event_is_a_duplicate_and_credits_nothing_more(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    tx = _pending(stack, "replayed")
    body = _body(_event(tx))
    first, again = _post(stack, body), _post(stack, body)
    assert (first.json()["outcome"], again.json()["outcome"]) == ("applied", "duplicate")
    renamed = _post(stack, _body(_event(tx, event_id="evt_resent_with_a_new_id")))
    assert renamed.status_code == 200 and renamed.json()["outcome"] == "ignored"
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1
    assert count_rows(db, "payment_webhook_events") == 2
    assert count_rows(db, "audit_log", "action = 'payment.deposit'") == 1


def test_events_out_of_order_settle_the_payment_once_and_a_stale_one_changes_nothing(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    tx = _pending(stack, "ooo")
    assert _post(stack, _body(_event(tx, "succeeded"))).json()["outcome"] == "applied"
    assert _post(stack, _body(_event(tx, "processing"))).json()["outcome"] == "ignored"
    assert _post(stack, _body(_event(tx, "declined", decline_reason="late"))).json()["outcome"] == "ignored"
    assert payment_status(db, "ooo") == "approved"
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1


def test_the_same_event_delivered_many_times_at_once_credits_once(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    tx = _pending(stack, "burst")
    bodies = [_body(_event(tx)) for _ in range(6)] + [
        _body(_event(tx, event_id=f"evt_copy_{n}")) for n in range(6)
    ]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda b: _post(stack, b), bodies))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    assert payment_status(db, "burst") == "approved"
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1
    assert count_rows(db, "audit_log", "action = 'payment.deposit'") == 1
