"""The bet hot path in round trips (docs/ARCHITECTURE.md: one stored function per bet on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import event

from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.backoffice import seed
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto import draws
from tests.support import make_wiring


@pytest.mark.postgres
def test_a_bet_on_postgresql_is_one_statement_and_one_round_trip(
    pg_db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime
) -> None:
    wiring = make_wiring(pg_db)
    seed.seed_games(wiring.uow(), now)
    draws.schedule(wiring.uow(), now)
    user = funded_player_on(pg_db, 10_00)
    player = Actor.player(user.id)
    cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), 1_00, "rt-warm")
    lotto.place_lotto_ticket(wiring.uow(), player, cmd, now)  # warm the game and draw caches
    statements: list[str] = []
    event.listen(pg_db.write_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert pg_db.write_engine.pool._pre_ping is False  # a ping would be a second round trip
    cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), 1_00, "rt-1")
    receipt = lotto.place_lotto_ticket(wiring.uow(), player, cmd, now)
    assert not receipt.replayed
    assert len(statements) == 1 and "casino_place_stake" in statements[0]
