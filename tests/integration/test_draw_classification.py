"""Set-based settlement: the database classifies every line as the domain does, once per draw.

The SQL that counts hits in the scan (lotto/settlement/sql.py: strpos/instr per drawn number, a Python
function for SQLite's tickets of several lines) must give the hits the domain computes for
every line and never miss a prize ticket; the draw's one settlement transaction settles
and pays the prize tickets and marks the draw settled, or leaves nothing; then the other
tickets are written lost (no posting, no win) and each player gets one inbox notice, in steps
a rerun finishes, and until then every reader shows those tickets lost.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

import pytest
import sqlalchemy as sa

from casino_app.bootstrap import Wiring
from casino_app.domain.games import lotto as rules
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, receipts
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.settlement import classification as draw_classification
from casino_app.services.games.lotto.settlement import jackpot
from casino_app.services.games.lotto.settlement import recording as draw_results
from casino_app.services.games.lotto.settlement import sql as draw_sql
from casino_app.services.games.lotto.tickets import views as ticket_views
from casino_app.services.games.lotto.tickets.purchase import BuyLottoTicket, buy_ticket
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
        lines = _lines(rnd, rnd.choice((1, 1, 2, 3, 4, 10)))
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
    with db.read_engine.connect() as conn:  # the RG usage trigger recorded every win, and only wins
        won = dict(conn.execute(sa.text("SELECT user_id, SUM(won) FROM rg_usage GROUP BY user_id")).all())
        paid = dict(conn.execute(sa.text("SELECT user_id, SUM(win) FROM bets GROUP BY user_id")).all())
    assert {u: int(w) for u, w in won.items()} == {u: int(w) for u, w in paid.items()}
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_each_player_gets_one_notice_per_draw_with_their_totals(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
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
    paid: list[int] = []
    original = settlement.settle_all_in

    def counted(uow: UnitOfWork, decided: list[object], now: datetime, **kw: object) -> int:
        paid.append(len(decided))
        return original(uow, decided, now)  # type: ignore[arg-type]

    monkeypatch.setattr(settlement, "settle_all_in", counted)
    draws.run_draw_now(uow, ADMIN, "quick535", now)

    assert paid == [0]  # nothing was left for the engine
    assert count_rows(db, "bets", "status = 'lose' AND result = '0,0'") == 3
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 0
    assert count_rows(db, "rounds", "status = 'settled'") >= 1


EDGES = [(1,), (11,), (21,), (31,), (35,), (1, 11), (3, 13, 23, 33), (34, 35)]


@pytest.mark.parametrize("numbers", [(1, 8, 15, 22, 29), (3, 11, 21, 33, 35)])
def test_the_sql_counts_every_line_as_the_domain_does_on_every_line_count(
    db: Database, numbers: tuple[int, ...]
) -> None:
    """Numbers that are prefixes or suffixes of others (1, 11, 21, 31), the pool's ends, tickets
    of one to ten lines and one of eleven (over the limit: a candidate for Python, no result)."""
    rnd = random.Random(sum(numbers))
    tiers = frozenset({2, 3, 4, 5})
    sql = draw_sql.Classifier(db.dialect, numbers, tiers, 10)
    selections = [
        rules.format_lines([tuple(sorted(rnd.sample(range(1, 36), 5))) for _ in range(count)])
        for count in [*range(1, 11), *[rnd.randint(1, 10) for _ in range(150)]]
    ]
    selections += [
        rules.format_lines([tuple(sorted({*edge, *rnd.sample(range(2, 35), 5)}))[:5]]) for edge in EDGES
    ]
    with db.write_engine.connect() as conn:
        if db.dialect == "sqlite":
            sql.register(conn.connection.driver_connection)
        for selection in selections:
            hits, prize = conn.execute(
                sa.text(f"SELECT {sql.hits(':s')}, {sql.prize(':s')}"), {"s": selection}
            ).one()
            lines = rules.parse_lines(selection)
            assert hits == prizes.hits_summary(lines, numbers), selection
            assert bool(prize) == any(int(h) in tiers for h in hits.split(",")), selection
        over = rules.format_lines([(1, 2, 3, 4, 5)] * 11)
        hits, prize = conn.execute(sa.text(f"SELECT {sql.hits(':s')}, {sql.prize(':s')}"), {"s": over}).one()
        if db.dialect == "postgresql":  # over the limit: Python classifies it
            assert prize and hits is None
        else:  # the registered function counts any number of lines
            assert hits == prizes.hits_summary(rules.parse_lines(over), numbers) and not prize


def _state(db: Database) -> tuple[int, ...]:
    return tuple(
        count_rows(db, table, where)
        for table, where in [
            ("ledger_transactions", "kind = 'win'"),
            ("bets", "status = 'pending'"),
            ("draw_settlements", "1 = 1"),
            ("notifications", "kind = 'draw_settled'"),
            ("rounds", "status = 'settled'"),
        ]
    )


def test_losing_tickets_of_a_settled_draw_read_lost_before_their_rows_are_written_and_a_rerun_writes_them(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
    players = [funded_player(amount_minor=500_00) for _ in range(3)]
    _buy_many(uow, players, now, 30)

    def killed(*args: object, **kwargs: object) -> int:
        raise RuntimeError("worker killed before the losers were written")

    monkeypatch.setattr(draw_classification, "record_losers", killed)
    with pytest.raises(RuntimeError):
        draws.run_draw_now(uow, ADMIN, "quick535", now)
    wins, pending, figures, notes, settled = _state(db)
    assert (figures, notes, settled) == (1, 0, 1) and pending > 0 and wins > 0  # the money is settled
    assert count_rows(db, "draw_settlements", "recorded_at IS NULL") == 1
    shown = {}
    for player in players:
        page = ticket_views.my_tickets(uow, Actor.player(player.id), 0, 50)
        for ticket in page.tickets:
            for d in ticket.draws:
                assert d.status in ("win", "lose"), d  # never "pending" in a settled draw
                hits = prizes.hits_summary(ticket.lines, WINNING)
                assert d.result == hits
                shown[d.bet_id] = (d.status, d.result)
                signed = receipts.receipt(uow, Actor.player(player.id), d.bet_id)
                assert (signed.document["status"], signed.document["result"]) == (d.status, hits)

    monkeypatch.undo()
    draws.run_cycle(uow, Actor.system(), now)
    assert _state(db)[1:4] == (0, 1, 3)  # every ticket written, one notice per player
    assert count_rows(db, "draw_settlements", "recorded_at IS NULL") == 0
    with db.read_engine.connect() as conn:
        rows = dict(
            (p, (st, r))
            for p, st, r in conn.execute(sa.text("SELECT public_id, status, result FROM bets")).all()
        )
    assert rows == shown  # the rows say what the readers showed
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_a_settlement_interrupted_at_its_last_step_leaves_nothing_and_a_rerun_settles_it_once(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
    players = [funded_player(amount_minor=500_00) for _ in range(3)]
    _buy_many(uow, players, now, 30)
    before = _state(db)

    def killed(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("worker killed after the wins were posted")

    monkeypatch.setattr(draw_results, "mark_settled_in", killed)
    with pytest.raises(RuntimeError):
        draws.run_draw_now(uow, ADMIN, "quick535", now)
    assert _state(db) == before  # no ticket settled, no win, no figures, no notice
    assert count_rows(db, "rounds", "status = 'drawn'") == 1

    monkeypatch.undo()
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
    for _ in range(2):
        draws.run_cycle(uow, Actor.system(), now)
    wins, pending, figures, notes, _ = _state(db)
    assert (pending, figures, notes) == (0, 1, 3)
    assert wins == count_rows(db, "bets", "status = 'win'") > 0
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_two_workers_racing_on_a_drawn_draw_settle_it_once(
    db: Database,
    wiring: Wiring,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uow = wiring.uow()
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(WINNING))
    _buy_many(uow, [funded_player(amount_minor=500_00) for _ in range(2)], now, 20)
    draw_id = _open_draw(db)
    with uow:
        uow.session.execute(
            sa.text("UPDATE rounds SET closes_at = :t, draw_at = :t WHERE id = :d"), {"t": now, "d": draw_id}
        )
        uow.commit()
    draws.close_sales(uow, now)
    assert draws.draw_due(uow, now) >= 1
    settled: list[tuple[int, int]] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        mine = wiring.uow()
        barrier.wait()
        settled.append(draws.settle_due(mine, now))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(tickets for tickets, _ in settled) == 20  # every ticket once, by one worker or the other
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == count_rows(db, "bets", "status = 'win'")
    assert count_rows(db, "ledger_transactions", "idempotency_key LIKE 'win:%'") == count_rows(
        db, "bets", "win > 0"
    )
    assert count_rows(db, "notifications", "kind = 'draw_settled'") == 2
    with uow:
        assert ledger.check_integrity(uow.session) == []


def _open_draw(db: Database) -> int:
    with db.read_engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT DISTINCT round_id FROM bets")).scalar_one())
