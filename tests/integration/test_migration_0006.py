"""Migration 0006 moves lotto onto the bet engine with the data intact.

A database is built at the previous head (0005), filled the way the old code wrote it (games,
draws, a pending ticket, a won ticket partly funded by bonus money, their ledger postings),
then upgraded: every ticket is a bet with the same ids and money links, every draw a round,
balances are unchanged, the ledger check is clean, and the new engine settles the old ticket.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from alembic import command
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.money import ledger
from tests.support import FIXED_NOW, alembic_config, make_wiring

T0 = FIXED_NOW - timedelta(hours=1)


def _fill(conn: sa.Connection, table: str, **values: Any) -> int:
    """Insert a row, giving every other NOT NULL column without a default a plain value."""
    meta = sa.MetaData()
    t = sa.Table(table, meta, autoload_with=conn)
    row = dict(values)
    for c in t.columns:
        if c.name in row or c.nullable or c.primary_key or c.server_default is not None:
            continue
        py = c.type.python_type
        row[c.name] = {str: f"x-{c.name}"[:8], int: 0, datetime: T0, date: date(1990, 1, 1), bool: False}[py]
    result = conn.execute(t.insert().values(**row).returning(t.c[next(iter(t.primary_key)).name]))
    return int(result.scalar_one())


def _post(conn: sa.Connection, kind: str, key: str, legs: list[tuple[int, int]], reference: str = "") -> int:
    txn = _fill(
        conn,
        "ledger_transactions",
        kind=kind,
        idempotency_key=key,
        request_hash="h",
        reference=reference,
        actor="system",
        reason="",
        created_at=T0,
    )
    for account, amount in legs:
        balance = conn.execute(
            sa.text("UPDATE accounts SET balance = balance + :a WHERE id = :i RETURNING balance"),
            {"a": amount, "i": account},
        ).scalar_one()
        _fill(
            conn,
            "ledger_entries",
            transaction_id=txn,
            account_id=account,
            amount=amount,
            currency="EUR",
            balance_after=balance,
        )
    return txn


def _account(conn: sa.Connection, code: str, kind: str, owner: int | None) -> int:
    return _fill(conn, "accounts", code=code, owner_id=owner, kind=kind, currency="EUR", shard=0, balance=0)


def _seed_old_schema(url: str) -> dict[str, Any]:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        user = _fill(
            conn, "users", email_index="idx-1", role="player", status="active", currency="EUR", created_at=T0
        )
        game = _fill(
            conn,
            "lotto_games",
            code="lotto649",
            name="Lotto 6/49",
            pick=6,
            pool=49,
            paytable="3:10,4:100,5:5000,6:1000000",
            min_stake=100,
            max_stake=10000,
            currency="EUR",
            draw_interval_seconds=300,
        )
        draw = {
            "game_id": game,
            "status": "drawn",
            "seed_commitment": "c" * 64,
            "server_seed": "1" * 64,
            "numbers": "1,2,3,4,5,6",
        }
        drawn = _fill(
            conn, "draws", code="20260301-110000", sales_close_at=T0, draw_at=T0, drawn_at=T0, **draw
        )
        cash = _account(conn, f"player_cash:{user}:EUR", "player_cash", user)
        bonus = _account(conn, f"player_bonus:{user}:EUR", "player_bonus", user)
        house = _account(conn, "house_revenue:lotto649:EUR", "house_revenue", None)
        clearing = _account(conn, "provider_clearing:sandbox:EUR", "provider_clearing", None)
        expense = _account(conn, "bonus_expense:house:EUR", "bonus_expense", None)
        _post(conn, "deposit", "deposit:o1", [(clearing, -20_00), (cash, 20_00)])
        _post(conn, "bonus_grant", "bonus:1", [(expense, -2_00), (bonus, 2_00)])
        tickets = []
        for n, (selection, cash_part, bonus_part) in enumerate(
            [("1,2,3,10,11,12", 4_00, 1_00), ("7,8,9,10,11,12", 2_00, 0)]
        ):
            stake_txn = _post(
                conn,
                "stake",
                f"ticket:{user}:req-{n}",
                [
                    (cash, -cash_part),
                    *([(bonus, -bonus_part)] if bonus_part else []),
                    (house, cash_part + bonus_part),
                ],
            )
            tickets.append(
                _fill(
                    conn,
                    "tickets",
                    validation_number=f"VAL{n}-AAAA-BBBB",
                    user_id=user,
                    draw_id=drawn,
                    selection=selection,
                    stake=cash_part + bonus_part,
                    stake_bonus=bonus_part,
                    currency="EUR",
                    status="pending",
                    win=0,
                    transaction_id=stake_txn,
                    created_at=T0,
                )
            )
        # The first ticket (three matches, stake 5.00 of which 1.00 bonus) was already paid 50.00.
        win = _post(conn, "win", f"win:{tickets[0]}", [(house, -50_00), (cash, 40_00), (bonus, 10_00)])
        conn.execute(
            sa.text(
                "UPDATE tickets SET status = 'win', matches = 3, win = 5000, settled_at = :t WHERE id = :i"
            ),
            {"t": T0, "i": tickets[0]},
        )
        balances = dict(conn.execute(sa.text("SELECT code, balance FROM accounts")).all())
    engine.dispose()
    return {"user": user, "draw": drawn, "tickets": tickets, "win": win, "balances": balances, "game": game}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database migrated to 0005 only."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        command.upgrade(alembic_config(url), "0005")
        yield url
        return
    admin, base, _template = request.getfixturevalue("pg_server")
    name = f"casino_m6_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "0005")
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrading_moves_tickets_to_bets_and_draws_to_rounds_with_money_intact(old_database: str) -> None:
    before = _seed_old_schema(old_database)
    command.upgrade(alembic_config(old_database), "head")
    db = Database(old_database)
    try:
        with db.read_engine.connect() as conn:
            bets = conn.execute(
                sa.text(
                    "SELECT id, public_id, round_id, status, stake, stake_bonus, win, win_bonus, result, "
                    "idempotency_key, settle_transaction_id, game_version FROM bets ORDER BY id"
                )
            ).all()
            rounds = conn.execute(
                sa.text("SELECT id, status, outcome, server_seed, game_version FROM rounds")
            ).all()
            balances = dict(conn.execute(sa.text("SELECT code, balance FROM accounts")).all())
            rules = conn.execute(sa.text("SELECT rules FROM game_versions")).scalar_one()
            old_tables = sa.inspect(conn).get_table_names()
        won, pending = before["tickets"]
        assert [tuple(b) for b in bets] == [
            (
                won,
                "VAL0-AAAA-BBBB",
                before["draw"],
                "win",
                5_00,
                1_00,
                50_00,
                10_00,
                "3",
                "req-0",
                before["win"],
                1,
            ),
            (pending, "VAL1-AAAA-BBBB", before["draw"], "pending", 2_00, 0, 0, 0, "", "req-1", None, 1),
        ]
        assert [tuple(r) for r in rounds] == [(before["draw"], "drawn", "1,2,3,4,5,6", "1" * 64, 1)]
        assert '"pick": 6' in rules and '"pool": 49' in rules
        assert balances == before["balances"]
        assert not {"tickets", "draws", "lotto_games"} & set(old_tables)
        wiring = make_wiring(db)
        with wiring.uow().reader() as r:
            assert ledger.check_integrity(r.session) == []
        tickets, settled_draws = draws.settle_due(wiring.uow(), FIXED_NOW)
        assert (tickets, settled_draws) == (1, 1)  # the old pending ticket settles on the engine
        # The job keeps the draws on sale and those scheduled ahead: at least the next one.
        assert draws.run_cycle(wiring.uow(), Actor.system(), FIXED_NOW).scheduled >= 1
        with wiring.uow().reader() as r:
            assert ledger.check_integrity(r.session) == []
    finally:
        db.dispose()


def test_the_migrated_schema_refuses_a_status_outside_the_vocabulary(old_database: str) -> None:
    _seed_old_schema(old_database)
    command.upgrade(alembic_config(old_database), "head")
    engine = sa.create_engine(old_database)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE bets SET status = 'won'"))
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE accounts SET kind = 'player_cash2' WHERE kind = 'player_cash'"))
    finally:
        engine.dispose()
