"""Payouts of withdrawals through providers (issue 11): step-up, hold, automatic approval below
the threshold, the finance queue with the player's context, payment through the deposit's
provider, failover, a refused payout returning the money, no reversal once approved, and
pending withdrawals still paid after a self-exclusion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from casino_app.adapters.clock import SystemClock
from casino_app.adapters.keys import LocalKeyring
from casino_app.adapters.payments.demo import APPROVE_TOKEN
from casino_app.adapters.payments.http import HttpPolicy
from casino_app.adapters.payments.sandbox import SandboxProvider
from casino_app.bootstrap import Wiring
from casino_app.config import PayoutSettings, Settings
from casino_app.domain.errors import NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.ports import PaymentProviders
from casino_app.domain.payments.routing import PaymentRouter, Route
from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.persistence.db import Database
from casino_app.services.compliance.rg.exclusion import periods as exclusion
from casino_app.services.dto import UserView
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import wallet
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import context as withdrawal_context
from casino_app.services.payments.withdrawals import payouts, withdrawals
from tests.payments.conftest import API_KEY, SECRET, StackFactory, pay_on_page, wait_for
from tests.support import count_rows, make_wiring, scalar, stepped_up_operator

ALWAYS = ["--fault-rate", "1", "--faults"]
DESK = ClientInfo("192.0.2.80", "Firefox")
SYSTEM = Actor.system("test")
FAST = HttpPolicy(connect_timeout=1.0, read_timeout=3.0, retries=1, backoff_seconds=0.01)


def _settings(db: Database, threshold: int) -> Settings:
    return Settings(
        db_url=db.url,
        demo_mode=True,
        scheduler_enabled=False,
        payouts=PayoutSettings(auto_approve_below_minor=threshold),
    )


def _me(wiring: Wiring, user_id: int, now: datetime) -> Actor:
    with wiring.uow() as u:
        _, session_id = sessions.open_browser_session(u, user_id, DESK, now, step_up=True)
        u.commit()
    return Actor.player(user_id, session_id)


def _hold(db: Database, user_id: int) -> int:
    return int(scalar(db, f"SELECT balance FROM accounts WHERE code = 'player_hold:{user_id}:EUR'"))


def _clearing(db: Database, provider: str) -> int:
    found = scalar(
        db, f"SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE code = 'provider_clearing:{provider}:EUR'"
    )
    return int(found)  # type: ignore[arg-type]


def test_a_withdrawal_below_the_threshold_is_approved_and_paid_at_once_through_the_deposit_provider(
    db: Database, funded_player: Callable[..., UserView], now: datetime, test_keyring: LocalKeyring
) -> None:
    wiring = make_wiring(db, keys=test_keyring, settings=_settings(db, 20_00))
    player = funded_player(amount_minor=50_00)
    me = _me(wiring, player.id, now)
    small = withdrawals.request_withdrawal(wiring.uow(), me, 19_99, "wd-small", now)
    large = withdrawals.request_withdrawal(wiring.uow(), me, 20_00, "wd-large", now)
    assert (small.status, small.payout_status, small.payout_provider) == ("paid", "paid", "demo")
    assert (large.status, large.payout_status) == ("requested", "")
    assert (
        count_rows(db, "audit_log", "action = 'withdrawal.approved' AND actor = 'system:auto-approval'") == 1
    )
    assert _clearing(db, "demo") == -50_00 + 19_99  # the deposit came in there; the payout went out there
    assert _hold(db, player.id) == 20_00
    finance = Actor.operator(7, "finance")
    assert [w.id for w in withdrawals.pending_withdrawals(wiring.uow(), finance)] == [large.id]
    again = withdrawals.request_withdrawal(wiring.uow(), me, 19_99, "wd-small", now)  # a replay pays nothing
    assert again.id == small.id and count_rows(db, "payouts") == 1


def test_the_finance_queue_shows_the_players_context_and_approval_pays_it(
    db: Database, uow, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player(amount_minor=60_00)
    me = _me_default(uow, player.id, now)
    w = withdrawals.request_withdrawal(uow, me, 25_00, "wd-ctx", now)
    finance = stepped_up_operator(uow, "finance", now)
    seen = withdrawal_context.withdrawal_context(uow, finance, w.id, now)
    assert (seen.cash.minor, seen.on_hold.minor, seen.amount.minor) == (35_00, 25_00, 25_00)
    assert (seen.deposits_count, seen.deposits_total.minor, seen.deposits_30d.minor) == (1, 60_00, 60_00)
    assert (seen.withdrawals_paid_total.minor, seen.net_30d.minor, seen.recent_bets) == (0, 0, ())
    assert seen.payout_method == "card via demo" and seen.player_email == player.email
    paid = withdrawals.resolve_withdrawal(uow, finance, w.id, "paid", now=now, reason="checked")
    assert (paid.status, paid.payout_status) == ("paid", "paid")
    assert (
        withdrawal_context.withdrawal_context(uow, finance, w.id, now).withdrawals_paid_total.minor == 25_00
    )
    with pytest.raises(withdrawals.AlreadyResolved):
        withdrawals.cancel_withdrawal(uow, me, w.id, now)  # paid: the player cannot reverse it
    assert (
        count_rows(db, "audit_log", f"action = 'withdrawal.approved' AND actor = '{finance.audit_name}'") == 1
    )


def _me_default(uow, user_id: int, now: datetime) -> Actor:
    with uow:
        _, session_id = sessions.open_browser_session(uow, user_id, DESK, now, step_up=True)
        uow.commit()
    return Actor.player(user_id, session_id)


def test_the_player_cancels_a_requested_withdrawal_and_gets_the_cash_back(
    db: Database, uow, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player, other = funded_player(amount_minor=30_00), funded_player(amount_minor=30_00)
    me = _me_default(uow, player.id, now)
    w = withdrawals.request_withdrawal(uow, me, 10_00, "wd-cancel", now)
    with pytest.raises(NotFound):  # not theirs
        withdrawals.cancel_withdrawal(uow, _me_default(uow, other.id, now), w.id, now)
    cancelled = withdrawals.cancel_withdrawal(uow, me, w.id, now)
    assert (cancelled.status, cancelled.reason) == ("rejected", withdrawals.CANCELLED_NOTE)
    assert wallet.cash_balance(uow, player.id).minor == 30_00 and _hold(db, player.id) == 0
    assert count_rows(db, "audit_log", "action = 'withdrawal.cancelled'") == 1
    with pytest.raises(withdrawals.AlreadyResolved):
        withdrawals.cancel_withdrawal(uow, me, w.id, now)
    finance = stepped_up_operator(uow, "finance", now)
    with pytest.raises(withdrawals.AlreadyResolved):
        withdrawals.resolve_withdrawal(uow, finance, w.id, "paid", now=now)
    assert count_rows(db, "payouts") == 0


# --- through the sandbox payment service, over HTTP ------------------------------------------


def _sandbox_player(stack) -> tuple[UserView, Actor]:
    """A player who deposited 80.00 with a card on the sandbox's hosted page."""
    user = stack.player()
    started = stack.start(user, f"dep-{user.id}", 80_00)
    pay_on_page(started.redirect_url, name="Test Player")
    wait_for(lambda: wallet.cash_balance(stack.wiring.uow(), user.id).minor == 80_00)
    return user, _me(stack.wiring, user.id, stack.now())


def test_a_sandbox_payout_goes_back_to_the_deposit_card_and_once_approved_cannot_be_reversed(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user, me = _sandbox_player(stack)
    uow, now = stack.wiring.uow(), stack.now()
    w = withdrawals.request_withdrawal(uow, me, 30_00, "wd-sbx", now)
    finance = stepped_up_operator(uow, "finance", now)
    approved = withdrawals.resolve_withdrawal(uow, finance, w.id, "paid", now=now)
    if approved.status == "requested":  # the sandbox confirms payouts a moment later, by webhook
        assert approved.payout_status in ("approved", "sent")
        with pytest.raises(withdrawals.AlreadyApproved):
            withdrawals.cancel_withdrawal(uow, me, w.id, now)
        with pytest.raises(withdrawals.AlreadyApproved):
            withdrawals.resolve_withdrawal(uow, finance, w.id, "rejected", now=now, reason="changed my mind")
    wait_for(lambda: scalar(db, f"SELECT status FROM withdrawals WHERE id = {w.id}") == "paid")
    card_token = scalar(db, f"SELECT token FROM payment_cards WHERE user_id = {user.id}")
    assert (
        scalar(db, "SELECT destination || ' ' || method || ' ' || provider FROM payouts")
        == f"{card_token} card sandbox"
    )
    (payout,) = [t for t in stack.sandboxes["sandbox"].transactions() if t["direction"] == "payout"]
    assert (payout["amount_minor"], payout["status"], payout["attempt_id"]) == (
        30_00,
        "succeeded",
        f"payout-{_pid(db)}-1",
    )
    assert payouts.follow_up(stack.wiring.uow(), SYSTEM, stack.now()) == []  # nothing left open
    assert _hold(db, user.id) == 0 and _clearing(db, "sandbox") == -80_00 + 30_00
    assert count_rows(db, "audit_log", "action = 'withdrawal.paid'") == 1


def _pid(db: Database) -> int:
    return int(scalar(db, "SELECT id FROM payouts"))  # type: ignore[arg-type]


def _payout_wiring(
    stack, db: Database, keys: LocalKeyring, order: tuple[str, ...], threshold: int = 0
) -> Wiring:
    """The stack's providers, with card payouts routed in `order` (its deposits came by the demo card)."""
    by_name = {n: stack.wiring.payments.get(n) for n in order}
    router = PaymentRouter((Route(PaymentMethodKind.CARD, order),))
    return make_wiring(
        db,
        clock=SystemClock(),
        keys=keys,
        settings=_settings(db, threshold),
        payments=PaymentProviders(by_name, order[0], router),
    )


def _demo_funded(stack, amount: int) -> tuple[UserView, Actor]:
    user = stack.player()
    cmd = deposits.Deposit(f"demo-{user.id}", amount, "EUR", APPROVE_TOKEN, provider="demo")
    deposits.deposit(stack.wiring.uow(), Actor.player(user.id), cmd, stack.now())
    return user, _me(stack.wiring, user.id, stack.now())


def test_a_soft_declined_payout_fails_over_to_the_next_provider_with_a_new_attempt_id(
    db: Database, payment_stack: StackFactory, test_keyring: LocalKeyring
) -> None:
    stack = payment_stack(("picky", "sandbox"), flags={"picky": [*ALWAYS, "soft_decline"]})
    wiring = _payout_wiring(stack, db, test_keyring, ("picky", "sandbox"), threshold=50_00)
    _, me = _demo_funded(stack, 40_00)
    w = withdrawals.request_withdrawal(wiring.uow(), me, 15_00, "wd-fo", wiring.now())
    wait_for(lambda: scalar(db, f"SELECT status FROM withdrawals WHERE id = {w.id}") == "paid")
    row = scalar(db, "SELECT provider || ' ' || attempt || ' ' || attempt_id FROM payouts")
    assert row == f"sandbox 2 payout-{_pid(db)}-2"
    (refused,) = stack.sandboxes["picky"].transactions()
    assert (refused["status"], refused["attempt_id"]) == ("declined", f"payout-{_pid(db)}-1")
    assert _clearing(db, "sandbox") == 15_00 and _clearing(db, "picky") == 0


def test_a_hard_declined_payout_returns_the_money_and_tells_the_player_why(
    db: Database, payment_stack: StackFactory, test_keyring: LocalKeyring
) -> None:
    stack = payment_stack(("refuser", "sandbox"), flags={"refuser": [*ALWAYS, "hard_decline"]})
    wiring = _payout_wiring(stack, db, test_keyring, ("refuser", "sandbox"))
    user, me = _demo_funded(stack, 40_00)
    w = withdrawals.request_withdrawal(wiring.uow(), me, 15_00, "wd-hard", wiring.now())
    finance = stepped_up_operator(wiring.uow(), "finance", wiring.now())
    seen = withdrawals.resolve_withdrawal(wiring.uow(), finance, w.id, "paid", now=wiring.now())
    assert (seen.status, seen.payout_status) == ("rejected", "failed")
    assert "refuser refused the payout" in seen.reason and "back in your balance" in seen.reason
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 40_00 and _hold(db, user.id) == 0
    assert stack.sandboxes["sandbox"].transactions() == []  # a hard decline is not tried elsewhere
    mine = withdrawals.player_withdrawals(wiring.uow(), Actor.player(user.id))
    assert [(x.status, x.reason) for x in mine] == [("rejected", seen.reason)]


class Outage(httpx.HTTPTransport):
    """While `down`: a payout request reaches the provider but its answer is lost, and the
    provider cannot be reached to ask about it."""

    down = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.down:
            return super().handle_request(request)
        if request.method == "POST":
            super().handle_request(request).close()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        raise httpx.ConnectError("the provider cannot be reached", request=request)


def test_a_payout_whose_outcome_is_unknown_is_retried_with_the_same_attempt_id_and_paid_once(
    db: Database, payment_stack: StackFactory, test_keyring: LocalKeyring
) -> None:
    """The provider took the payout but we never heard (and its webhooks are lost): nothing moves,
    the payout waits; the payout job asks again under the same attempt id, so it is paid once."""
    stack = payment_stack(flags={"sandbox": [*ALWAYS, "lost_webhook"]})
    outage = Outage()
    sandbox = SandboxProvider(stack.sandboxes["sandbox"].url, API_KEY, SECRET, policy=FAST, transport=outage)
    router = PaymentRouter((Route(PaymentMethodKind.CARD, ("sandbox",)),))
    wiring = make_wiring(
        db,
        clock=SystemClock(),
        keys=test_keyring,
        payments=PaymentProviders({"sandbox": sandbox}, "sandbox", router),
    )
    user, me = _demo_funded(stack, 40_00)
    w = withdrawals.request_withdrawal(wiring.uow(), me, 12_00, "wd-unknown", wiring.now())
    finance = stepped_up_operator(wiring.uow(), "finance", wiring.now())
    seen = withdrawals.resolve_withdrawal(wiring.uow(), finance, w.id, "paid", now=wiring.now())
    assert (seen.status, seen.payout_status) == ("requested", "approved")
    first = f"payout-{_pid(db)}-1"
    assert [o.status for o in payouts.follow_up(wiring.uow(), SYSTEM, wiring.now())] == ["approved"]
    assert scalar(db, "SELECT attempt || ' ' || attempt_id FROM payouts") == f"1 {first}"
    assert _hold(db, user.id) == 12_00 and _clearing(db, "sandbox") == 0
    outage.down = False
    wait_for(
        lambda: _follow(wiring) and scalar(db, f"SELECT status FROM withdrawals WHERE id = {w.id}") == "paid"
    )
    sent = [t for t in stack.sandboxes["sandbox"].transactions() if t["direction"] == "payout"]
    assert [t["attempt_id"] for t in sent] == [first]  # asked three times, paid once
    assert scalar(db, "SELECT attempt FROM payouts") == 1
    assert _clearing(db, "sandbox") == 12_00 and _hold(db, user.id) == 0


def _follow(wiring: Wiring) -> bool:
    payouts.follow_up(wiring.uow(), SYSTEM, wiring.now())
    return True


def test_a_pending_withdrawal_is_still_paid_after_the_player_excludes_themselves(
    db: Database, uow, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player(amount_minor=50_00)
    me = _me_default(uow, player.id, now)
    w = withdrawals.request_withdrawal(uow, me, 20_00, "wd-excluded", now)
    exclusion.self_exclude(uow, me, "6m", now)
    finance = stepped_up_operator(uow, "finance", now)
    assert [x.id for x in withdrawals.pending_withdrawals(uow, finance)] == [w.id]
    assert withdrawals.resolve_withdrawal(uow, finance, w.id, "paid", now=now).status == "paid"
    assert _hold(db, player.id) == 0


def test_two_operators_approving_at_once_make_one_payout(
    db: Database, uow, funded_player: Callable[..., UserView], now: datetime
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    player = funded_player(amount_minor=50_00)
    w = withdrawals.request_withdrawal(uow, _me_default(uow, player.id, now), 20_00, "wd-race", now)
    a, b = stepped_up_operator(uow, "finance", now), stepped_up_operator(uow, "admin", now)

    def approve(op: Actor) -> str:
        try:
            return withdrawals.resolve_withdrawal(uow.fresh(), op, w.id, "paid", now=now).status
        except withdrawals.AlreadyResolved:
            return "refused"
        except withdrawals.AlreadyApproved:
            return "refused"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(approve, [a, b]))
    assert outcomes == ["paid", "refused"]
    assert count_rows(db, "payouts") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'withdrawal_paid'") == 1


@pytest.mark.parametrize(
    ("table", "column", "enum"),
    [
        ("payouts", "status", "PayoutStatus"),
        ("reconciliation_items", "kind", "MismatchKind"),
        ("reconciliation_items", "status", "ItemStatus"),
    ],
)
def test_the_new_status_columns_admit_exactly_their_vocabulary(
    db: Database, table: str, column: str, enum: str
) -> None:
    import re

    import sqlalchemy as sa

    from casino_app.domain.payments import payout_rules
    from casino_app.domain.payments import reconciliation as rules

    values = {m.value for m in getattr(payout_rules, enum, None) or getattr(rules, enum)}
    name = f"ck_{table}_{column}"
    with db.read_engine.connect() as conn:
        if db.dialect == "postgresql":
            sql = conn.execute(
                sa.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :n"), {"n": name}
            ).scalar_one()
        else:
            table_sql = conn.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
            ).scalar_one()
            sql = re.search(rf"CONSTRAINT {name} CHECK \(([^)]*)\)", table_sql).group(1)  # type: ignore[union-attr]
    assert set(re.findall(r"'([a-z_]+)'", sql)) == values
