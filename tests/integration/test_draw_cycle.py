"""The draw cycle: commit to a seed, draw from it, settle every ticket once, reveal the seed."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from casino_app.domain.errors import NotFound
from casino_app.domain.games import lotto as rules
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Draw, LottoGame, Ticket
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import TicketReceipt, UserView
from casino_app.services.games import draws, lotto
from casino_app.services.money import ledger, wallet
from tests.support import SALES_CLOSE_S, count_rows, open_draws


def _rules(uow: UnitOfWork, code: str) -> rules.LottoRules:
    with uow.reader() as r:
        game = r.session.exec(select(LottoGame).where(LottoGame.code == code)).one()
        return lotto.game_rules(game)


def _buy(
    uow: UnitOfWork,
    user: UserView,
    game: str,
    selection: list[int],
    stake: int,
    now: datetime,
) -> TicketReceipt:
    cmd = lotto.PlaceLottoTicket(user.id, game, tuple(selection), stake, uuid.uuid4().hex)
    return lotto.place_lotto_ticket(uow, cmd, now)


def _tickets(uow: UnitOfWork) -> dict[str, Ticket]:
    with uow.reader() as r:
        return {t.validation_number: t for t in r.session.exec(select(Ticket)).all()}


def _stored(uow: UnitOfWork, draw: Draw) -> Draw:
    with uow.reader() as r:
        stored = r.session.get(Draw, draw.id)
    assert stored is not None
    return stored


def _losing(winning: list[int], pick: int, pool: int) -> list[int]:
    return [n for n in range(1, pool + 1) if n not in winning][:pick]


def _three_hits(winning: list[int], pick: int, pool: int) -> list[int]:
    return sorted(winning[:3] + _losing(winning, pick - 3, pool))


def test_schedule_opens_one_draw_per_game_committed_to_its_seed(
    db: Database, uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    assert set(games) == {"lotto649", "quick535"}
    for draw in games.values():
        assert draw.seed_commitment == hashlib.sha256(bytes.fromhex(draw.server_seed)).hexdigest()
        assert draw.status == "open"
        assert now < draw.sales_close_at < draw.draw_at
        assert draw.numbers is None
    assert draws.schedule(uow, now, SALES_CLOSE_S) == 0
    assert count_rows(db, "draws") == 2


def test_seed_stays_secret_until_the_draw(
    db: Database, uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    upcoming = lotto.upcoming_draws(uow, now)
    assert {v.game_code for v in upcoming} == {"lotto649", "quick535"}
    assert all(v.server_seed == "" and v.seed_commitment for v in upcoming)


def test_draw_numbers_follow_from_the_committed_seed_and_wins_pay_stake_times_multiplier(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Draw],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    draw, r = games["lotto649"], _rules(uow, "lotto649")
    winning = rules.draw_numbers(r, draw.server_seed, draw.code)
    user = funded_player(amount_minor=20_00)
    jackpot = _buy(uow, user, "lotto649", winning, 1_00, now)
    three = _buy(uow, user, "lotto649", _three_hits(winning, 6, 49), 2_00, now)
    blank = _buy(uow, user, "lotto649", _losing(winning, 6, 49), 3_00, now)
    assert wallet.cash_balance(uow, user.id).minor == 14_00

    result = draws.run_draw_now(uow, "lotto649", now, SALES_CLOSE_S)

    assert result.status == "settled"
    assert result.numbers == ",".join(map(str, winning))
    tickets = _tickets(uow)
    outcome = {v: (t.status, t.matches, t.win) for v, t in tickets.items()}
    assert outcome == {
        jackpot.validation_number: ("win", 6, 1_00 * 1_000_000),
        three.validation_number: ("win", 3, 2_00 * 10),
        blank.validation_number: ("lose", 0, 0),
    }
    assert wallet.cash_balance(uow, user.id).minor == 14_00 + 100_000_000 + 20_00
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 2
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_anyone_can_recompute_a_drawn_result_from_the_revealed_seed(
    db: Database, uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    draws.run_draw_now(uow, "quick535", now, SALES_CLOSE_S)
    (view,) = lotto.recent_results(uow)
    assert view.game_code == "quick535"
    assert view.server_seed == games["quick535"].server_seed
    assert hashlib.sha256(bytes.fromhex(view.server_seed)).hexdigest() == view.seed_commitment
    recomputed = rules.draw_numbers(rules.LottoRules(5, 35, (), 1, 1), view.server_seed, view.code)
    assert tuple(recomputed) == view.numbers


def test_running_the_cycle_again_pays_nothing_twice(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Draw],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    draw, r = games["quick535"], _rules(uow, "quick535")
    winning = rules.draw_numbers(r, draw.server_seed, draw.code)
    user = funded_player(amount_minor=10_00)
    _buy(uow, user, "quick535", winning, 1_00, now)
    draws.run_draw_now(uow, "quick535", now, SALES_CLOSE_S)
    paid = wallet.cash_balance(uow, user.id).minor
    assert paid == 9_00 + 1_00 * 20_000
    wins = count_rows(db, "ledger_transactions", "kind = 'win'")

    for later in (now, now + timedelta(minutes=10), now + timedelta(hours=1)):
        draws.run_cycle(uow, later, SALES_CLOSE_S)
        draws.settle_due(uow, later)

    assert wallet.cash_balance(uow, user.id).minor == paid
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == wins == 1
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_cycle_stops_sales_at_close_then_draws_and_settles_at_the_draw_time(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Draw],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    draw, r = games["lotto649"], _rules(uow, "lotto649")
    user = funded_player(amount_minor=10_00)
    receipt = _buy(
        uow,
        user,
        "lotto649",
        _losing(rules.draw_numbers(r, draw.server_seed, draw.code), 6, 49),
        1_00,
        now,
    )
    draws.run_cycle(uow, draw.sales_close_at, SALES_CLOSE_S)
    assert _stored(uow, draw).status == "closed"
    late = _buy(uow, user, "lotto649", [7, 8, 9, 10, 11, 12], 1_00, draw.sales_close_at)
    assert late.replayed is False
    assert late.draw_code != draw.code  # sold for the next draw, never the closed one

    report = draws.run_cycle(uow, draw.draw_at, SALES_CLOSE_S)

    assert report.drawn >= 1 and report.settled_tickets == 1  # the late ticket waits
    stored = _stored(uow, draw)
    assert (stored.status, stored.drawn_at, stored.settled_at) == (
        "settled",
        draw.draw_at,
        draw.draw_at,
    )
    tickets = _tickets(uow)
    assert tickets[receipt.validation_number].status == "lose"
    assert tickets[late.validation_number].status == "pending"


def test_after_a_draw_is_run_early_the_game_sells_the_next_draw(
    db: Database, uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    done = draws.run_draw_now(uow, "lotto649", now, SALES_CLOSE_S)
    selling = open_draws(uow, now)
    assert set(selling) == {"lotto649", "quick535"}
    nxt = selling["lotto649"]
    assert nxt.id != done.id and nxt.code != done.code
    assert nxt.sales_close_at > now
    assert nxt.seed_commitment != done.seed_commitment


def test_run_draw_now_of_an_unknown_game_is_not_found(
    db: Database, uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    with pytest.raises(NotFound):
        draws.run_draw_now(uow, "no-such-game", now, SALES_CLOSE_S)


def test_running_a_draw_early_is_audited_with_the_operator(
    db: Database, uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    draws.run_draw_now(uow, "lotto649", now, SALES_CLOSE_S, actor="operator:7")
    assert count_rows(db, "audit_log", "action = 'draw.run_now' AND actor = 'operator:7'") == 1
