"""The bet hot path in round trips (docs/ARCHITECTURE.md: one stored function per bet on PostgreSQL
when no check needs facts; with responsible gaming, the facts under the player's lock first, then
the stake, in one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import event

from casino_app.domain.games.checks import default_checks
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.backoffice import seed
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from tests.support import make_wiring


def _statements_of_one_bet(
    db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime, **parts: object
) -> list[str]:
    wiring = make_wiring(db, **parts)
    seed.seed_games(wiring.uow(), now)
    draws.schedule(wiring.uow(), now)
    user = funded_player_on(db, 10_00)
    player = Actor.player(user.id)
    cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), 1_00, "rt-warm")
    lotto.place_lotto_ticket(wiring.uow(), player, cmd, now)  # warm the game and draw caches
    statements: list[str] = []
    event.listen(db.write_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert db.write_engine.pool._pre_ping is False  # a ping would be another round trip
    cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), 1_00, "rt-1")
    receipt = lotto.place_lotto_ticket(wiring.uow(), player, cmd, now)
    assert not receipt.replayed
    return statements


@pytest.mark.postgres
def test_a_bet_on_postgresql_is_one_statement_and_one_round_trip(
    pg_db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime
) -> None:
    statements = _statements_of_one_bet(pg_db, funded_player_on, now, stake_checks=default_checks())
    assert len(statements) == 1 and "casino_place_stake" in statements[0]


@pytest.mark.postgres
def test_a_bet_under_responsible_gaming_checks_is_two_statements_in_one_transaction(
    pg_db: Database,
    funded_player_on: Callable[[Database, int], UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The default wiring, on the stake's own psycopg connection: the RG facts under the player's
    lock, then the stake, in one transaction (BEGIN and COMMIT are the only other round trips)."""
    import psycopg

    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def recording_execute(self: psycopg.Cursor, query: str, *args: object, **kwargs: object) -> object:
        sent.append(str(query))
        return execute(self, query, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(psycopg.Cursor, "execute", recording_execute)
    statements = _statements_of_one_bet(pg_db, funded_player_on, now)
    assert statements == []  # nothing through SQLAlchemy: the stake went through its own connection
    last = max(i for i, q in enumerate(sent) if "casino_rg_facts" in q)
    facts, stake = sent[last:]  # the second (measured) bet: two statements, then COMMIT
    assert facts.startswith("SELECT * FROM casino_rg_facts")
    assert stake.startswith("SELECT * FROM casino_place_stake")
