"""The database itself refuses to rewrite history: ledger rows and draw results are write-once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games.lotto.draws import cycle as draws
from tests.support import count_rows, scalar

REFUSED = [
    ("ledger_entries", "UPDATE ledger_entries SET amount = amount + 1"),
    ("ledger_entries", "DELETE FROM ledger_entries"),
    ("ledger_transactions", "UPDATE ledger_transactions SET reason = 'edited'"),
    ("ledger_transactions", "DELETE FROM ledger_transactions"),
]


def _execute(db: Database, sql: str, **params: object) -> None:
    with db.write_engine.begin() as conn:
        conn.execute(sa.text(sql), params)


@pytest.mark.parametrize(("table", "sql"), REFUSED, ids=[s.split()[0].lower() + "-" + t for t, s in REFUSED])
def test_ledger_rows_cannot_be_updated_or_deleted(
    db: Database, funded_player: Callable[..., UserView], table: str, sql: str
) -> None:
    funded_player(amount_minor=30_00)
    before = count_rows(db, table)
    checksum = scalar(db, "SELECT SUM(amount) FROM ledger_entries WHERE amount > 0")
    assert before > 0
    with pytest.raises(DBAPIError, match="append-only"):
        _execute(db, sql)
    assert count_rows(db, table) == before
    assert scalar(db, "SELECT SUM(amount) FROM ledger_entries WHERE amount > 0") == checksum
    assert count_rows(db, "ledger_transactions", "reason = 'edited'") == 0


def test_server_seed_and_commitment_of_an_open_draw_cannot_be_changed(
    db: Database, games: dict[str, Round]
) -> None:
    draw = games["lotto649"]
    with pytest.raises(DBAPIError, match="write-once"):
        _execute(
            db,
            "UPDATE rounds SET server_seed = :s WHERE id = :id",
            s="00" * 32,
            id=draw.id,
        )
    with pytest.raises(DBAPIError, match="write-once"):
        _execute(db, "UPDATE rounds SET seed_commitment = 'x' WHERE id = :id", id=draw.id)
    assert scalar(db, "SELECT server_seed FROM rounds WHERE id = :id", id=draw.id) == (draw.server_seed)


def test_numbers_and_seed_of_a_drawn_draw_cannot_be_changed(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    drawn = draws.run_draw_now(uow, Actor.operator(99, "admin"), "lotto649", now)
    assert drawn.numbers
    with pytest.raises(DBAPIError, match="write-once"):
        _execute(db, "UPDATE rounds SET outcome = '1,2,3,4,5,6' WHERE id = :id", id=drawn.id)
    with pytest.raises(DBAPIError, match="write-once"):
        _execute(
            db,
            "UPDATE rounds SET server_seed = :s WHERE id = :id",
            s="11" * 32,
            id=drawn.id,
        )
    assert scalar(db, "SELECT outcome FROM rounds WHERE id = :id", id=drawn.id) == ",".join(
        map(str, drawn.numbers)
    )


def test_draws_cannot_be_deleted(db: Database, games: dict[str, Round]) -> None:
    before = count_rows(db, "rounds")
    assert before >= 2  # the draws on sale and scheduled ahead for both games
    with pytest.raises(DBAPIError, match="never deleted"):
        _execute(db, "DELETE FROM rounds")
    assert count_rows(db, "rounds") == before


def test_status_of_an_open_draw_may_still_advance(db: Database, games: dict[str, Round]) -> None:
    _execute(db, "UPDATE rounds SET status = 'closed' WHERE id = :id", id=games["lotto649"].id)
    assert count_rows(db, "rounds", "status = 'closed'") == 1


def test_player_balance_cannot_be_set_negative_even_by_raw_sql(
    db: Database, funded_player: Callable[..., UserView]
) -> None:
    funded_player(amount_minor=5_00)
    with pytest.raises(DBAPIError):
        _execute(db, "UPDATE accounts SET balance = -1 WHERE kind = 'player_cash'")
    assert scalar(db, "SELECT balance FROM accounts WHERE kind = 'player_cash'") == 500
