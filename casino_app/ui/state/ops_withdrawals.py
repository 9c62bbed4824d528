"""Back office: the withdrawals queue. Every handler declares and re-checks its permission."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.domain.payments.vocabulary import WithdrawalStatus
from casino_app.services.payments import withdrawals
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState

DECIDE = "ops.withdrawals.decide"


@dataclass(frozen=True)
class QueueRow:
    id: str = ""
    player: str = ""
    amount: str = ""
    requested: str = ""


def _queue_row(w: withdrawals.WithdrawalView) -> QueueRow:
    return QueueRow(str(w.id), w.player_email or f"player #{w.user_id}", w.amount.text, when(w.created_at))


class OpsWithdrawalsState(rx.State):
    queue: list[QueueRow] = []
    reason: str = ""
    error: str = ""

    @rx.event
    @requires(DECIDE)
    async def load(self) -> None:
        actor = (await self.get_state(SessionState)).actor()
        try:
            rows = await call(withdrawals.pending_withdrawals, uow(), actor)
        except Exception as err:
            self.queue, self.error = [], message(err)
            return
        self.error = ""
        self.queue = [_queue_row(w) for w in rows]

    @rx.event
    @requires(DECIDE)
    def set_reason(self, value: str) -> None:
        self.reason = value[:255]

    @rx.event
    @requires(DECIDE)
    async def pay(self, withdrawal_id: str):
        return await self._decide(withdrawal_id, WithdrawalStatus.PAID)

    @rx.event
    @requires(DECIDE)
    async def reject(self, withdrawal_id: str):
        return await self._decide(withdrawal_id, WithdrawalStatus.REJECTED)

    async def _decide(self, withdrawal_id: str, outcome: WithdrawalStatus):
        actor = (await self.get_state(SessionState)).actor()
        try:
            view = await call(
                withdrawals.resolve_withdrawal,
                uow(),
                actor,
                int(withdrawal_id),
                outcome,
                now=now(),
                reason=self.reason,
            )
        except (ValueError, TypeError):
            return rx.toast.error("Unknown withdrawal.")
        except Exception as err:
            return rx.toast.error(message(err))
        self.reason = ""
        await self.load()
        verb = "Paid" if outcome == WithdrawalStatus.PAID else "Rejected"
        return rx.toast.success(f"{verb} {view.amount.text}.")
