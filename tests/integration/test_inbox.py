"""The inbox: every player-facing fact makes one row in its own transaction; pages, unread, read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casino_app.adapters.events import RecordingPublisher
from casino_app.domain.errors import PermissionDenied
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.inbox.notices import NOTIFIED, PAGE_SIZE
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Notification, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg.dto import SetLimit
from casino_app.services.compliance.rg.limits import setting as limits
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.inbox import notifications as inbox
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import count_rows, stepped_up_operator

ADMIN = Actor.operator(999, "admin")


def _rows(uow: UnitOfWork, user_id: int) -> list[Notification]:
    with uow.reader() as r:
        query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        return list(r.session.exec(query).all())


def _kinds(uow: UnitOfWork, user_id: int) -> list[str]:
    return [row.kind for row in _rows(uow, user_id)]


def _stepped_up(uow: UnitOfWork, user_id: int, now: datetime) -> Actor:
    with uow:
        _, session_id = sessions.open_browser_session(
            uow, user_id, sessions.ClientInfo("192.0.2.71"), now, step_up=True
        )
        uow.commit()
    return Actor.player(user_id, session_id)


def test_a_confirmed_deposit_makes_one_notice_with_its_amount_and_no_text(
    uow: UnitOfWork, funded_player: Callable[..., UserView]
) -> None:
    player = funded_player(amount_minor=25_00)
    (row,) = _rows(uow, player.id)
    assert row.kind == "deposit_confirmed" and row.read_at is None
    entry = inbox.inbox_page(uow, Actor.player(player.id)).entries[0]
    assert entry.params["amount_minor"] == 25_00 and entry.params["currency"] == player.currency
    assert set(entry.params) == {"order_id", "amount_minor", "currency"}


def test_a_settled_draw_makes_one_notice_per_player_with_its_tickets_and_win(
    uow: UnitOfWork, funded_player: Callable[..., UserView], games: dict[str, Round], now: datetime
) -> None:
    player = funded_player()
    me = Actor.player(player.id)
    for numbers in ((1, 2, 3, 4, 5, 6), (7, 8, 9, 10, 11, 12)):
        cmd = lotto.PlaceLottoTicket("lotto649", numbers, 1_00, uuid.uuid4().hex)
        lotto.place_lotto_ticket(uow, me, cmd, now)
    assert _kinds(uow, player.id) == ["deposit_confirmed"]  # stakes make no notice
    drawn = draws.run_draw_now(uow, ADMIN, "lotto649", now)
    row = _rows(uow, player.id)[-1]
    entry = inbox.inbox_page(uow, me).entries[0]
    assert row.kind == "draw_settled" and entry.id == row.id
    assert entry.params["draw"] == drawn.code and entry.params["game_code"] == "lotto649"
    assert entry.params["tickets"] == 2 and entry.params["stake_minor"] == 2_00
    assert entry.params["currency"] == player.currency and entry.params["won_minor"] >= 0


def test_the_same_fact_twice_makes_one_notice_and_one_push(
    uow: UnitOfWork, funded_player: Callable[..., UserView]
) -> None:
    player = funded_player()
    events = uow.context.events
    assert isinstance(events, RecordingPublisher)
    before = len([e for e in events.events if e.name == NOTIFIED])
    fact = DomainEvent(
        "deposit.approved", player.id, {"order_id": "o-x", "amount_minor": 5_00, "currency": "EUR"}
    )
    for _ in range(2):
        with uow:
            uow.emit(fact)
            uow.emit(fact)
            uow.commit()
    assert _kinds(uow, player.id).count("deposit_confirmed") == 2  # the funding deposit and o-x
    pushed = [e for e in events.events if e.name == NOTIFIED][before:]
    assert [(e.user_id, e.data["kind"]) for e in pushed] == [(player.id, "deposit_confirmed")]


def test_a_rolled_back_fact_leaves_no_notice(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player()
    before = count_rows(db, "notifications")
    fact = DomainEvent(
        "deposit.approved", player.id, {"order_id": "o-rb", "amount_minor": 1, "currency": "EUR"}
    )
    with pytest.raises(sa.exc.IntegrityError), uow:  # the fact's own write fails at its commit
        uow.emit(fact)
        bad = Notification(user_id=player.id, kind="no-such-kind", source_key="bad", created_at=now)
        uow.session.add(bad)
        uow.commit()
    with uow:
        uow.emit(fact)
        uow.rollback()
    assert count_rows(db, "notifications") == before


def test_withdrawals_paid_and_rejected_make_notices_with_their_amounts(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player(amount_minor=100_00)
    payer = stepped_up_operator(uow, "finance", now)
    paid = withdrawals.request_withdrawal(uow, _stepped_up(uow, player.id, now), 10_00, "wd-paid", now)
    withdrawals.resolve_withdrawal(uow, payer, paid.id, "paid", now=now)
    rejected = withdrawals.request_withdrawal(uow, _stepped_up(uow, player.id, now), 7_00, "wd-no", now)
    withdrawals.resolve_withdrawal(uow, payer, rejected.id, "rejected", now=now, reason="Documents needed")
    entries = {e.kind: e.params for e in inbox.inbox_page(uow, Actor.player(player.id)).entries}
    assert entries["withdrawal_paid"] == {"withdrawal_id": paid.id, "amount_minor": 10_00, "currency": "EUR"}
    assert entries["withdrawal_rejected"]["amount_minor"] == 7_00


def test_a_limit_change_makes_a_notice_per_status(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    player = funded_player()
    me = _stepped_up(uow, player.id, now)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 50_00), now)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 500_00), now + timedelta(minutes=1))
    notices = [e.params for e in inbox.inbox_page(uow, me).entries if e.kind == "limit_changed"]
    assert [(p["status"], p["new"]) for p in notices] == [("pending", 500_00), ("applied", 50_00)]
    assert notices[1]["kind"] == "deposit" and notices[1]["period"] == "day"


def _notify(uow: UnitOfWork, user_id: int, count: int) -> None:
    with uow:
        for n in range(count):
            data = {"order_id": f"o-{n}", "amount_minor": n, "currency": "EUR"}
            uow.emit(DomainEvent("deposit.approved", user_id, data))
        uow.commit()


def test_pages_are_newest_first_twenty_at_a_time_with_the_unread_count(
    uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    player = register("pages@example.com")
    me = Actor.player(player.id)
    assert inbox.inbox_page(uow, me) == inbox.InboxPage()  # the empty state
    _notify(uow, player.id, PAGE_SIZE + 5)
    first, second = inbox.inbox_page(uow, me, 1), inbox.inbox_page(uow, me, 2)
    assert (first.pages, first.total, first.unread, len(first.entries), len(second.entries)) == (
        2, PAGE_SIZE + 5, PAGE_SIZE + 5, PAGE_SIZE, 5,
    )  # fmt: skip
    ids = [e.id for e in first.entries + second.entries]
    assert ids == sorted(ids, reverse=True)
    assert inbox.inbox_page(uow, me, 99).page == 2
    assert inbox.mark_read(uow, me, ids[0], now) == PAGE_SIZE + 4
    assert inbox.inbox_page(uow, me).entries[0].read
    assert inbox.mark_all_read(uow, me, now) == 0 == inbox.unread_count(uow, me)


def test_a_player_cannot_read_or_mark_another_players_notices(
    uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    alice, bob = register("alice@example.com"), register("bob@example.com")
    _notify(uow, alice.id, 2)
    alices = [row.id or 0 for row in _rows(uow, alice.id)]
    as_bob = Actor.player(bob.id)
    assert inbox.inbox_page(uow, as_bob).entries == []
    assert inbox.mark_read(uow, as_bob, alices[0], now) == 0
    inbox.mark_all_read(uow, as_bob, now)
    assert inbox.unread_count(uow, Actor.player(alice.id)) == 2
    with pytest.raises(PermissionDenied):
        inbox.inbox_page(uow, ADMIN)
