"""Wallet: balance, a demo deposit through the sandbox provider, transactions."""

from __future__ import annotations

import uuid

import reflex as rx

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN, SandboxProvider
from casino_app.domain.money import parse_amount
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import payments, wallet
from casino_app.ui.format import kind_label, when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.session import SessionState

PROVIDER = SandboxProvider()


class WalletState(rx.State):
    balance_text: str = ""
    amount_text: str = "20.00"
    method_token: str = APPROVE_TOKEN
    methods: list[dict[str, str]] = [{"token": m.token, "label": m.label} for m in PROVIDER.methods()]
    transactions: list[dict[str, str]] = []
    error: str = ""
    notice: str = ""
    _order_id: str = ""

    @rx.event
    def set_amount_text(self, value: str) -> None:
        self.amount_text, self.error, self.notice = value, "", ""

    @rx.event
    def set_method_token(self, value: str) -> None:
        self.method_token, self.error = value, ""

    @rx.event
    async def load(self) -> None:
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            return
        view = await call(wallet.wallet_view, UnitOfWork(), user_id)
        self.balance_text = session.balance_text = view.balance.text
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

    @rx.event
    async def deposit(self):
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            return rx.redirect("/login")
        self.error = self.notice = ""
        try:
            amount = parse_amount(self.amount_text, "EUR")
            cmd = payments.Deposit(
                user_id, self._order_id or uuid.uuid4().hex, amount.minor, "EUR", self.method_token
            )
            result = await call(payments.deposit, UnitOfWork(), PROVIDER, cmd, now())
        except Exception as err:
            self.error = message(err)
            self._order_id = uuid.uuid4().hex
            return
        self._order_id = uuid.uuid4().hex
        self.notice = result.message
        await self.load()
        return rx.toast.success(result.message)
