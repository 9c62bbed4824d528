"""A rejected withdrawal tells its player why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from casino_app.domain.identity.actor import Actor
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import stepped_up_operator

FINANCE = Actor.operator(900, "finance")


def _stepped_up(uow: UnitOfWork, user: UserView, now: datetime) -> Actor:
    with uow:
        _, session_id = sessions.open_browser_session(
            uow, user.id, ClientInfo("192.0.2.1"), now, step_up=True
        )
        uow.commit()
    return Actor.player(user.id, session_id)


def test_the_player_sees_the_reason_an_operator_gave_for_rejecting_a_withdrawal(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=50_00)
    player = _stepped_up(uow, user, now)
    rejected = withdrawals.request_withdrawal(uow, player, 20_00, "w-1", now)
    paid = withdrawals.request_withdrawal(uow, player, 10_00, "w-2", now)
    withdrawals.resolve_withdrawal(
        uow, FINANCE, rejected.id, "rejected", now=now, reason="Name on card differs"
    )
    payer = stepped_up_operator(uow, "finance", now)  # paying needs a fresh code (issue 14.8)
    withdrawals.resolve_withdrawal(uow, payer, paid.id, "paid", now=now, reason="routine")
    seen = {w.id: (w.status, w.reason) for w in withdrawals.player_withdrawals(uow, player)}
    assert seen == {rejected.id: ("rejected", "Name on card differs"), paid.id: ("paid", "")}
