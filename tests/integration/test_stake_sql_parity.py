"""The funding rule lives in domain/money/funding.py; PostgreSQL's stored function repeats it in SQL.

A property test drives both engines' stake paths (SQLite runs the Python rule, PostgreSQL the
PL/pgSQL function) with the same random balances, stakes and funding order, and proves they
post exactly what the domain rule says, or refuse together.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casino_app.config import Settings
from casino_app.domain.errors import InsufficientFunds
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.funding import fund_stake
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.db import Database
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.engine import rounds
from casino_app.services.identity.accounts import registration as registration_service
from casino_app.services.money import ledger
from tests.support import FIXED_NOW, make_wiring, registration

BIG = GameSpec("parity", "Parity", GameKind.INSTANT, "EUR", {}, 1, 10**9)
AMOUNT = st.integers(min_value=0, max_value=5_000_000)


class _Engine:
    """One database set up for the property: a player, their two wallets, an open round."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.wirings = {
            first: make_wiring(db, settings=Settings(db_url=db.url, stake_cash_first=first))
            for first in (True, False)
        }
        uow = self.wirings[True].uow()
        self.game = catalog.ensure_game(uow, Actor.system(), BIG, FIXED_NOW)
        self.user = registration_service.register_player(
            uow, registration("parity@example.com"), FIXED_NOW
        ).id
        with uow:
            self.round = rounds.open_round_in(uow, self.game, FIXED_NOW)
            ids = ledger.ensure_accounts(
                uow.session,
                [
                    (AccountKind.PLAYER_CASH, "EUR", self.user, 0),
                    (AccountKind.PLAYER_BONUS, "EUR", self.user, 0),
                ],
            )
            uow.commit()
        self.cash = ids[ledger.account_code(AccountKind.PLAYER_CASH, "EUR", self.user)]
        self.bonus = ids[ledger.account_code(AccountKind.PLAYER_BONUS, "EUR", self.user)]
        self.n = 0

    def stake(self, cash: int, bonus: int, amount: int, cash_first: bool, now: datetime) -> object:
        """Set the balances, stake, and return {account kind: amount} of the posting (or the error)."""
        with self.db.write_engine.begin() as conn:
            for account, balance in ((self.cash, cash), (self.bonus, bonus)):
                conn.execute(
                    sa.text("UPDATE accounts SET balance = :b WHERE id = :i"), {"b": balance, "i": account}
                )
        self.n += 1
        request = engine.Stake(self.game, self.round, amount, "x", f"parity-{self.n}", {"n": self.n})
        try:
            placed = engine.place_stake(self.wirings[cash_first].uow(), Actor.player(self.user), request, now)
        except InsufficientFunds:
            return "insufficient_funds"
        with self.db.read_engine.connect() as conn:
            legs = conn.execute(
                sa.text(
                    "SELECT a.kind, e.amount FROM ledger_entries e JOIN accounts a ON a.id = e.account_id "
                    "WHERE e.transaction_id = :t"
                ),
                {"t": placed.transaction_id},
            ).all()
        return {kind: int(value) for kind, value in legs}


def _expected(cash: int, bonus: int, amount: int, cash_first: bool) -> object:
    try:
        funding = fund_stake(amount, cash, bonus, cash_first=cash_first)
    except InsufficientFunds:
        return "insufficient_funds"
    legs = {"house_revenue": amount, "player_cash": -funding.cash, "player_bonus": -funding.bonus}
    return {kind: value for kind, value in legs.items() if value}


@pytest.mark.postgres
def test_python_and_sql_fund_and_post_every_stake_identically(sqlite_db: Database, pg_db: Database) -> None:
    engines = [_Engine(sqlite_db), _Engine(pg_db)]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        cash=AMOUNT,
        bonus=AMOUNT,
        amount=st.integers(min_value=1, max_value=10_000_000),
        cash_first=st.booleans(),
    )
    def same_postings(cash: int, bonus: int, amount: int, cash_first: bool) -> None:
        outcomes = [e.stake(cash, bonus, amount, cash_first, FIXED_NOW) for e in engines]
        assert outcomes[0] == outcomes[1] == _expected(cash, bonus, amount, cash_first)

    same_postings()


@pytest.mark.postgres
def test_the_parity_check_would_notice_a_different_rule(sqlite_db: Database, pg_db: Database) -> None:
    """The comparison is not vacuous: cash first and bonus first post differently."""
    e = _Engine(pg_db)
    assert e.stake(3_00, 5_00, 4_00, True, FIXED_NOW) == {
        "player_cash": -3_00,
        "player_bonus": -1_00,
        "house_revenue": 4_00,
    }
    assert e.stake(3_00, 5_00, 4_00, False, FIXED_NOW) == {"player_bonus": -4_00, "house_revenue": 4_00}
