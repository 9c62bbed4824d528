"""Back office: the withdrawals queue. Every handler declares and re-checks its permission."""

from __future__ import annotations

import reflex as rx

from casino_app.persistence.uow import UnitOfWork
from casino_app.services.payments import withdrawals
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState

DECIDE = "ops.withdrawals.decide"


class OpsWithdrawalsState(rx.State):
    queue: list[dict[str, str]] = []
    reason: str = ""
    error: str = ""

    @rx.event
    @requires(DECIDE)
    async def load(self) -> None:
        session = await self.get_state(SessionState)
        try:
            rows = await call(withdrawals.pending_withdrawals, UnitOfWork(), session.role())
        except Exception as err:
            self.queue, self.error = [], message(err)
            return
        self.error = ""
        self.queue = [
            {
                "id": str(w.id),
                "player": w.player_email or f"player #{w.user_id}",
                "amount": w.amount.text,
                "requested": when(w.created_at),
            }
            for w in rows
        ]

    @rx.event
    @requires(DECIDE)
    def set_reason(self, value: str) -> None:
        self.reason = value[:255]

    @rx.event
    @requires(DECIDE)
    async def pay(self, withdrawal_id: str):
        return await self._decide(withdrawal_id, "paid")

    @rx.event
    @requires(DECIDE)
    async def reject(self, withdrawal_id: str):
        return await self._decide(withdrawal_id, "rejected")

    async def _decide(self, withdrawal_id: str, outcome: str):
        session = await self.get_state(SessionState)
        try:
            view = await call(
                withdrawals.resolve_withdrawal,
                UnitOfWork(),
                int(withdrawal_id),
                outcome,
                role=session.role(),
                actor=session.actor(),
                now=now(),
                reason=self.reason,
            )
        except (ValueError, TypeError):
            return rx.toast.error("Unknown withdrawal.")
        except Exception as err:
            return rx.toast.error(message(err))
        self.reason = ""
        await self.load()
        verb = "Paid" if outcome == "paid" else "Rejected"
        return rx.toast.success(f"{verb} {view.amount.text}.")
