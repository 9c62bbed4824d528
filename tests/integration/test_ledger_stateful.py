"""A Hypothesis state machine over the ledger: random deposits, stakes, wins, refunds,
bonus grants, withdrawal holds, duplicates and reversals, with the invariants checked after
every step (zero-sum, cached balance = entries, never negative, the model's balances)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from casino_app.domain.errors import DomainError, IdempotencyConflict, InsufficientFunds
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.funding import fund_stake
from casino_app.domain.money.vocabulary import TransactionKind
from casino_app.persistence.db import Database
from casino_app.services.backoffice import seed
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.money import ledger, transfers
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.services.payments.withdrawals.withdrawals import AlreadyResolved
from tests.support import FIXED_NOW, confirm_email, make_wiring, registration, stepped_up_operator

PLAYERS = 2
amounts = st.integers(min_value=1, max_value=50_00)
players = st.integers(min_value=0, max_value=PLAYERS - 1)
SYSTEM = Actor.system("model")
FINANCE = Actor.operator(2, "finance")


def make_machine(template: Path) -> type[RuleBasedStateMachine]:
    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.dir = Path(tempfile.mkdtemp(prefix="ledger-sm-"))
            shutil.copyfile(template, self.dir / "db.sqlite")
            self.db = Database(f"sqlite:///{self.dir / 'db.sqlite'}")
            self.uow = make_wiring(self.db).uow()
            self.now = FIXED_NOW
            seed.seed_games(self.uow, self.now)
            draws.schedule(self.uow, self.now)
            self.users = [
                registering.register_player(self.uow, registration(f"sm{i}@example.com"), self.now).id
                for i in range(PLAYERS)
            ]
            for user in self.users:
                confirm_email(self.uow, user, self.now)
            self.finance = stepped_up_operator(self.uow, "finance", self.now)
            self.actors = {user: self._stepped_up(user) for user in self.users}
            with self.uow as u:
                self.clearing = ledger.ensure_account(
                    u.session, kind="provider_clearing", currency="EUR", owner="sm"
                )
                self.house = ledger.ensure_account(
                    u.session, kind="house_revenue", currency="EUR", owner="sm"
                )
                u.commit()
            self.model = {(u, k): 0 for u in self.users for k in ("cash", "bonus", "hold")}
            self.seq = 0
            self.done: list[tuple[str, object, dict[tuple[int, str], int]]] = []
            self.stakes: list[tuple[int, int, int, int]] = []  # (txn, user, cash part, bonus part)
            self.deposits: list[tuple[int, int, int]] = []  # (txn, user, amount)
            self.reversed: set[int] = set()
            self.pending: list[tuple[int, int, int]] = []  # (withdrawal, user, amount)

        def _stepped_up(self, user: int) -> Actor:
            """The player in a browser session that has just confirmed a code (withdrawals need it)."""
            with self.uow as u:
                _, session_id = sessions.open_browser_session(
                    u, user, sessions.ClientInfo(), self.now, step_up=True
                )
                u.commit()
            return Actor.player(user, session_id)

        def teardown(self) -> None:
            self.db.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

        def key(self, prefix: str) -> str:
            self.seq += 1
            return f"{prefix}-{self.seq}"

        def account(self, user: int, kind: str) -> int:
            with self.uow.reader() as r:
                return ledger.find_account(r.session, ledger.account_code(f"player_{kind}", "EUR", user))

        def _transfer(self, src: int, dst: int, amount: int, key: str, kind: str) -> ledger.PostedTransaction:
            return transfers.transfer(
                self.uow, SYSTEM, transfers.Transfer(src, dst, amount, "EUR", key, kind=kind), self.now
            )

        @rule(p=players, amount=amounts)
        def deposit(self, p: int, amount: int) -> None:
            user = self.users[p]
            cmd = transfers.Transfer(
                self.clearing,
                self.account(user, "cash"),
                amount,
                "EUR",
                self.key("dep"),
                TransactionKind.DEPOSIT,
            )
            posted = transfers.transfer(self.uow, SYSTEM, cmd, self.now)
            self.model[(user, "cash")] += amount
            self.deposits.append((posted.id, user, amount))
            self.done.append(("transfer", cmd, {}))

        @rule(p=players, amount=amounts)
        def grant_bonus(self, p: int, amount: int) -> None:
            user = self.users[p]
            transfers.grant_bonus(self.uow, SYSTEM, user, amount, "EUR", self.key("bonus"), self.now)
            self.model[(user, "bonus")] += amount

        @rule(p=players, stake=st.integers(min_value=1_00, max_value=30_00))
        def stake(self, p: int, stake: int) -> None:
            user = self.users[p]
            cash, bonus = self.model[(user, "cash")], self.model[(user, "bonus")]
            cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), stake, self.key("bet"))
            if cash + bonus < stake:
                with pytest.raises(InsufficientFunds):
                    lotto.place_lotto_ticket(self.uow, Actor.player(user), cmd, self.now)
                return
            receipt = lotto.place_lotto_ticket(self.uow, Actor.player(user), cmd, self.now)
            funding = fund_stake(stake, cash, bonus)
            self.model[(user, "cash")] -= funding.cash
            self.model[(user, "bonus")] -= funding.bonus
            assert receipt.balance_after.minor == self.model[(user, "cash")]
            with self.uow.reader() as r:
                txn = r.session.exec(
                    ledger.select(ledger.LedgerTransaction.id).where(
                        ledger.LedgerTransaction.reference == receipt.validation_number
                    )
                ).one()
            self.stakes.append((txn, user, funding.cash, funding.bonus))
            self.done.append(("ticket", (user, cmd), {}))

        @rule(p=players, amount=amounts)
        def win(self, p: int, amount: int) -> None:
            user = self.users[p]
            cmd = transfers.Transfer(
                self.house, self.account(user, "cash"), amount, "EUR", self.key("win"), TransactionKind.WIN
            )
            transfers.transfer(self.uow, SYSTEM, cmd, self.now)
            self.model[(user, "cash")] += amount
            self.done.append(("transfer", cmd, {}))

        @precondition(lambda self: bool(self.stakes))
        @rule(i=st.integers(min_value=0))
        def refund_stake(self, i: int) -> None:
            txn, user, cash, bonus = self.stakes[i % len(self.stakes)]
            transfers.reverse_transaction(self.uow, FINANCE, txn, self.now, reason="void round")
            if txn not in self.reversed:
                self.reversed.add(txn)
                self.model[(user, "cash")] += cash
                self.model[(user, "bonus")] += bonus

        @precondition(lambda self: bool(self.deposits))
        @rule(i=st.integers(min_value=0))
        def chargeback_deposit(self, i: int) -> None:
            txn, user, amount = self.deposits[i % len(self.deposits)]
            if txn in self.reversed:
                transfers.reverse_transaction(self.uow, FINANCE, txn, self.now, reason="chargeback")
                return
            if self.model[(user, "cash")] < amount:
                with pytest.raises(InsufficientFunds):
                    transfers.reverse_transaction(self.uow, FINANCE, txn, self.now, reason="chargeback")
                return
            transfers.reverse_transaction(self.uow, FINANCE, txn, self.now, reason="chargeback")
            self.reversed.add(txn)
            self.model[(user, "cash")] -= amount

        @rule(p=players, amount=amounts)
        def request_withdrawal(self, p: int, amount: int) -> None:
            user = self.users[p]
            actor = self.actors[user]
            if self.model[(user, "cash")] < amount:
                with pytest.raises(InsufficientFunds):
                    withdrawals.request_withdrawal(self.uow, actor, amount, self.key("wd"), self.now)
                return
            w = withdrawals.request_withdrawal(self.uow, actor, amount, self.key("wd"), self.now)
            self.model[(user, "cash")] -= amount
            self.model[(user, "hold")] += amount
            self.pending.append((w.id, user, amount))

        @precondition(lambda self: bool(self.pending))
        @rule(i=st.integers(min_value=0), pay=st.booleans())
        def resolve_withdrawal(self, i: int, pay: bool) -> None:
            wid, user, amount = self.pending.pop(i % len(self.pending))
            outcome = "paid" if pay else "rejected"
            withdrawals.resolve_withdrawal(self.uow, self.finance, wid, outcome, now=self.now, reason="model")
            self.model[(user, "hold")] -= amount
            if not pay:
                self.model[(user, "cash")] += amount
            with pytest.raises(AlreadyResolved):
                withdrawals.resolve_withdrawal(self.uow, self.finance, wid, "paid", now=self.now)

        @precondition(lambda self: bool(self.done))
        @rule(i=st.integers(min_value=0))
        def duplicate(self, i: int) -> None:
            kind, cmd, _ = self.done[i % len(self.done)]
            if kind == "transfer":
                assert transfers.transfer(self.uow, SYSTEM, cmd, self.now).replayed  # type: ignore[arg-type]
                other = transfers.Transfer(**{**cmd.__dict__, "amount_minor": cmd.amount_minor + 1})  # type: ignore[attr-defined]
                with pytest.raises(IdempotencyConflict):
                    transfers.transfer(self.uow, SYSTEM, other, self.now)
            else:
                try:
                    user, ticket = cmd  # type: ignore[misc]
                    assert lotto.place_lotto_ticket(self.uow, Actor.player(user), ticket, self.now).replayed
                except DomainError as err:  # pragma: no cover - a replay never fails
                    raise AssertionError(err) from err

        @invariant()
        def ledger_is_consistent(self) -> None:
            with self.uow.reader() as r:
                assert ledger.check_integrity(r.session) == []
                total = r.session.execute(ledger.sa.text("SELECT SUM(balance) FROM accounts")).scalar_one()
            assert total == 0

        @invariant()
        def balances_match_the_model(self) -> None:
            with self.uow.reader() as r:
                for (user, kind), expected in self.model.items():
                    code = ledger.account_code(f"player_{kind}", "EUR", user)
                    row = r.session.exec(
                        ledger.select(ledger.Account.balance).where(ledger.Account.code == code)
                    ).first()
                    assert (row or 0) == expected, (user, kind)

    return LedgerMachine


def test_random_money_operations_keep_every_ledger_invariant(sqlite_template: Path) -> None:
    run_state_machine_as_test(
        make_machine(sqlite_template),
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
