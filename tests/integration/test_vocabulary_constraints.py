"""Every kind and status column admits exactly its domain vocabulary, on both engines.

The enums in domain/*/vocabulary.py are the source; migrations freeze their values in SQL
(CHECK constraints, or insert/update triggers on SQLite's older tables). This test reads the
constraints back from the migrated database and compares them with the enums, so a value added
to an enum without a migration fails here.
"""

from __future__ import annotations

import re
from enum import StrEnum

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from casino_app.domain.games.vocabulary import BetStatus, GameKind, RoundStatus, SeedPairStatus
from casino_app.domain.identity.vocabulary import Role, UserStatus
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentStatus, WithdrawalStatus
from casino_app.persistence import tables  # noqa: F401  (registers every table model)
from casino_app.persistence.db import Database
from casino_app.persistence.types import VOCABULARY_CHECKS

# Written out: the core vocabulary, so that a lost registration cannot hide one of them.
CORE: list[tuple[str, str, str, type[StrEnum]]] = [
    ("accounts", "kind", "ck_accounts_kind", AccountKind),
    ("ledger_transactions", "kind", "ck_ledger_transactions_kind", TransactionKind),
    ("payments", "status", "ck_payments_status", PaymentStatus),
    ("payments", "direction", "ck_payments_direction", PaymentDirection),
    ("withdrawals", "status", "ck_withdrawals_status", WithdrawalStatus),
    ("users", "role", "ck_users_role", Role),
    ("users", "status", "ck_users_status", UserStatus),
    ("games", "kind", "ck_games_kind", GameKind),
    ("rounds", "status", "ck_rounds_status", RoundStatus),
    ("bets", "status", "ck_bets_status", BetStatus),
    ("seed_pairs", "status", "ck_seed_pairs_status", SeedPairStatus),
]


def _registered() -> list[tuple[str, str, str, type[StrEnum]]]:
    """Every `check_in` constraint of the table models (payments, payouts, responsible gaming ...)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, sa.CheckConstraint) and constraint.name in VOCABULARY_CHECKS:
                column, enum = VOCABULARY_CHECKS[str(constraint.name)]
                found.append((table.name, column, str(constraint.name), enum))
    return sorted(found, key=lambda c: (c[0], c[2]))  # one order in every test process


COLUMNS = CORE + [c for c in _registered() if c[2] not in {core[2] for core in CORE}]


def test_every_core_constraint_is_registered_by_its_table_model() -> None:
    assert {c[2] for c in CORE} <= {c[2] for c in _registered()}


def _constraint_sql(db: Database, table: str, name: str) -> str:
    with db.read_engine.connect() as conn:
        if db.dialect == "postgresql":
            found = conn.execute(
                sa.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :n"), {"n": name}
            ).scalar()
            return str(found or "")
        rows = conn.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE tbl_name = :t AND (name LIKE :n OR type = 'table')"),
            {"t": table, "n": f"{name}_%"},
        ).all()
    texts = [r[0] or "" for r in rows]
    trigger = [t for t in texts if t.upper().startswith("CREATE TRIGGER") and name in t]
    if trigger:
        return trigger[0]
    table_sql = next((t for t in texts if t.upper().startswith("CREATE TABLE")), "")
    match = re.search(rf"CONSTRAINT {name} CHECK \(([^)]*)\)", table_sql)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("table", "column", "name", "enum"), COLUMNS, ids=[c[2] for c in COLUMNS])
def test_each_status_column_admits_exactly_its_enums_values(
    db: Database, table: str, column: str, name: str, enum: type[StrEnum]
) -> None:
    sql = _constraint_sql(db, table, name)
    assert sql, f"no constraint {name} on {table}.{column}"
    assert column in sql
    allowed = set(re.findall(r"'([a-z_]+)'", sql))
    assert allowed == {member.value for member in enum}


def test_the_engines_refuse_a_word_outside_the_vocabulary(db: Database) -> None:
    with pytest.raises(sa.exc.IntegrityError), db.write_engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO accounts (code, owner_id, kind, currency, shard, balance) "
                "VALUES ('x:1:EUR', NULL, 'casino_float', 'EUR', 0, 0)"
            )
        )
    with db.read_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM accounts WHERE code = 'x:1:EUR'")).scalar_one() == 0
