"""Back office: the withdrawals queue. Every handler declares and re-checks its permission."""

from __future__ import annotations

from dataclasses import dataclass, replace

import reflex as rx

from casino_app.domain.errors import StepUpRequired
from casino_app.domain.payments.vocabulary import WithdrawalStatus
from casino_app.services.identity.credentials import mfa
from casino_app.services.payments.withdrawals import context as withdrawal_context
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState

DECIDE = "ops.withdrawals.decide"
CODE_NEEDED = "Enter a code from your authenticator app to pay (it covers 5 minutes of payments)."


@dataclass(frozen=True)
class QueueRow:
    id: str = ""
    player: str = ""
    amount: str = ""
    requested: str = ""
    # the player's context, seen before approving (issue 11): balances, deposits, recent play
    balances: str = ""
    deposits: str = ""
    play: str = ""
    payout_to: str = ""
    last_bets: str = ""


@dataclass(frozen=True)
class PayoutRow:
    id: str = ""
    player: str = ""
    amount: str = ""
    status: str = ""
    provider: str = ""


def _queue_row(
    w: withdrawals.WithdrawalView, c: withdrawal_context.WithdrawalContext | None = None
) -> QueueRow:
    row = QueueRow(str(w.id), w.player_email or f"player #{w.user_id}", w.amount.text, when(w.created_at))
    if c is None:
        return row
    return replace(
        row,
        balances=f"Cash {c.cash.text} · bonus {c.bonus.text} · on hold {c.on_hold.text}",
        deposits=f"Deposits {c.deposits_total.text} ({c.deposits_count}), {c.deposits_30d.text} in 30 days"
        f" · paid out {c.withdrawals_paid_total.text}",
        play=f"Stakes minus wins, 30 days: {c.net_30d.text}",
        payout_to=f"Pays to: {c.payout_method}",
        last_bets=" · ".join(f"{b.game} {b.stake.text} → {b.win.text}" for b in c.recent_bets)
        or "No bets yet",
    )


def _payout_row(w: withdrawals.WithdrawalView) -> PayoutRow:
    return PayoutRow(str(w.id), w.player_email, w.amount.text, w.payout_status, w.payout_provider)


def _load_queue(actor) -> tuple[list[QueueRow], list[PayoutRow]]:
    """The finance queue with each player's context, and the payouts still under way."""
    rows, at = [], now()
    for w in withdrawals.pending_withdrawals(uow(), actor):
        rows.append(_queue_row(w, withdrawal_context.withdrawal_context(uow(), actor, w.id, at)))
    under_way = [_payout_row(w) for w in withdrawals.payouts_under_way(uow(), actor)]
    return rows, under_way


class OpsWithdrawalsState(rx.State):
    queue: list[QueueRow] = []
    under_way: list[PayoutRow] = []
    reason: str = ""
    # A fresh authenticator code: paying needs one confirmed in the last 5 minutes (issue 14.8).
    code: str = ""
    error: str = ""

    @rx.event
    @requires(DECIDE)
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        try:
            rows, under_way = await call(_load_queue, actor)
        except Exception as err:
            self.queue, self.under_way, self.error = [], [], message(err)
            return
        self.error = ""
        self.queue, self.under_way = rows, under_way

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
        if outcome == WithdrawalStatus.REJECTED:
            return rx.toast.success(f"Rejected {view.amount.text}.")
        if view.status == WithdrawalStatus.PAID:
            return rx.toast.success(f"Paid {view.amount.text}.")
        if view.status == WithdrawalStatus.REJECTED:  # every provider refused: the money went back
            return rx.toast.error(view.reason)
        return rx.toast.info(f"Approved {view.amount.text}: the payout is on its way.")
