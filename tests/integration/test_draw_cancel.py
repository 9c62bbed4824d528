"""Cancelling a draw: an operator action with a reason, audited, every stake refunded, once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import pytest

from casino_app.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cancellation
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.money import ledger
from tests.support import count_rows, scalar

RISK = Actor.operator(998, "risk_compliance")
ADMIN = Actor.operator(999, "admin")


def _buy(uow: UnitOfWork, user: UserView, stake: int, now: datetime) -> None:
    cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), stake, uuid.uuid4().hex)
    lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def _cash(uow: UnitOfWork, user: UserView) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR"))


def test_cancel_refunds_every_stake_and_is_audited_with_its_reason(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    alice, bob = funded_player(amount_minor=10_00), funded_player(amount_minor=10_00)
    _buy(uow, alice, 2_00, now)
    _buy(uow, bob, 3_00, now)
    _buy(uow, bob, 1_00, now)
    draw_id = games["lotto649"].id
    assert draw_id is not None

    done = cancellation.cancel_draw(uow, RISK, draw_id, "  RNG hardware fault  ", now)

    assert (done.refunded, done.already_cancelled) == (3, False)
    assert (_cash(uow, alice), _cash(uow, bob)) == (10_00, 10_00)
    assert count_rows(db, "bets", "status = 'void'") == 3
    assert scalar(db, "SELECT status FROM rounds WHERE id = :i", i=draw_id) == "void"
    assert count_rows(db, "ledger_transactions", "kind = 'reversal'") == 3
    details = str(scalar(db, "SELECT details FROM audit_log WHERE action = 'draw.cancel'"))
    assert "RNG hardware fault" in details and "open" in details
    with uow:
        assert ledger.check_integrity(uow.session) == []


def test_cancelling_again_refunds_nobody_twice_and_is_not_audited_twice(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    alice = funded_player(amount_minor=10_00)
    _buy(uow, alice, 2_00, now)
    draw_id = int(games["lotto649"].id or 0)
    cancellation.cancel_draw(uow, RISK, draw_id, "duplicate draw", now)
    again = cancellation.cancel_draw(uow, ADMIN, draw_id, "duplicate draw", now)
    assert (again.refunded, again.already_cancelled) == (0, True)
    assert _cash(uow, alice) == 10_00
    assert count_rows(db, "audit_log", "action = 'draw.cancel'") == 1


@pytest.mark.parametrize("reason", ["", "  ", "no"])
def test_cancel_without_a_reason_is_refused_and_writes_nothing(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime, reason: str
) -> None:
    with pytest.raises(InvalidInput):
        cancellation.cancel_draw(uow, RISK, int(games["lotto649"].id or 0), reason, now)
    assert count_rows(db, "rounds", "status = 'void'") == 0
    assert count_rows(db, "audit_log", "action = 'draw.cancel'") == 0


def test_a_drawn_draw_cannot_be_cancelled(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    _buy(uow, funded_player(amount_minor=10_00), 2_00, now)
    drawn = draws.run_draw_now(uow, ADMIN, "lotto649", now)
    with pytest.raises(InvalidTransition):
        cancellation.cancel_draw(uow, RISK, drawn.id, "too late", now)
    assert count_rows(db, "audit_log", "action = 'draw.cancel'") == 0
    assert count_rows(db, "bets", "status = 'void'") == 0


def test_a_scheduled_draw_can_be_cancelled_and_support_may_not_cancel(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    scheduled = int(scalar(db, "SELECT MIN(id) FROM rounds WHERE status = 'scheduled'"))  # type: ignore[call-overload]
    with pytest.raises(PermissionDenied):
        cancellation.cancel_draw(uow, Actor.operator(997, "support"), scheduled, "not allowed", now)
    cancellation.cancel_draw(uow, ADMIN, scheduled, "public holiday", now)
    assert scalar(db, "SELECT status FROM rounds WHERE id = :i", i=scheduled) == "void"
