"""Reconciliation (issue 11): provider-reported transactions against the ledger; every mismatch
is an item in the operators' queue with its evidence, resolved with an audited note."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from casino_app.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.ports import ProviderTransaction
from casino_app.domain.payments.reconciliation import LedgerMovement, MismatchKind, compare
from casino_app.domain.payments.vocabulary import PaymentDirection
from casino_app.jobs import reconciliation as job
from casino_app.persistence.db import Database
from casino_app.services.payments import reconciliation
from casino_app.services.payments.deposits import polling
from casino_app.services.payments.withdrawals import withdrawals
from tests.payments.conftest import StackFactory, pay_on_page, payment_status, wait_for
from tests.support import count_rows, stepped_up_operator

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = (T0, T0 + timedelta(hours=1))
SYSTEM = Actor.system("test")
DEPOSIT, PAYOUT = PaymentDirection.DEPOSIT, PaymentDirection.PAYOUT


def _theirs(
    order: str, amount: int = 10_00, *, status: str = "succeeded", ccy: str = "EUR", **kw: object
) -> ProviderTransaction:
    at = kw.pop("at", T0 + timedelta(minutes=5))
    return ProviderTransaction(
        f"ref-{order}-{kw.pop('n', 1)}",
        f"{order}:1",
        order,
        kw.pop("direction", DEPOSIT),
        status,
        amount,
        ccy,
        at,  # type: ignore[arg-type]
    )


def _ours(
    order: str, amount: int = 10_00, *, ccy: str = "EUR", direction: PaymentDirection = DEPOSIT
) -> LedgerMovement:
    return LedgerMovement(direction, order, "acq", amount, ccy, 1, T0 + timedelta(minutes=6))


def test_matching_sides_reconcile_clean_and_declines_are_not_money() -> None:
    reported = [_theirs("a"), _theirs("b", direction=PAYOUT), _theirs("c", status="declined")]
    booked = [_ours("a"), _ours("b", direction=PAYOUT)]
    assert compare("acq", reported, booked, WINDOW) == []


@pytest.mark.parametrize(
    ("reported", "booked", "kind"),
    [
        ([_theirs("x")], [], MismatchKind.MISSING_IN_LEDGER),
        ([], [_ours("x")], MismatchKind.MISSING_AT_PROVIDER),
        ([_theirs("x", status="declined")], [_ours("x")], MismatchKind.MISSING_AT_PROVIDER),
        ([_theirs("x", 10_00)], [_ours("x", 9_99)], MismatchKind.AMOUNT),
        ([_theirs("x", ccy="GBP")], [_ours("x")], MismatchKind.CURRENCY),
        ([_theirs("x"), _theirs("x", n=2)], [_ours("x")], MismatchKind.DUPLICATE_AT_PROVIDER),
        ([_theirs("x", direction=PAYOUT)], [_ours("x")], MismatchKind.MISSING_IN_LEDGER),
    ],
    ids=[
        "provider-only",
        "ledger-only",
        "declined-but-credited",
        "amount",
        "currency",
        "charged-twice",
        "direction",
    ],
)
def test_each_kind_of_difference_is_named_with_both_sides_as_evidence(
    reported: list[ProviderTransaction], booked: list[LedgerMovement], kind: MismatchKind
) -> None:
    found = compare("acq", reported, booked, WINDOW)
    assert kind in {m.kind for m in found}
    evidence = next(m for m in found if m.kind == kind).evidence
    assert {"direction", "provider", "ledger"} <= set(evidence)
    json.dumps(evidence)  # storable as it is


def test_an_order_is_judged_only_when_one_side_falls_in_the_window() -> None:
    outside = T0 - timedelta(hours=2)
    assert compare("acq", [_theirs("old", at=outside)], [], WINDOW) == []
    assert len(compare("acq", [_theirs("edge", at=T0)], [], WINDOW)) == 1
    assert compare("other", [], [_ours("x")], WINDOW) == []  # another provider's movement


def test_a_provider_success_the_ledger_never_booked_becomes_a_queue_item_resolved_with_a_note(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    uow, start = stack.wiring.uow(), stack.now()
    ok = stack.start(user, "rec-ok", 20_00)
    pay_on_page(ok.redirect_url, name="Test Player")
    wait_for(lambda: payment_status(db, "rec-ok") == "approved")
    late = stack.start(user, "rec-late", 15_00)  # the player leaves the page open too long ...
    expiry = stack.wiring.settings.payments.expire_after_seconds + 120
    polling.poll_pending(uow, SYSTEM, start + timedelta(seconds=expiry))
    assert payment_status(db, "rec-late") == "declined"
    pay_on_page(late.redirect_url, name="Test Player")  # ... and pays after we gave up: money, no credit
    stack.sandboxes["sandbox"].webhooks_sent()
    assert count_rows(db, "ledger_transactions", "reference = 'rec-late'") == 0

    later = stack.now() + timedelta(minutes=10)
    run = reconciliation.reconcile(uow, SYSTEM, "sandbox", later, since=start - timedelta(minutes=5))
    assert (run.mismatches, run.error) == (1, "") and run.booked == 1
    finance = stepped_up_operator(uow, "finance", stack.now())
    [item] = reconciliation.open_items(uow, finance)
    assert (item.kind, item.order_id, item.direction) == ("missing_in_ledger", "rec-late", "deposit")
    assert item.summary.startswith("provider: €15.00; ledger: nothing")
    assert '"amount_minor": 1500' in item.evidence
    with pytest.raises(PermissionDenied):
        reconciliation.open_items(uow, stepped_up_operator(uow, "support", stack.now()))
    with pytest.raises(InvalidInput):
        reconciliation.resolve_item(uow, finance, item.id, "  ", stack.now())
    done = reconciliation.resolve_item(uow, finance, item.id, "refunded at the sandbox", stack.now())
    assert (done.status, done.resolved_by, done.resolution) == (
        "resolved",
        finance.audit_name,
        "refunded at the sandbox",
    )
    with pytest.raises(InvalidTransition):
        reconciliation.resolve_item(uow, finance, item.id, "again", stack.now())
    assert count_rows(db, "audit_log", "action = 'reconciliation.resolved'") == 1
    again = reconciliation.reconcile(uow, SYSTEM, "sandbox", later, since=start - timedelta(minutes=5))
    assert again.mismatches == 1 and reconciliation.open_items(uow, finance) == []  # known, stays resolved
    assert count_rows(db, "reconciliation_items") == 1


def test_the_job_follows_up_payouts_and_reconciles_every_provider_clean(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    started = stack.start(user, "job-dep", 50_00)
    pay_on_page(started.redirect_url, name="Test Player")
    wait_for(lambda: payment_status(db, "job-dep") == "approved")
    uow = stack.wiring.uow()
    from tests.payments.test_payouts import _me  # the same step-up a player does

    w = withdrawals.request_withdrawal(
        uow, _me(stack.wiring, user.id, stack.now()), 20_00, "job-wd", stack.now()
    )
    withdrawals.resolve_withdrawal(
        uow, stepped_up_operator(uow, "finance", stack.now()), w.id, "paid", now=stack.now()
    )
    wait_for(lambda: count_rows(db, "withdrawals", "status = 'paid'") == 1)
    report = job.tick(stack.wiring, stack.now() + timedelta(minutes=10), job.Progress())
    assert report is not None and report.payouts == []
    runs = {r.provider: r for r in report.runs}
    assert set(runs) == {"sandbox"}  # the demo's in-process cards keep no record to compare
    assert (runs["sandbox"].reported, runs["sandbox"].booked, runs["sandbox"].mismatches) == (2, 2, 0)
    assert count_rows(db, "reconciliation_items") == 0
