"""Back office: the withdrawals queue. Every handler declares and re-checks its permission."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.domain.errors import StepUpRequired
from casino_app.domain.payments.vocabulary import WithdrawalStatus
from casino_app.services.identity import mfa
from casino_app.services.payments import withdrawals
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState

DECIDE = "ops.withdrawals.decide"
CODE_NEEDED = "Enter a code from your authenticator app to pay (it covers 5 minutes of payments)."


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
    # A fresh authenticator code: paying needs one confirmed in the last 5 minutes (issue 14.8).
    code: str = ""
    error: str = ""

    @rx.event
    @requires(DECIDE)
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
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
    def set_code(self, value: str) -> None:
        self.code = value[:16]

    @rx.event
    @requires(DECIDE)
    async def pay(self, withdrawal_id: str):
        """Pay: first confirm the operator's code when one was typed (a step-up lasts 5 minutes)."""
        if self.code.strip():
            actor = (await self.get_state(SessionState))._actor()
            code, self.code = self.code, ""
            try:
                await call(mfa.confirm_operator_code, uow(), actor, code, now())
            except Exception as err:
                return rx.toast.error(message(err))
        return await self._decide(withdrawal_id, WithdrawalStatus.PAID)

    @rx.event
    @requires(DECIDE)
    async def reject(self, withdrawal_id: str):
        return await self._decide(withdrawal_id, WithdrawalStatus.REJECTED)

    async def _decide(self, withdrawal_id: str, outcome: WithdrawalStatus):
        actor = (await self.get_state(SessionState))._actor()
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
        except StepUpRequired:
            return rx.toast.error(CODE_NEEDED)
        except Exception as err:
            return rx.toast.error(message(err))
        self.reason = ""
        await self.load()
        verb = "Paid" if outcome == WithdrawalStatus.PAID else "Rejected"
        return rx.toast.success(f"{verb} {view.amount.text}.")
