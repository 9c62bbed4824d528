"""Handlers of issue 14: the demo mailbox shows the tab's player their own mail; Pay asks for a code."""

from __future__ import annotations

import asyncio
from datetime import datetime

from casino_app.adapters.clock import FixedClock
from casino_app.bootstrap import Wiring
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.operator.withdrawals import OpsWithdrawalsState
from casino_app.ui.state.player.links import MailboxState
from casino_app.ui.state.session.demo import DemoState
from tests.support import PASSWORD, confirm_email, registration
from tests.tabs import signed_in_tab, tab


async def _run(state: object, cls: type, name: str, *args: object) -> object:
    result = cls.event_handlers[name].fn(state, *args)
    return await result if asyncio.iscoroutine(result) else result


def test_the_mailbox_handler_shows_the_signed_in_player_only_their_own_mail(
    wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    me = registering.register_player(wiring.uow(), registration("me@example.com"), now)
    registering.register_player(wiring.uow(), registration("victim@example.com"), now)
    accounts.request_password_reset(wiring.uow(), "victim@example.com", now)

    async def scenario() -> tuple[list[str], list[str], bool]:
        root, _, _ = await signed_in_tab(wiring, me.id, now)
        mine = await root.get_state(MailboxState)
        await _run(mine, MailboxState, "load")
        anonymous = await tab().get_state(MailboxState)
        await _run(anonymous, MailboxState, "load")
        banner = await root.get_state(DemoState)
        await _run(banner, DemoState, "detect")
        return [m.recipient for m in mine.messages], [m.recipient for m in anonymous.messages], banner.on

    mine, anonymous, banner = asyncio.run(scenario())
    assert mine == ["me@example.com"]
    assert anonymous == []
    assert banner is True  # the test wiring runs in demo mode


def test_pay_confirms_the_typed_code_in_the_operators_session_then_pays(
    wiring: Wiring, clock: FixedClock, now: datetime
) -> None:
    ui_wiring.install(wiring)
    player = registering.register_player(wiring.uow(), registration("payee@example.com"), now)
    confirm_email(wiring.uow(), player.id, now)
    from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
    from casino_app.services.payments.deposits import deposits

    deposits.deposit(
        wiring.uow(), Actor.player(player.id), deposits.Deposit("o-9", 20_00, "EUR", APPROVE_TOKEN), now
    )
    op = registering.create_operator(
        wiring.uow(), Actor.system("test"), "cashier@example.com", PASSWORD, "finance", now
    )
    secret = totp.new_secret()
    mfa.enroll_demo_secret(wiring.uow(), op.id, secret, now)

    async def scenario() -> tuple[int, int]:
        _, _, player_session = await signed_in_tab(wiring, player.id, now, step_up=True)
        withdrawals.request_withdrawal(
            wiring.uow(), Actor.player(player.id, player_session), 5_00, "ui-pay", now
        )
        later = clock.advance(minutes=10)
        root, _, _ = await signed_in_tab(wiring, op.id, later)
        state = await root.get_state(OpsWithdrawalsState)
        await _run(state, OpsWithdrawalsState, "load")
        (row,) = state.queue
        await _run(state, OpsWithdrawalsState, "pay", row.id)  # no code typed, no fresh step-up
        before = len(state.queue)
        await _run(state, OpsWithdrawalsState, "set_code", totp.code_at(secret, totp.time_step(later)))
        await _run(state, OpsWithdrawalsState, "pay", row.id)
        return before, len(state.queue)

    before, after = asyncio.run(scenario())
    assert (before, after) == (1, 0)
    assert [w.status for w in withdrawals.player_withdrawals(wiring.uow(), Actor.player(player.id))] == [
        "paid"
    ]
