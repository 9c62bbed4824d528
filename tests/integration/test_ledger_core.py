"""The ledger's rules on SQLite and PostgreSQL: bad input, idempotency, reversals, holds,
bonus funding, FX and balances as of a past time (docs/LEDGER.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from casino_app.adapters.payments.demo import DemoCardProvider
from casino_app.domain.errors import (
    CurrencyMismatch,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StepUpRequired,
)
from casino_app.domain.games import lotto as lotto_rules
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.ports import PaymentProviders
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.money import ledger, transfers
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import count_rows, make_wiring, stepped_up_operator

Funded = Callable[..., UserView]
SYSTEM = Actor.system("test")
FINANCE = Actor.operator(7, "finance")  # reversals; paying a withdrawal needs a real, stepped-up one


def _step_up_session(uow: UnitOfWork, user: UserView, now: datetime) -> Actor:
    """The player acting in a browser session that has just confirmed a code."""
    with uow:
        _, session_id = sessions.open_browser_session(
            uow, user.id, sessions.ClientInfo("127.0.0.1"), now, step_up=True
        )
        uow.commit()
    return Actor.player(user.id, session_id)


def _house(uow: UnitOfWork, code: str = "test", currency: str = "EUR") -> int:
    with uow:
        account = ledger.ensure_account(uow.session, kind="house_revenue", currency=currency, owner=code)
        uow.commit()
        return account


def _cash(uow: UnitOfWork, user: UserView, currency: str = "EUR") -> int:
    with uow.reader() as r:
        return ledger.player_cash_account(r.session, user.id, currency)


def _balance(uow: UnitOfWork, account_id: int) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, account_id)


def _code_balance(uow: UnitOfWork, code: str) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.find_account(r.session, code))


def _written(db: Database) -> tuple[int, int]:
    return count_rows(db, "ledger_transactions"), count_rows(db, "ledger_entries")


def _check_clean(uow: UnitOfWork) -> None:
    with uow.reader() as r:
        assert ledger.check_integrity(r.session) == []


@pytest.mark.parametrize(
    ("amount", "currency", "error"),
    [
        (0, "EUR", InvalidAmount),
        (-5, "EUR", InvalidAmount),
        (1.5, "EUR", InvalidAmount),
        (True, "EUR", InvalidAmount),
        (100, "XYZ", CurrencyMismatch),
        (100, "PLN", CurrencyMismatch),  # the accounts hold EUR
    ],
)
def test_bad_amounts_and_currencies_are_typed_errors_and_write_nothing(
    db: Database,
    uow: UnitOfWork,
    funded_player: Funded,
    now: datetime,
    amount: object,
    currency: str,
    error: type[Exception],
) -> None:
    player = funded_player(amount_minor=50_00)
    cash, house = _cash(uow, player), _house(uow)
    before = _written(db)
    with pytest.raises(error):
        transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, amount, currency, "k-bad"), now)  # type: ignore[arg-type]
    assert _written(db) == before
    assert _balance(uow, cash) == 50_00


def test_unknown_account_and_overlong_key_are_refused_without_writes(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    cash = _cash(uow, funded_player())
    before = _written(db)
    with pytest.raises(NotFound):
        transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, 999_999, 100, "EUR", "k-unknown"), now)
    with pytest.raises(InvalidInput):
        transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, _house(uow), 100, "EUR", "k" * 256), now)
    assert _written(db) == before


def test_a_player_account_never_goes_negative(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    cash, house = _cash(uow, funded_player(amount_minor=10_00)), _house(uow)
    before = _written(db)
    with pytest.raises(InsufficientFunds):
        transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 10_01, "EUR", "k-over"), now)
    assert _written(db) == before
    transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 10_00, "EUR", "k-all"), now)
    assert _balance(uow, cash) == 0
    _check_clean(uow)


def test_same_key_and_request_replays_without_a_second_effect(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    cash, house = _cash(uow, funded_player(amount_minor=10_00)), _house(uow)
    cmd = transfers.Transfer(cash, house, 3_00, "EUR", "k-once")
    first = transfers.transfer(uow, SYSTEM, cmd, now)
    second = transfers.transfer(uow, SYSTEM, cmd, now)
    assert (first.replayed, second.replayed) == (False, True)
    assert second.id == first.id
    assert _balance(uow, cash) == 7_00


def test_same_key_with_a_different_request_is_an_idempotency_conflict(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    cash, house = _cash(uow, funded_player(amount_minor=10_00)), _house(uow)
    transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 3_00, "EUR", "k-x"), now)
    before = _written(db)
    with pytest.raises(IdempotencyConflict):
        transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 4_00, "EUR", "k-x"), now)
    assert _written(db) == before
    assert _balance(uow, cash) == 7_00


def test_a_reversal_posts_the_exact_opposite_once(
    uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    cash, house = _cash(uow, funded_player(amount_minor=10_00)), _house(uow)
    posted = transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 4_00, "EUR", "k-rev"), now)
    with pytest.raises(InvalidInput):
        transfers.reverse_transaction(uow, FINANCE, posted.id, now, reason=" ")
    first = transfers.reverse_transaction(uow, FINANCE, posted.id, now, reason="duplicate charge")
    again = transfers.reverse_transaction(uow, FINANCE, posted.id, now, reason="duplicate charge")
    assert (first.replayed, again.replayed) == (False, True)
    assert (_balance(uow, cash), _balance(uow, house)) == (10_00, 0)
    _check_clean(uow)


def test_a_reversal_cannot_take_money_the_player_no_longer_has(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=10_00)
    cash, house = _cash(uow, player), _house(uow)
    with uow.reader() as r:
        deposit_txn = int(
            r.session.exec(  # the sandbox deposit's transaction
                ledger.select(ledger.LedgerTransaction.id).where(ledger.LedgerTransaction.kind == "deposit")
            ).one()
        )
    transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 8_00, "EUR", "k-spend"), now)
    before = _written(db)
    with pytest.raises(InsufficientFunds):
        transfers.reverse_transaction(uow, FINANCE, deposit_txn, now, reason="chargeback")
    assert _written(db) == before


def test_withdrawal_hold_pays_once_and_the_hold_resolves_exactly_once(
    uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=50_00)
    me = _step_up_session(uow, player, now)
    w = withdrawals.request_withdrawal(uow, me, 20_00, "wd-1", now)
    assert withdrawals.request_withdrawal(uow, me, 20_00, "wd-1", now).id == w.id
    assert _balance(uow, _cash(uow, player)) == 30_00
    assert _code_balance(uow, f"player_hold:{player.id}:EUR") == 20_00
    with pytest.raises(PermissionDenied):
        withdrawals.resolve_withdrawal(uow, me, w.id, "paid", now=now)
    finance = stepped_up_operator(uow, "finance", now)
    paid = withdrawals.resolve_withdrawal(uow, finance, w.id, "paid", now=now)
    assert paid.status == "paid"
    with pytest.raises(withdrawals.AlreadyResolved):
        withdrawals.resolve_withdrawal(uow, finance, w.id, "rejected", now=now, reason="duplicate")
    with pytest.raises(InvalidTransition):  # a move the vocabulary does not have is a typed error
        withdrawals.resolve_withdrawal(uow, finance, w.id, "requested", now=now)
    assert _code_balance(uow, f"player_hold:{player.id}:EUR") == 0
    assert _balance(uow, _cash(uow, player)) == 30_00
    _check_clean(uow)


def test_a_rejected_withdrawal_returns_the_hold_to_cash(
    uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=50_00)
    me = _step_up_session(uow, player, now)
    w = withdrawals.request_withdrawal(uow, me, 50_00, "wd-2", now)
    with pytest.raises(InsufficientFunds):
        withdrawals.request_withdrawal(uow, me, 1, "wd-3", now)
    withdrawals.resolve_withdrawal(
        uow, Actor.operator(1, "admin"), w.id, "rejected", now=now, reason="card expired"
    )
    assert _balance(uow, _cash(uow, player)) == 50_00
    _check_clean(uow)


def test_stakes_take_cash_first_then_bonus_and_wins_split_in_the_same_proportion(
    uow: UnitOfWork,
    funded_player: Funded,
    games: dict[str, Round],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    player = funded_player(amount_minor=5_00)
    transfers.grant_bonus(uow, SYSTEM, player.id, 5_00, "EUR", "bonus-1", now)
    winning = [2, 13, 21, 30, 38, 47]  # numbers cannot be known before sales close: fix them here
    monkeypatch.setattr(lotto_rules, "draw_numbers", lambda *_: list(winning))
    three = tuple(sorted(winning[:3] + [n for n in range(1, 50) if n not in winning][:3]))
    receipt = lotto.place_lotto_ticket(
        uow, Actor.player(player.id), lotto.PlaceLottoTicket("lotto649", three, 8_00, "t-1"), now
    )
    assert receipt.balance_after.minor == 0  # 5.00 cash first, then 3.00 bonus
    assert _code_balance(uow, f"player_bonus:{player.id}:EUR") == 2_00
    with pytest.raises(InsufficientFunds):
        withdrawals.request_withdrawal(
            uow, _step_up_session(uow, player, now), 1, "wd-bonus", now
        )  # bonus never withdraws
    draws.run_draw_now(uow, SYSTEM, "lotto649", now)
    # 3 matches pay 10 x 8.00 = 80.00, split 5:3 like the stake: 50.00 cash, 30.00 bonus.
    assert _balance(uow, _cash(uow, player)) == 50_00
    assert _code_balance(uow, f"player_bonus:{player.id}:EUR") == 2_00 + 30_00
    _check_clean(uow)


def test_fx_moves_cash_between_currencies_at_the_recorded_rate(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=100_00)
    posted = transfers.exchange(uow, Actor.player(player.id), 10_00, "EUR", "PLN", "4.2875", "fx-1", now)
    assert _balance(uow, _cash(uow, player)) == 90_00
    assert _code_balance(uow, f"player_cash:{player.id}:PLN") == 42_87
    assert _code_balance(uow, "fx_clearing:house:EUR") == 10_00
    assert _code_balance(uow, "fx_clearing:house:PLN") == -42_87
    with uow.reader() as r:
        txn = r.session.get(ledger.LedgerTransaction, posted.id)
        assert txn is not None and txn.fx_rate == "4.2875"
    for bad_rate in ("0", "-1", "abc", "NaN"):
        with pytest.raises(InvalidInput):
            transfers.exchange(
                uow, Actor.player(player.id), 1_00, "EUR", "PLN", bad_rate, f"fx-{bad_rate}", now
            )
    with pytest.raises(CurrencyMismatch):
        transfers.exchange(uow, Actor.player(player.id), 1_00, "EUR", "EUR", "1", "fx-same", now)
    _check_clean(uow)


def test_balance_as_of_a_past_time_and_a_statement_for_a_period(
    uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=10_00)  # deposited at `now`
    cash, house = _cash(uow, player), _house(uow)
    later = now + timedelta(days=1)
    transfers.transfer(uow, SYSTEM, transfers.Transfer(cash, house, 2_00, "EUR", "s-1"), later)
    transfers.transfer(
        uow, SYSTEM, transfers.Transfer(house, cash, 5_00, "EUR", "s-2"), later + timedelta(hours=1)
    )
    with uow.reader() as r:
        assert ledger.balance_as_of(r.session, cash, now - timedelta(seconds=1)) == 0
        assert ledger.balance_as_of(r.session, cash, now) == 10_00
        assert ledger.balance_as_of(r.session, cash, later) == 8_00
        st = ledger.statement(r.session, cash, now, later + timedelta(days=1))
        with pytest.raises(InvalidInput):
            ledger.statement(r.session, cash, later, now)
    assert (st.opening, st.closing) == (10_00, 13_00)
    assert [(line.amount, line.balance_after) for line in st.lines] == [(-2_00, 8_00), (5_00, 13_00)]


def test_ledger_check_reports_a_cached_balance_that_disagrees_with_its_entries(
    db: Database, uow: UnitOfWork, funded_player: Funded
) -> None:
    cash = _cash(uow, funded_player(amount_minor=10_00))
    with db.write_engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE accounts SET balance = balance + 1 WHERE id = {cash}")
    with uow.reader() as r:
        findings = ledger.check_integrity(r.session)
    assert any("caches 1001" in f for f in findings)


def _browser_session(uow: UnitOfWork, user: UserView, now: datetime) -> int:
    with uow:
        _, session_id = sessions.open_browser_session(uow, user.id, sessions.ClientInfo("127.0.0.1"), now)
        uow.commit()
        return session_id


def test_a_player_withdrawal_needs_a_recent_step_up_and_is_audited(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=40_00)
    me = Actor.player(player.id, _browser_session(uow, player, now))
    with pytest.raises(StepUpRequired):
        withdrawals.request_withdrawal(uow, me, 10_00, "wd-s1", now)
    assert count_rows(db, "withdrawals") == 0
    with uow:
        sessions.record_step_up(uow.session, me.session_id, now)
        uow.commit()
    w = withdrawals.request_withdrawal(uow, me, 10_00, "wd-s1", now + timedelta(minutes=4))
    assert w.status == "requested" and _balance(uow, _cash(uow, player)) == 30_00
    with pytest.raises(StepUpRequired):  # the step-up lasts 5 minutes
        withdrawals.request_withdrawal(uow, me, 10_00, "wd-s2", now + timedelta(minutes=6))
    assert count_rows(db, "audit_log", "action = 'withdrawal.request'") == 1


def test_replaying_a_withdrawal_request_makes_one_hold_and_one_audit_record(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=40_00)
    me = _step_up_session(uow, player, now)
    first = withdrawals.request_withdrawal(uow, me, 10_00, "wd-replay", now)
    again = withdrawals.request_withdrawal(uow, me, 10_00, "wd-replay", now)
    assert again == first
    assert count_rows(db, "withdrawals") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'withdrawal_hold'") == 1
    assert count_rows(db, "audit_log", "action = 'withdrawal.request'") == 1
    assert _balance(uow, _cash(uow, player)) == 30_00


def test_a_withdrawal_with_another_players_session_is_refused_and_writes_nothing(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    victim, thief = funded_player(amount_minor=40_00), funded_player(amount_minor=10_00)
    victims_session = _step_up_session(uow, victim, now).session_id
    before = _written(db)
    for actor in (Actor.player(thief.id, victims_session), Actor.player(thief.id, None)):
        with pytest.raises(PermissionDenied):
            withdrawals.request_withdrawal(uow, actor, 5_00, "wd-stolen", now)
    assert _written(db) == before
    assert count_rows(db, "withdrawals") == 0
    assert (_balance(uow, _cash(uow, victim)), _balance(uow, _cash(uow, thief))) == (40_00, 10_00)


@pytest.mark.parametrize(
    ("actor", "call"),
    [
        (Actor.operator(3, "support"), "pending"),
        (Actor.operator(3, "support"), "resolve"),
        (Actor.player(1, 1), "resolve"),
        (Actor.anonymous(), "resolve"),
        (Actor.operator(3, "finance"), "request"),
        (Actor.system(), "request"),
    ],
)
def test_an_actor_without_the_permission_is_refused_and_the_refusal_is_audited(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime, actor: Actor, call: str
) -> None:
    player = funded_player(amount_minor=40_00)
    w = withdrawals.request_withdrawal(uow, _step_up_session(uow, player, now), 10_00, "wd-p", now)
    denials = count_rows(db, "audit_log", "action = 'authz.denied'")
    with pytest.raises(PermissionDenied):
        if call == "pending":
            withdrawals.pending_withdrawals(uow, actor)
        elif call == "resolve":
            withdrawals.resolve_withdrawal(uow, actor, w.id, "paid", now=now)
        else:
            withdrawals.request_withdrawal(uow, actor, 10_00, "wd-q", now)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == denials + 1
    assert [x.status for x in withdrawals.player_withdrawals(uow, Actor.player(player.id))] == ["requested"]
    assert count_rows(db, "withdrawals") == 1


def test_an_operator_decision_needs_a_reason_to_reject_and_is_audited(
    db: Database, uow: UnitOfWork, funded_player: Funded, now: datetime
) -> None:
    player = funded_player(amount_minor=40_00)
    w = withdrawals.request_withdrawal(uow, _step_up_session(uow, player, now), 15_00, "wd-r1", now)
    finance = Actor.operator(9, "finance")
    with pytest.raises(InvalidInput):
        withdrawals.resolve_withdrawal(uow, finance, w.id, "rejected", now=now)
    assert withdrawals.pending_withdrawals(uow, finance)[0].player_email == player.email
    with pytest.raises(PermissionDenied):
        withdrawals.pending_withdrawals(uow, Actor.operator(9, "support"))
    withdrawals.resolve_withdrawal(uow, finance, w.id, "rejected", now=now, reason="name mismatch")
    assert count_rows(db, "audit_log", "action = 'withdrawal.rejected' AND actor = 'operator:9'") == 1
    assert withdrawals.pending_withdrawals(uow, finance) == []
    assert [x.status for x in withdrawals.player_withdrawals(uow, Actor.player(player.id))] == ["rejected"]


@dataclass
class _Acquirer(DemoCardProvider):
    name: str = "acquirer"


def test_a_paid_withdrawal_goes_to_the_wiring_default_provider(
    db: Database, funded_player: Funded, now: datetime, uow: UnitOfWork
) -> None:
    player = funded_player(amount_minor=40_00)
    w = withdrawals.request_withdrawal(uow, _step_up_session(uow, player, now), 15_00, "wd-acq", now)
    acquirer = _Acquirer()  # the deposit's provider (demo) is not in this wiring: the default pays
    other = make_wiring(db, payments=PaymentProviders({acquirer.name: acquirer}, "acquirer"))
    withdrawals.resolve_withdrawal(
        other.uow(), stepped_up_operator(uow, "finance", now), w.id, "paid", now=now
    )
    assert _code_balance(uow, "provider_clearing:acquirer:EUR") == 15_00
    assert _code_balance(uow, "provider_clearing:demo:EUR") == -40_00  # the deposit only
