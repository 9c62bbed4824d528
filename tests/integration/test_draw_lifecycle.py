"""The draw lifecycle: scheduled -> open -> closed -> drawn -> settled, caught up after downtime,
and drawn by one worker when two race for a due draw (both engines)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlmodel import col, select

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import seed
from casino_app.services.games.lotto.draws import cycle as draws
from tests.support import count_rows

SYSTEM = Actor.system()


def _draws(uow: UnitOfWork, game: str) -> list[Round]:
    with uow.reader() as r:
        return list(
            r.session.exec(
                select(Round)
                .join(Game, col(Game.id) == Round.game_id)
                .where(Game.code == game)
                .order_by(col(Round.draw_at))
            ).all()
        )


def test_draws_are_scheduled_ahead_committed_and_open_when_the_previous_sales_close(
    uow: UnitOfWork, now: datetime
) -> None:
    seed.seed_games(uow, now)
    draws.run_cycle(uow, SYSTEM, now)
    planned = _draws(uow, "quick535")
    selling = len(planned) - draws.SCHEDULE_AHEAD
    assert [d.status for d in planned] == ["open"] * selling + ["scheduled"] * draws.SCHEDULE_AHEAD
    assert all(d.seed_commitment and d.server_seed is None for d in planned)  # committed before sales
    first, nxt = planned[0], planned[selling]
    assert first.closes_at is not None and nxt.opened_at == first.closes_at  # sales follow on

    draws.run_cycle(uow, SYSTEM, first.closes_at)

    after = {d.id: d.status for d in _draws(uow, "quick535")}
    assert (after[first.id], after[nxt.id]) == ("closed", "open")


def test_draws_missed_while_the_server_was_down_are_drawn_on_start_in_order(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    seed.seed_games(uow, now)
    draws.run_cycle(uow, SYSTEM, now)
    missed = _draws(uow, "quick535")
    back = max(d.draw_at for d in missed if d.draw_at) + timedelta(seconds=1)

    report = draws.run_cycle(uow, SYSTEM, back)  # the first tick after the restart

    done = {d.id: d for d in _draws(uow, "quick535")}
    assert all(done[d.id].status == "settled" and done[d.id].outcome for d in missed)
    assert report.drawn >= len(missed)
    with db.read_engine.connect() as conn:
        import sqlalchemy as sa

        order = conn.execute(
            sa.text(
                "SELECT s.draw_id FROM draw_settlements s JOIN rounds r ON r.id = s.draw_id "
                "JOIN games g ON g.id = r.game_id WHERE g.code = 'quick535' ORDER BY s.id"
            )
        ).scalars()
        assert list(order) == [d.id for d in missed]  # settled (and the jackpot carried) in draw order
    assert any(d.status == "open" and d.closes_at and d.closes_at > back for d in done.values())


def test_two_workers_racing_on_one_due_draw_draw_it_once(db: Database, wiring: Wiring, now: datetime) -> None:
    uow = wiring.uow()
    seed.seed_games(uow, now)
    draws.run_cycle(uow, SYSTEM, now)
    due_at = max(d.draw_at for d in _draws(uow, "lotto649") if d.draw_at)
    draws.close_sales(uow, due_at)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        mine = wiring.uow()
        barrier.wait()
        results.append(draws.draw_due(mine, due_at))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    drawn = count_rows(db, "rounds", "status = 'drawn'")
    assert sum(results) == drawn and drawn >= 2  # every due draw once, by one worker or the other
    draws.run_cycle(uow, SYSTEM, due_at)
    assert count_rows(db, "rounds", "status = 'drawn'") == 0
