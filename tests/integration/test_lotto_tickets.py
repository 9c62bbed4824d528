"""Lotto tickets: several lines, quick picks, the same lines for several draws, bad input refused.

A ticket of N draws is N bets (one per draw) sharing the ticket's id, bought in one
transaction: one stake debit per draw, money conserved, nothing written on any refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import DomainError, DrawClosed, IdempotencyConflict, InsufficientFunds, NotFound
from casino_app.domain.games import lotto as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.tickets import views as ticket_views
from casino_app.services.games.lotto.tickets.purchase import BuyLottoTicket, buy_ticket
from casino_app.services.games.lotto.tickets.views import LottoTicket
from casino_app.services.money import ledger
from tests.support import count_rows

LINE_A = (3, 11, 19, 27, 35, 43)
LINE_B = (1, 2, 3, 4, 5, 6)


def _buy(
    uow: UnitOfWork,
    user: UserView,
    now: datetime,
    *,
    lines: tuple[tuple[int, ...] | None, ...] = (LINE_A,),
    stake: int = 2_00,
    key: str = "ticket-1",
    game: str = "lotto649",
    draw_id: int | None = None,
    n_draws: int = 1,
) -> LottoTicket:
    cmd = BuyLottoTicket(game, lines, stake, key, draw_id, n_draws)
    return buy_ticket(uow, Actor.player(user.id), cmd, now)


def _cash(uow: UnitOfWork, user: UserView) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR"))


def _stake_debits(db: Database, user: UserView) -> list[int]:
    with db.read_engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT e.amount FROM ledger_entries e JOIN accounts a ON a.id = e.account_id "
            "JOIN ledger_transactions x ON x.id = e.transaction_id "
            f"WHERE x.kind = 'stake' AND a.kind = 'player_cash' AND a.owner_id = {user.id} ORDER BY x.id"
        ).all()
    return [r[0] for r in rows]


def test_a_ticket_of_several_lines_is_one_bet_whose_stake_is_the_line_price_times_the_lines(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    ticket = _buy(uow, user, now, lines=((43, 35, 27, 19, 11, 3), LINE_B, None), stake=3_00)
    assert ticket.lines[:2] == (LINE_A, LINE_B)
    assert len(ticket.lines) == 3 and len(set(ticket.lines[2])) == 6  # the quick pick, sorted and valid
    assert list(ticket.lines[2]) == sorted(ticket.lines[2])
    assert (ticket.stake_per_draw.minor, ticket.total_stake.minor, ticket.balance_after) == (
        3_00,
        3_00,
        ticket.balance_after,
    )
    assert [d.draw_id for d in ticket.draws] == [games["lotto649"].id]
    assert ticket.draws[0].bet_id == ticket.ticket_id
    with db.read_engine.connect() as conn:
        (selection,) = conn.exec_driver_sql("SELECT selection FROM bets").one()
    assert rules.parse_lines(selection) == ticket.lines
    assert _cash(uow, user) == 7_00


def test_a_multi_draw_ticket_takes_each_draws_stake_as_its_own_bet_in_one_purchase(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    """One debit per draw, the same lines on each, one ticket id; money is conserved."""
    user = funded_player(amount_minor=20_00)
    ticket = _buy(uow, user, now, lines=(LINE_A, LINE_B), stake=2_00, n_draws=3)
    assert len(ticket.draws) == 3 and ticket.total_stake.minor == 6_00
    assert ticket.draws[0].draw_id == games["lotto649"].id
    assert [d.draw_at for d in ticket.draws] == sorted(d.draw_at for d in ticket.draws)
    assert len({d.draw_id for d in ticket.draws}) == 3 and len({d.bet_id for d in ticket.draws}) == 3
    assert _stake_debits(db, user) == [-2_00, -2_00, -2_00]
    assert _cash(uow, user) == 14_00
    with db.read_engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT selection, stake FROM bets ORDER BY id").all()
    assert [tuple(r) for r in rows] == [(rules.format_lines((LINE_A, LINE_B)), 2_00)] * 3
    with uow:
        assert ledger.check_integrity(uow.session) == []
    stored = ticket_views.my_ticket(uow, Actor.player(user.id), ticket.ticket_id)
    assert [d.bet_id for d in stored.draws] == [d.bet_id for d in ticket.draws]
    assert stored.total_stake.minor == 6_00


def test_the_same_request_again_replays_the_whole_ticket_and_debits_nothing_more(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=20_00)
    first = _buy(uow, user, now, lines=(None, LINE_B), n_draws=2, key="again")
    again = _buy(uow, user, now + timedelta(seconds=3), lines=(None, LINE_B), n_draws=2, key="again")
    assert again.replayed and not first.replayed
    assert again.lines == first.lines  # the stored quick pick, not a new one
    assert [d.bet_id for d in again.draws] == [d.bet_id for d in first.draws]
    assert count_rows(db, "bets") == 2 and _cash(uow, user) == 16_00
    with pytest.raises(IdempotencyConflict):
        _buy(uow, user, now, lines=(LINE_A, LINE_B), n_draws=2, key="again")
    assert count_rows(db, "bets") == 2


def test_a_replay_after_the_draw_closed_answers_the_stored_ticket_not_draw_closed(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    shown = games["lotto649"]
    first = _buy(uow, user, now, draw_id=shown.id, key="late-replay")
    assert shown.closes_at is not None
    again = _buy(uow, user, shown.closes_at + timedelta(seconds=1), draw_id=shown.id, key="late-replay")
    assert again.replayed and again.ticket_id == first.ticket_id


def test_a_multi_draw_ticket_is_refused_whole_when_the_money_covers_only_some_draws(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=5_00)
    with pytest.raises(InsufficientFunds):
        _buy(uow, user, now, stake=2_00, n_draws=3)
    assert count_rows(db, "bets") == 0 and _stake_debits(db, user) == [] and _cash(uow, user) == 5_00


BAD_TICKETS = [
    ("outside-the-matrix", {"lines": ((1, 2, 3, 4, 5, 50),)}, "invalid_selection"),
    ("zero", {"lines": ((0, 1, 2, 3, 4, 5),)}, "invalid_selection"),
    ("wrong-count", {"lines": ((1, 2, 3, 4, 5),)}, "invalid_selection"),
    ("repeated", {"lines": ((1, 2, 3, 4, 5, 5),)}, "invalid_selection"),
    ("second-line-bad", {"lines": (LINE_A, (1, 2, 3, 4, 5, 5)), "stake": 2_00}, "invalid_selection"),
    ("no-line", {"lines": ()}, "too_many_lines"),
    ("eleven-lines", {"lines": (None,) * 11, "stake": 11_00}, "too_many_lines"),
    ("nine-draws", {"n_draws": 9}, "too_many_draws"),
    ("zero-draws", {"n_draws": 0}, "too_many_draws"),
    ("zero-stake", {"stake": 0}, "invalid_amount"),
    ("part-of-a-price", {"stake": 50, "game": "quick535", "lines": ((1, 2, 3, 4, 5),)}, "stake_not_multiple"),
    ("over-maximum", {"stake": 101_00}, "invalid_amount"),
    ("not-price-times-lines", {"lines": (LINE_A, LINE_B), "stake": 3_00}, "stake_not_multiple"),
    ("unknown-game", {"game": "keno"}, "not_found"),
]


@pytest.mark.parametrize(("case", "change", "code"), BAD_TICKETS, ids=[c for c, _, _ in BAD_TICKETS])
def test_each_bad_ticket_is_refused_with_its_code_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    case: str,
    change: dict[str, object],
    code: str,
) -> None:
    user = funded_player(amount_minor=200_00)
    with pytest.raises(DomainError) as err:
        _buy(uow, user, now, **change)  # type: ignore[arg-type]
    assert err.value.code == code, err.value.message
    assert count_rows(db, "bets") == 0
    assert count_rows(db, "ledger_transactions", "kind = 'stake'") == 0
    assert _cash(uow, user) == 200_00


def test_a_draw_of_another_game_is_unknown(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    with pytest.raises(NotFound):
        _buy(uow, user, now, draw_id=games["quick535"].id)


def test_the_shown_draw_closed_by_the_clock_is_refused_with_the_next_draw_offered(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    """Never a silent switch: the answer names the next draw, and buying it works."""
    user = funded_player(amount_minor=10_00)
    shown = games["lotto649"]
    assert shown.closes_at is not None
    later = shown.closes_at  # the clock reaches the close: not one more ticket
    draws.schedule(uow, later)
    with pytest.raises(DrawClosed) as err:
        _buy(uow, user, later, draw_id=shown.id, key="shown", n_draws=2)
    assert err.value.code == "draw_closed"
    nxt = err.value.next_draw_id
    assert nxt is not None and nxt != shown.id
    assert count_rows(db, "bets") == 0 and _cash(uow, user) == 10_00
    ticket = _buy(uow, user, later, draw_id=nxt, key="next")
    assert [d.draw_id for d in ticket.draws] == [nxt]


def test_a_ticket_for_more_draws_than_are_selling_is_refused(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    """Once the first draw closed (and before the next is planned) one draw fewer sells."""
    user = funded_player(amount_minor=50_00)
    assert games["lotto649"].closes_at is not None
    with pytest.raises(DomainError) as err:
        _buy(uow, user, games["lotto649"].closes_at, n_draws=8)
    assert err.value.code == "too_many_draws" and "on sale now" in err.value.message
    assert count_rows(db, "bets") == 0


def test_my_tickets_pages_the_players_own_tickets_newest_first(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    alice, bob = funded_player(amount_minor=50_00), funded_player(amount_minor=50_00)
    bought = [_buy(uow, alice, now + timedelta(seconds=i), key=f"a{i}", n_draws=2) for i in range(3)]
    _buy(uow, bob, now, key="b0")
    page = ticket_views.my_tickets(uow, Actor.player(alice.id), offset=1, limit=1)
    assert page.total == 3 and [t.ticket_id for t in page.tickets] == [bought[1].ticket_id]
    assert len(page.tickets[0].draws) == 2
    with pytest.raises(NotFound):
        ticket_views.my_ticket(uow, Actor.player(bob.id), bought[0].ticket_id)
