"""Ticket purchase: the stake debit and the ticket are written together, or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import (
    DrawClosed,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidSelection,
)
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import TicketReceipt, UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.money import ledger
from tests.support import count_rows

SELECTION = (3, 11, 19, 27, 35, 43)


def _buy(
    uow: UnitOfWork,
    user: UserView,
    now: datetime,
    *,
    selection: tuple[int, ...] = SELECTION,
    stake: int = 2_00,
    request_id: str = "req-1",
    game: str = "lotto649",
    draw_id: int | None = None,
) -> TicketReceipt:
    cmd = lotto.PlaceLottoTicket(game, selection, stake, request_id, draw_id)
    return lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def _cash(uow: UnitOfWork, user: UserView) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR"))


def _nothing_written(db: Database, uow: UnitOfWork, user: UserView, balance: int) -> None:
    assert count_rows(db, "bets") == 0
    assert count_rows(db, "ledger_transactions", "kind = 'stake'") == 0
    assert _cash(uow, user) == balance


def test_ticket_purchase_debits_the_stake_and_issues_the_ticket_in_one_posting(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    receipt = _buy(uow, user, now, selection=(43, 3, 35, 11, 27, 19), stake=2_50)
    assert receipt.selection == SELECTION
    assert (receipt.stake.minor, receipt.balance_after.minor, receipt.replayed) == (
        250,
        750,
        False,
    )
    assert receipt.draw_code == games["lotto649"].code
    assert _cash(uow, user) == 750
    with db.read_engine.connect() as conn:
        ticket = conn.exec_driver_sql(
            "SELECT t.public_id, t.stake, t.status, t.round_id, x.kind, x.reference "
            "FROM bets t JOIN ledger_transactions x ON x.id = t.stake_transaction_id"
        ).one()
        legs = conn.exec_driver_sql(
            "SELECT a.kind, e.amount FROM ledger_entries e JOIN accounts a ON a.id = e.account_id "
            "JOIN bets t ON t.stake_transaction_id = e.transaction_id ORDER BY e.amount"
        ).all()
    assert tuple(ticket) == (
        receipt.validation_number,
        250,
        "pending",
        games["lotto649"].id,
        "stake",
        receipt.validation_number,
    )
    assert [tuple(leg) for leg in legs] == [
        ("player_cash", -250),
        ("house_revenue", 250),
    ]
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_every_ticket_gets_its_own_validation_number(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player()
    numbers = [_buy(uow, user, now, stake=100, request_id=f"r{i}").validation_number for i in range(5)]
    assert len(set(numbers)) == 5
    assert all(len(n.replace("-", "")) == 16 for n in numbers)


def test_stake_above_balance_is_refused_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=5_00)
    with pytest.raises(InsufficientFunds):
        _buy(uow, user, now, stake=5_01)
    _nothing_written(db, uow, user, 500)


def test_stake_equal_to_the_balance_empties_it_to_exactly_zero(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=5_00)
    assert _buy(uow, user, now, stake=5_00).balance_after.minor == 0
    with pytest.raises(InsufficientFunds):
        _buy(uow, user, now, stake=1_00, request_id="req-2")
    assert count_rows(db, "bets") == 1


@pytest.mark.parametrize(
    "selection",
    [
        (1, 2, 3, 4, 5),
        (1, 2, 3, 4, 5, 5),
        (0, 1, 2, 3, 4, 5),
        (1, 2, 3, 4, 5, 50),
        (1, 2, 3, 4, 5, 6, 7),
    ],
    ids=["five-numbers", "repeated", "zero", "fifty", "seven-numbers"],
)
def test_bad_selection_is_refused_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    selection: tuple[int, ...],
) -> None:
    user = funded_player(amount_minor=10_00)
    with pytest.raises(InvalidSelection):
        _buy(uow, user, now, selection=selection)
    _nothing_written(db, uow, user, 1000)


@pytest.mark.parametrize("stake", [0, 99, 100_01])
def test_stake_outside_the_game_limits_is_refused_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    stake: int,
) -> None:
    user = funded_player(amount_minor=200_00)
    with pytest.raises(InvalidAmount):
        _buy(uow, user, now, stake=stake)
    _nothing_written(db, uow, user, 20000)


def test_ticket_after_sales_close_time_is_refused_with_draw_closed(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    close_at, shown = games["lotto649"].closes_at, games["lotto649"].id  # the next draws sell too
    _buy(uow, user, close_at - timedelta(seconds=1), request_id="just-in-time", draw_id=shown)
    with pytest.raises(DrawClosed) as err:
        _buy(uow, user, close_at, request_id="too-late", draw_id=shown)
    assert err.value.code == "draw_closed"
    assert count_rows(db, "bets") == 1
    assert _cash(uow, user) == 800


def test_ticket_after_close_sales_ran_is_refused_with_draw_closed(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    closed = draws.close_sales(uow, games["lotto649"].closes_at)
    assert closed >= 1
    with pytest.raises(DrawClosed):
        _buy(uow, user, now, draw_id=games["lotto649"].id)  # the draw shown; the next ones sell on
    _nothing_written(db, uow, user, 1000)


def test_same_request_id_twice_returns_the_stored_receipt_and_debits_once(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    first = _buy(uow, user, now, request_id="tab-1")
    again = _buy(uow, user, now + timedelta(seconds=5), request_id="tab-1")
    assert again.replayed is True
    assert again.validation_number == first.validation_number
    assert again.balance_after.minor == first.balance_after.minor == 800
    assert count_rows(db, "bets") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'stake'") == 1


def test_same_request_id_for_a_different_ticket_is_an_idempotency_conflict(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    _buy(uow, user, now, request_id="tab-2")
    with pytest.raises(IdempotencyConflict):
        _buy(uow, user, now, request_id="tab-2", selection=(1, 2, 3, 4, 5, 6))
    with pytest.raises(IdempotencyConflict):
        _buy(uow, user, now, request_id="tab-2", stake=3_00)
    assert count_rows(db, "bets") == 1
    assert _cash(uow, user) == 800


def test_request_ids_are_scoped_to_the_player(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    alice, bob = funded_player(amount_minor=10_00), funded_player(amount_minor=10_00)
    _buy(uow, alice, now, request_id="shared")
    receipt = _buy(uow, bob, now, request_id="shared")
    assert receipt.replayed is False
    assert count_rows(db, "bets") == 2


def test_ticket_history_lists_the_players_own_tickets_newest_first(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    alice, bob = funded_player(amount_minor=10_00), funded_player(amount_minor=10_00)
    older = _buy(uow, alice, now, request_id="a1")
    newer = _buy(uow, alice, now + timedelta(seconds=1), request_id="a2", stake=1_00)
    _buy(uow, bob, now, request_id="b1")
    history = lotto.ticket_history(uow, Actor.player(alice.id))
    assert [t.validation_number for t in history] == [
        newer.validation_number,
        older.validation_number,
    ]
    assert [(t.status, t.stake.minor, t.numbers) for t in history] == [
        ("pending", 100, ()),
        ("pending", 200, ()),
    ]


def test_a_ticket_for_a_named_draw_that_closed_is_refused_and_the_next_draw_offered(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    """The player buys into the draw they were shown; never a silent switch to the next one."""
    user = funded_player(amount_minor=10_00)
    shown = games["lotto649"]
    assert shown.closes_at is not None
    later = shown.closes_at + timedelta(seconds=1)
    draws.close_sales(uow, later)
    draws.schedule(uow, later)
    with pytest.raises(DrawClosed) as err:
        _buy(uow, user, later, draw_id=shown.id, request_id="shown-draw")
    assert err.value.code == "draw_closed"
    assert "The next draw is" in err.value.message
    nxt = err.value.next_draw_id
    assert nxt is not None and nxt != shown.id
    _nothing_written(db, uow, user, 10_00)
    receipt = _buy(uow, user, later, draw_id=nxt, request_id="next-draw")
    assert receipt.draw_id == nxt


def test_a_stake_limit_message_names_the_limit_in_the_games_currency(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=200_00)
    with pytest.raises(InvalidAmount, match="maximum stake for this game is"):
        _buy(uow, user, now, stake=100_01)
    with pytest.raises(InvalidAmount, match="minimum stake for this game is"):
        _buy(uow, user, now, stake=99)
