"""The progressive jackpot: funded by a share of every stake, rolled over, split, reset by the house.

Numbers cannot be known before a draw's sales close, so the tests fix them (`_numbers_will_be`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import pytest

from casino_app.domain.games import lotto as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import TicketReceipt, UserView
from casino_app.services.games import lotto
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.settlement import jackpot
from casino_app.services.money import ledger
from tests.support import count_rows

ADMIN = Actor.operator(999, "admin")
WINNING = [1, 8, 15, 22, 29]
LOSING = [2, 9, 16, 23, 30]
SEED, SHARE = 20_000_00, 15  # quick535: seed 20,000.00, 15% of stakes


def _numbers_will_be(monkeypatch: pytest.MonkeyPatch, winning: list[int]) -> None:
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(winning))


def _buy(uow: UnitOfWork, user: UserView, selection: list[int], stake: int, now: datetime) -> TicketReceipt:
    cmd = lotto.PlaceLottoTicket("quick535", tuple(selection), stake, uuid.uuid4().hex)
    return lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def _balance(uow: UnitOfWork, code: str) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.find_account(r.session, code))


def _pot(uow: UnitOfWork) -> int:
    return _balance(uow, "jackpot:quick535:EUR")


def _house(uow: UnitOfWork, shards: int = 8) -> int:
    return sum(
        _balance(uow, ledger.account_code("house_revenue", "EUR", "quick535", s)) for s in range(shards)
    )


def _consistent(uow: UnitOfWork) -> None:
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_the_jackpot_opens_at_its_seed_funded_by_the_house(uow: UnitOfWork, games: dict[str, Round]) -> None:
    assert _pot(uow) == SEED
    assert _house(uow) == -SEED
    view = jackpot.current_jackpot(uow, "quick535")
    assert view is not None and (view.amount, view.seed, view.share_bp) == (SEED, SEED, 1500)


def test_each_stake_funds_its_share_and_an_unwon_pot_rolls_over(
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _numbers_will_be(monkeypatch, WINNING)
    alice, bob = funded_player(amount_minor=50_00), funded_player(amount_minor=50_00)
    _buy(uow, alice, LOSING, 3_00, now)
    _buy(uow, bob, LOSING, 7_00, now)
    shown = jackpot.current_jackpot(uow, "quick535")
    assert shown is not None and shown.amount == SEED + 10_00 * SHARE // 100  # shown live, before the draw

    draws.run_draw_now(uow, ADMIN, "quick535", now)
    assert _pot(uow) == SEED + 45 + 1_05  # per house shard: 15% of 3.00 and of 7.00
    _buy(uow, alice, LOSING, 2_00, now)
    draws.run_draw_now(uow, ADMIN, "quick535", now)

    assert _pot(uow) == SEED + 1_50 + 30  # rolled over, then funded again
    assert _house(uow) == -SEED + 12_00 - 1_80  # stakes kept by the house less the jackpot's share
    _consistent(uow)


def test_two_winners_split_the_pot_the_remainder_to_the_first_ticket_and_the_house_reseeds(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _numbers_will_be(monkeypatch, WINNING)
    alice, bob = funded_player(amount_minor=50_00), funded_player(amount_minor=50_00)
    a = _buy(uow, alice, WINNING, 1_00, now)
    b = _buy(uow, bob, WINNING, 1_00, now)
    _buy(uow, bob, LOSING, 5_00, now)  # funds 75: pot = 20,000.00 + 15 + 15 + 75 = 2,000,105
    house_before = _house(uow)

    draws.run_draw_now(uow, ADMIN, "quick535", now)

    pot = SEED + 15 + 15 + 75
    first, second = sorted([a.validation_number, b.validation_number])
    with uow.reader() as r:
        figures = jackpot.settlement_of(r.session, a.draw_id)
    assert figures is not None
    assert (figures.jackpot_before, figures.jackpot_funded, figures.jackpot_won) == (SEED, 1_05, pot)
    assert (figures.jackpot_seeded, figures.jackpot_after) == (SEED, SEED)
    wins = {a.validation_number: _won(db, a), b.validation_number: _won(db, b)}
    assert wins == {first: pot // 2 + 1, second: pot // 2}  # the odd minor unit: ticket order
    assert _pot(uow) == SEED  # reset, funded by the house
    assert _house(uow) == house_before - 1_05 - SEED  # the share went to the pot; the house reseeds
    _consistent(uow)


def _won(db: Database, receipt: TicketReceipt) -> int:
    from tests.support import scalar

    return int(scalar(db, "SELECT win FROM bets WHERE public_id = :p", p=receipt.validation_number))  # type: ignore[call-overload]


def test_a_settlement_interrupted_halfway_and_run_again_pays_nobody_twice(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _numbers_will_be(monkeypatch, WINNING)
    players = [funded_player(amount_minor=10_00) for _ in range(3)]
    for p in players:
        _buy(uow, p, [*WINNING[:4], 30], 1_00, now)  # four of five: 200x each
    _buy(uow, players[0], WINNING, 1_00, now)
    original = settlement.settle_in
    calls = iter(range(100))

    def one_then_crash(*args: object, **kwargs: object) -> object:
        if next(calls) == 1:
            raise RuntimeError("worker killed")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(settlement, "settle_in", one_then_crash)
    monkeypatch.setattr(settlement.settle_all_in, "__defaults__", (1,))  # one ticket per chunk
    with pytest.raises(RuntimeError):
        draws.run_draw_now(uow, ADMIN, "quick535", now)
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 0  # the first payment rolled back too
    assert count_rows(db, "draw_settlements") == 0
    assert count_rows(db, "bets", "status = 'pending'") == 4

    monkeypatch.setattr(settlement, "settle_in", original)
    for _ in range(2):
        draws.run_cycle(uow, Actor.system(), now)

    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 4
    assert count_rows(db, "draw_settlements") == 1
    assert count_rows(db, "ledger_transactions", "idempotency_key LIKE 'jackpot:%'") == 1
    assert count_rows(db, "bets", "status = 'pending'") == 0
    paid = count_rows(db, "bets", "win = 200 * stake") + count_rows(db, "bets", f"win = {SEED + 60}")
    assert paid == 4
    _consistent(uow)


def test_the_exact_rtp_with_the_jackpot_share_is_shown_before_purchase(
    uow: UnitOfWork, games: dict[str, Round]
) -> None:
    shown = {g.code: g.rtp_percent for g in lotto.list_games(uow)}
    assert shown == {"lotto649": "56.56%", "quick535": "56.85%"}  # 9886829/17479770 and 20971/36890


def test_the_operators_draw_page_shows_tickets_stakes_and_the_settlement_per_tier(
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from casino_app.domain.errors import PermissionDenied
    from casino_app.services.games.lotto.draws import ops as draw_ops

    _numbers_will_be(monkeypatch, WINNING)
    user = funded_player(amount_minor=10_00)
    drawn = _buy(uow, user, WINNING, 1_00, now)
    _buy(uow, user, [*WINNING[:3], 30, 31], 2_00, now)  # three hits: 15x
    draws.run_draw_now(uow, ADMIN, "quick535", now)

    views = {v.id: v for v in draw_ops.list_draws(uow, Actor.operator(5, "finance"), "quick535")}
    view = views[drawn.draw_id]
    assert (view.status, view.tickets, view.stakes, view.settled) == ("settled", 2, 3_00, True)
    assert view.commitment and view.ticket_root and view.numbers == "1,8,15,22,29"
    tiers = {t.matches: (t.winners, t.paid) for t in view.tiers}
    assert tiers == {5: (1, SEED + 45), 4: (0, 0), 3: (1, 30_00), 2: (0, 0)}
    assert (view.jackpot_before, view.jackpot_won, view.jackpot_after) == (SEED, SEED + 45, SEED)
    with pytest.raises(PermissionDenied):
        draw_ops.list_draws(uow, Actor.operator(6, "support"), "quick535")
