"""Set-based settlement: the database classifies every line as the domain does, once per draw.

The one-statement classification (SQL on PostgreSQL, a registered function on SQLite) must
write the hits the domain computes for every line, settle exactly the tickets without a prize
line as lost (no posting, no win), leave the others to the engine, and a draw's players get
one inbox notice each, however many batches paid their tickets.
"""

from __future__ import annotations

import functools
import json
import random
import uuid
from collections.abc import Callable
from datetime import datetime

import pytest
import sqlalchemy as sa

from casino_app.domain.games import lotto as rules
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import catalog
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto import draws, jackpot
from casino_app.services.games.lotto.ticket_purchase import BuyLottoTicket, buy_ticket
from casino_app.services.money import ledger
from tests.support import count_rows

ADMIN = Actor.operator(999, "admin")
WINNING = [1, 8, 15, 22, 29]


def _lines(rnd: random.Random, count: int) -> tuple[tuple[int, ...], ...]:
    """Random 5-of-35 lines, biased towards the winning numbers so every tier shows up."""
    out = []
    for _ in range(count):
        hits = rnd.randint(0, 5)
        others = [n for n in range(1, 36) if n not in WINNING]
        out.append(tuple(sorted(rnd.sample(WINNING, hits) + rnd.sample(others, 5 - hits))))
    return tuple(out)


def _buy_many(uow: UnitOfWork, players: list[UserView], now: datetime, tickets: int) -> None:
    rnd = random.Random(7)
    for i in range(tickets):
        lines = _lines(rnd, rnd.randint(1, 4))
        cmd = BuyLottoTicket("quick535", lines, 1_00 * len(lines), uuid.uuid4().hex)
        buy_ticket(uow, Actor.player(players[i % len(players)].id), cmd, now)


def _bets(db: Database) -> list[sa.Row[tuple[str, str, str, int, int]]]:
    with db.read_engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT selection, result, status, win, stake FROM bets")).all())


def test_the_database_classifies_every_line_as_the_domain_does(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
    players = [funded_player(amount_minor=500_00) for _ in range(4)]
    _buy_many(uow, players, now, 60)

    draws.run_draw_now(uow, ADMIN, "quick535", now)

    table = jackpot.prize_table(catalog.game_facts(uow, "quick535"))
    tiers = set(table.tiers())
    bets = _bets(db)
    assert len(bets) == 60
    for selection, result, status, win, stake in bets:
        lines = rules.parse_lines(selection)
        assert result == prizes.hits_summary(lines, WINNING)
        expected = prizes.classify(table, lines, stake, WINNING)
        prize = any(line.matches in tiers for line in expected)
        assert status == ("win" if prize else "lose")
        if not table.is_jackpot(max(line.matches for line in expected)):
            assert win == sum(line.fixed_win for line in expected)
    losers = count_rows(db, "bets", "status = 'lose'")
    assert 0 < losers < 60
    assert count_rows(db, "bets", "status = 'lose' AND (win <> 0 OR settle_transaction_id IS NOT NULL)") == 0
    assert count_rows(db, "bets", "status = 'lose' AND settled_at IS NULL") == 0
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == count_rows(db, "bets", "status = 'win'")
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_each_player_gets_one_notice_per_draw_however_many_batches_paid_it(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
    monkeypatch.setattr(settlement, "settle_batch", functools.partial(settlement.settle_batch, limit=1))
    players = [funded_player(amount_minor=500_00) for _ in range(3)]
    _buy_many(uow, players, now, 24)

    draws.run_draw_now(uow, ADMIN, "quick535", now)
    draws.run_cycle(uow, Actor.system(), now)  # a second pass notes nothing again

    assert count_rows(db, "notifications", "kind = 'draw_settled'") == 3
    with db.read_engine.connect() as conn:
        notes = conn.execute(sa.text("SELECT user_id, params FROM notifications ORDER BY user_id")).all()
    by_user = {int(u): json.loads(p) for u, p in notes}
    for player in players:
        params = by_user[player.id]
        with db.read_engine.connect() as conn:
            tickets, staked, won = conn.execute(
                sa.text("SELECT count(*), sum(stake), sum(win) FROM bets WHERE user_id = :u"),
                {"u": player.id},
            ).one()
        assert (params["tickets"], params["stake_minor"], params["won_minor"]) == (tickets, staked, won)
        assert params["game_code"] == "quick535"


def test_a_draw_with_no_prize_line_settles_every_ticket_in_the_classification(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: [31, 32, 33, 34, 35])
    player = funded_player(amount_minor=50_00)
    for _ in range(3):
        cmd = BuyLottoTicket("quick535", ((1, 2, 3, 4, 5), (6, 7, 8, 9, 10)), 2_00, uuid.uuid4().hex)
        buy_ticket(uow, Actor.player(player.id), cmd, now)
    batches: list[int] = []
    original = settlement.settle_batch

    def counted(*args: object, **kwargs: object) -> int:
        batches.append(original(*args, **kwargs))  # type: ignore[arg-type]
        return batches[-1]

    monkeypatch.setattr(settlement, "settle_batch", counted)
    draws.run_draw_now(uow, ADMIN, "quick535", now)

    assert batches == [0]  # nothing was left for the engine
    assert count_rows(db, "bets", "status = 'lose' AND result = '0,0'") == 3
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 0
    assert count_rows(db, "rounds", "status = 'settled'") >= 1
