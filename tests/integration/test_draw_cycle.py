"""The draw cycle: commit to a sealed seed, fix the ticket root, draw, settle every ticket once, reveal.

Nobody can know a draw's numbers before its sales close, so the payout tests fix the numbers
(`_numbers_will_be`); test_draw_record.py checks the real derivation end to end.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from casino_app.domain.errors import NotFound, PermissionDenied
from casino_app.domain.games import lotto as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Bet, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import TicketReceipt, UserView
from casino_app.services.games import catalog, lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.money import ledger
from casino_app.services.security import crypto
from tests.support import count_rows, open_draws

SYSTEM = Actor.system()
ADMIN = Actor.operator(999, "admin")


def _rules(uow: UnitOfWork, code: str) -> rules.LottoRules:
    return lotto.lotto_rules(catalog.game_facts(uow, code))


def _buy(
    uow: UnitOfWork,
    user: UserView,
    game: str,
    selection: list[int],
    stake: int,
    now: datetime,
) -> TicketReceipt:
    cmd = lotto.PlaceLottoTicket(game, tuple(selection), stake, uuid.uuid4().hex)
    return lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def _tickets(uow: UnitOfWork) -> dict[str, Bet]:
    with uow.reader() as r:
        return {t.public_id: t for t in r.session.exec(select(Bet)).all()}


def _cash(uow: UnitOfWork, user: UserView) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR"))


def _stored(uow: UnitOfWork, draw: Round) -> Round:
    with uow.reader() as r:
        stored = r.session.get(Round, draw.id)
    assert stored is not None
    return stored


def _numbers_will_be(monkeypatch: pytest.MonkeyPatch, winning: list[int]) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: sorted(winning))


def _sealed_seed(uow: UnitOfWork, draw: Round) -> str:
    return crypto.open_column(uow.context.keys, draw, "server_seed_enc")


def _losing(winning: list[int], pick: int, pool: int) -> list[int]:
    return [n for n in range(1, pool + 1) if n not in winning][:pick]


def _three_hits(winning: list[int], pick: int, pool: int) -> list[int]:
    return sorted(winning[:3] + _losing(winning, pick - 3, pool))


def test_schedule_opens_one_draw_per_game_committed_to_its_seed(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    assert set(games) == {"lotto649", "quick535"}
    for draw in games.values():
        assert draw.server_seed is None and draw.closes_at and draw.draw_at  # sealed, never in the clear
        seed = _sealed_seed(uow, draw)
        assert draw.seed_commitment == hashlib.sha256(bytes.fromhex(seed)).hexdigest()
        assert draw.status == "open"
        assert now < draw.closes_at < draw.draw_at
        assert draw.outcome is None
    assert draws.schedule(uow, now) == 0
    selling = sum(int(catalog.game_facts(uow, code).rules.get("max_draws") or 1) for code in games)
    assert count_rows(db, "rounds", "status = 'open'") == selling  # every draw a multi-draw ticket may play
    assert count_rows(db, "rounds", "status = 'scheduled'") == 2 * draws.SCHEDULE_AHEAD


def test_seed_stays_secret_until_the_draw(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    upcoming = draw_queries.upcoming_draws(uow, now)
    assert {v.game_code for v in upcoming} == {"lotto649", "quick535"}
    assert all(v.server_seed == "" and v.seed_commitment for v in upcoming)


def test_wins_pay_stake_times_multiplier(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    winning = [5, 12, 19, 26, 33, 40]
    _numbers_will_be(monkeypatch, winning)
    user = funded_player(amount_minor=20_00)
    jackpot = _buy(uow, user, "lotto649", winning, 1_00, now)
    three = _buy(uow, user, "lotto649", _three_hits(winning, 6, 49), 2_00, now)
    blank = _buy(uow, user, "lotto649", _losing(winning, 6, 49), 3_00, now)
    assert _cash(uow, user) == 14_00

    result = draws.run_draw_now(uow, ADMIN, "lotto649", now)

    assert result.status == "settled"
    assert list(result.numbers) == winning
    tickets = _tickets(uow)
    outcome = {v: (t.status, t.result, t.win) for v, t in tickets.items()}
    assert outcome == {
        jackpot.validation_number: ("win", "6", 1_000_000_00 + 6_00 * 20 // 100),  # seed + 20% of stakes
        three.validation_number: ("win", "3", 2_00 * 10),
        blank.validation_number: ("lose", "0", 0),
    }
    assert _cash(uow, user) == 14_00 + 1_000_000_00 + 1_20 + 20_00
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 2
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_anyone_can_recompute_a_drawn_result_from_the_revealed_seed(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    sealed = _sealed_seed(uow, games["quick535"])
    draws.run_draw_now(uow, ADMIN, "quick535", now)
    (view,) = draw_queries.recent_results(uow)
    assert view.game_code == "quick535"
    assert view.server_seed == sealed and view.ticket_root
    assert hashlib.sha256(bytes.fromhex(view.server_seed)).hexdigest() == view.seed_commitment
    recomputed = rules.draw_numbers(
        rules.LottoRules(5, 35, (), 1, 1), view.server_seed, view.ticket_root, view.id
    )
    assert tuple(recomputed) == view.numbers


def test_running_the_cycle_again_pays_nothing_twice(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    winning = [1, 8, 15, 22, 29]
    _numbers_will_be(monkeypatch, winning)
    user = funded_player(amount_minor=10_00)
    _buy(uow, user, "quick535", winning, 1_00, now)
    draws.run_draw_now(uow, ADMIN, "quick535", now)
    paid = _cash(uow, user)
    assert paid == 9_00 + 20_000_00 + 15  # the jackpot: its seed and 15% of the stake
    wins = count_rows(db, "ledger_transactions", "kind = 'win'")

    for later in (now, now + timedelta(minutes=10), now + timedelta(hours=1)):
        draws.run_cycle(uow, SYSTEM, later)
        draws.settle_due(uow, later)

    assert _cash(uow, user) == paid
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == wins == 1
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_cycle_stops_sales_at_close_then_draws_and_settles_at_the_draw_time(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draw, winning = games["lotto649"], [2, 9, 16, 23, 30, 37]
    _numbers_will_be(monkeypatch, winning)
    user = funded_player(amount_minor=10_00)
    receipt = _buy(uow, user, "lotto649", _losing(winning, 6, 49), 1_00, now)
    assert draw.closes_at is not None and draw.draw_at is not None
    draws.run_cycle(uow, SYSTEM, draw.closes_at)
    assert _stored(uow, draw).status == "closed"
    late = _buy(uow, user, "lotto649", [7, 8, 9, 10, 11, 12], 1_00, draw.closes_at)
    assert late.replayed is False
    assert late.draw_code != draw.code  # no draw named: sold for the draw now selling

    report = draws.run_cycle(uow, SYSTEM, draw.draw_at)

    assert report.drawn >= 1 and report.settled_tickets == 1  # the late ticket waits
    stored = _stored(uow, draw)
    assert (stored.status, stored.resulted_at, stored.settled_at) == (
        "settled",
        draw.draw_at,
        draw.draw_at,
    )
    tickets = _tickets(uow)
    assert tickets[receipt.validation_number].status == "lose"
    assert tickets[late.validation_number].status == "pending"


def test_after_a_draw_is_run_early_the_game_sells_the_next_draw(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    done = draws.run_draw_now(uow, ADMIN, "lotto649", now)
    selling = open_draws(uow, now)
    assert set(selling) == {"lotto649", "quick535"}
    nxt = selling["lotto649"]
    assert nxt.id != done.id and nxt.code != done.code
    assert nxt.closes_at is not None and nxt.closes_at > now
    assert nxt.seed_commitment != done.seed_commitment


def test_run_draw_now_of_an_unknown_game_is_not_found(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    with pytest.raises(NotFound):
        draws.run_draw_now(uow, ADMIN, "no-such-game", now)


def test_running_a_draw_early_is_audited_with_the_operator(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    draws.run_draw_now(uow, Actor.operator(7, "admin"), "lotto649", now)
    assert count_rows(db, "audit_log", "action = 'draw.run_now' AND actor = 'operator:7'") == 1


def test_run_draw_now_is_refused_to_operators_without_the_permission_and_audited(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    with pytest.raises(PermissionDenied):
        draws.run_draw_now(uow, Actor.operator(8, "finance"), "lotto649", now)
    assert count_rows(db, "audit_log", "action = 'authz.denied' AND actor = 'operator:8'") == 1
    assert count_rows(db, "rounds", "status IN ('closed', 'drawn', 'settled')") == 0
