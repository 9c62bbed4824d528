"""Wallet: balance, a demo deposit through the sandbox provider, transactions."""

from __future__ import annotations

import uuid

import reflex as rx

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN, SandboxProvider
from casino_app.domain.errors import StepUpRequired
from casino_app.domain.money.amounts import parse_amount
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity import accounts, mfa, signin
from casino_app.services.money import wallet
from casino_app.services.payments import deposits, withdrawals
from casino_app.ui.format import kind_label, when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState, field

PROVIDER = SandboxProvider()


class WalletState(rx.State):
    balance_text: str = ""
    amount_text: str = "20.00"
    method_token: str = APPROVE_TOKEN
    methods: list[dict[str, str]] = [{"token": m.token, "label": m.label} for m in PROVIDER.methods()]
    transactions: list[dict[str, str]] = []
    bonus_text: str = ""
    pending_text: str = ""
    mfa_enabled: bool = False
    withdrawals: list[dict[str, str]] = []
    withdraw_error: str = ""
    error: str = ""
    notice: str = ""
    _order_id: str = ""
    _withdrawal_id: str = ""

    @rx.event
    def set_amount_text(self, value: str) -> None:
        self.amount_text, self.error, self.notice = value, "", ""

    @rx.event
    def set_method_token(self, value: str) -> None:
        self.method_token, self.error = value, ""

    @rx.event
    @requires("player.wallet")
    async def load(self) -> None:
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            return
        view = await call(wallet.wallet_view, UnitOfWork(), user_id)
        self.balance_text = session.balance_text = view.balance.text
        self.bonus_text = view.bonus.text if view.bonus else ""
        self.pending_text = view.pending_withdrawals.text if view.pending_withdrawals else ""
        self.mfa_enabled = (await call(signin.get_user, UnitOfWork(), user_id)).mfa_enabled
        self.withdrawals = [
            {"amount": w.amount.text, "status": w.status, "when": when(w.created_at)}
            for w in await call(withdrawals.player_withdrawals, UnitOfWork(), user_id)
        ]
        self.transactions = [
            {
                "title": kind_label(t.kind),
                "when": when(t.created_at),
                "amount": t.amount.text,
                "positive": "1" if t.amount.minor > 0 else "",
                "balance": f"Balance {t.balance_after.text}",
            }
            for t in view.transactions
        ]
        self._order_id = self._order_id or uuid.uuid4().hex
        self._withdrawal_id = self._withdrawal_id or uuid.uuid4().hex

    @rx.event
    @requires("player.wallet")
    async def deposit(self):
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            return rx.redirect("/login")
        self.error = self.notice = ""
        try:
            amount = parse_amount(self.amount_text, "EUR")
            cmd = deposits.Deposit(
                user_id, self._order_id or uuid.uuid4().hex, amount.minor, "EUR", self.method_token
            )
            result = await call(deposits.deposit, UnitOfWork(), PROVIDER, cmd, now())
        except Exception as err:
            self.error = message(err)
            self._order_id = uuid.uuid4().hex
            return
        self._order_id = uuid.uuid4().hex
        self.notice = result.message
        await self.load()
        return rx.toast.success(result.message)

    @rx.event
    @requires("player.wallet")
    async def withdraw(self, form: dict[str, str]):
        """Cash to a withdrawal hold, after a step-up: a fresh code (or the password without 2FA)."""
        session = await self.get_state(SessionState)
        user_id, session_id = session.player_id(), session.session_id()
        if user_id is None or session_id is None:
            return rx.redirect("/login")
        self.withdraw_error = ""
        try:
            amount = parse_amount(field(form, "withdraw_amount"), "EUR")
            confirm = form.get("confirm", "")
            if confirm:
                await self._step_up(user_id, session_id, confirm)
            result = await call(
                withdrawals.withdraw,
                UnitOfWork(),
                session_id,
                user_id,
                amount.minor,
                self._withdrawal_id,
                now(),
            )
        except StepUpRequired:
            self.withdraw_error = (
                "Confirm it is you: enter a code from your authenticator app."
                if self.mfa_enabled
                else "Confirm it is you: enter your password."
            )
            return None
        except Exception as err:
            self.withdraw_error = message(err)
            return None
        self._withdrawal_id = uuid.uuid4().hex
        await self.load()
        return rx.toast.success(f"Withdrawal of {result.amount.text} requested. It is on hold until paid.")

    async def _step_up(self, user_id: int, session_id: int, confirm: str) -> None:
        if self.mfa_enabled:
            await call(mfa.step_up, UnitOfWork(), user_id, session_id, confirm[:32], now())
        else:
            await call(
                accounts.step_up_with_password, UnitOfWork(), user_id, session_id, confirm[:256], now()
            )
