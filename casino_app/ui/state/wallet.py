"""Wallet: balances, a deposit through the wiring's payment provider, withdrawals, transactions.

Every amount is parsed and formatted in the wallet's own currency (from the wallet view).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import reflex as rx

from casino_app.domain.errors import StepUpRequired
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import parse_amount
from casino_app.services.dto import TransactionLine, WalletView
from casino_app.services.identity import accounts, mfa, users
from casino_app.services.money import wallet
from casino_app.services.payments import deposits, withdrawals
from casino_app.ui.format import kind_label, when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState, field


@dataclass(frozen=True)
class MethodRow:
    token: str = ""
    label: str = ""


@dataclass(frozen=True)
class TransactionRow:
    title: str = ""
    when: str = ""
    amount: str = ""
    positive: bool = False
    balance: str = ""


@dataclass(frozen=True)
class WithdrawalRow:
    amount: str = ""
    status: str = ""
    when: str = ""
    reason: str = ""


def _transaction_row(t: TransactionLine) -> TransactionRow:
    return TransactionRow(
        kind_label(t.kind),
        when(t.created_at),
        t.amount.text,
        t.amount.minor > 0,
        f"Balance {t.balance_after.text}",
    )


def _withdrawal_row(w: withdrawals.WithdrawalView) -> WithdrawalRow:
    return WithdrawalRow(w.amount.text, w.status.value, when(w.created_at), w.reason)


class WalletState(rx.State):
    currency: str = ""  # the wallet's currency: every amount here is parsed and shown in it
    balance_text: str = ""
    amount_text: str = "20.00"
    method_token: str = ""
    methods: list[MethodRow] = []
    transactions: list[TransactionRow] = []
    bonus_text: str = ""
    pending_text: str = ""
    mfa_enabled: bool = False
    withdrawals: list[WithdrawalRow] = []
    withdraw_error: str = ""
    error: str = ""
    notice: str = ""
    _order_id: str = ""
    _withdrawal_id: str = ""

    @rx.event
    def set_amount_text(self, value: str) -> None:
        self.amount_text, self.error, self.notice = value[:32], "", ""

    @rx.event
    def set_method_token(self, value: str) -> None:
        self.method_token, self.error = value[:128], ""

    async def _actor(self) -> Actor:
        return (await self.get_state(SessionState))._actor()

    @rx.event
    @requires("player.wallet")
    async def load(self) -> None:
        actor = await self._actor()
        view = await call(wallet.wallet_view, uow(), actor)
        self._show(view, await self._session())
        self.mfa_enabled = (await call(users.get_user, uow(), actor)).mfa_enabled
        self.withdrawals = [
            _withdrawal_row(w) for w in await call(withdrawals.player_withdrawals, uow(), actor)
        ]
        methods = await call(deposits.payment_methods, uow(), actor)
        self.methods = [MethodRow(m.token, m.label) for m in methods]
        if self.method_token not in {m.token for m in methods}:
            self.method_token = methods[0].token if methods else ""
        self._order_id = self._order_id or uuid.uuid4().hex
        self._withdrawal_id = self._withdrawal_id or uuid.uuid4().hex

    async def _session(self) -> SessionState:
        return await self.get_state(SessionState)

    def _show(self, view: WalletView, session: SessionState) -> None:
        self.currency = view.balance.currency
        self.balance_text = session.balance_text = view.balance.text
        self.bonus_text = view.bonus.text if view.bonus else ""
        self.pending_text = view.pending_withdrawals.text if view.pending_withdrawals else ""
        self.transactions = [_transaction_row(t) for t in view.transactions]

    async def _wallet_currency(self, actor: Actor) -> str:
        if not self.currency:
            self.currency = (await call(wallet.wallet_view, uow(), actor, 0)).balance.currency
        return self.currency

    @rx.event
    @requires("player.wallet")
    async def deposit(self):
        actor = await self._actor()
        self.error = self.notice = ""
        try:
            currency = await self._wallet_currency(actor)
            amount = parse_amount(self.amount_text, currency)
            cmd = deposits.Deposit(
                self._order_id or uuid.uuid4().hex, amount.minor, currency, self.method_token
            )
            result = await call(deposits.deposit, uow(), actor, cmd, now())
        except Exception as err:
            self.error = message(err)
            self._order_id = uuid.uuid4().hex
            await self.load()  # every money figure is fresh after a refused attempt too
            return None
        self._order_id = uuid.uuid4().hex
        self.notice = result.message
        await self.load()
        return rx.toast.success(result.message)

    @rx.event
    @requires("player.wallet")
    async def withdraw(self, form: dict[str, str]):
        """Cash to a withdrawal hold, after a step-up: a fresh code (or the password without 2FA)."""
        actor = await self._actor()
        self.withdraw_error = ""
        try:
            amount = parse_amount(field(form, "withdraw_amount"), await self._wallet_currency(actor))
            confirm = form.get("confirm", "")
            if confirm:
                await self._step_up(actor, confirm)
            result = await call(
                withdrawals.request_withdrawal, uow(), actor, amount.minor, self._withdrawal_id, now()
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
            await self.load()
            return None
        self._withdrawal_id = uuid.uuid4().hex
        await self.load()
        return rx.toast.success(f"Withdrawal of {result.amount.text} requested. It is on hold until paid.")

    async def _step_up(self, actor: Actor, confirm: str) -> None:
        if self.mfa_enabled:
            await call(mfa.step_up, uow(), actor, confirm[:32], now())
        else:
            await call(accounts.step_up_with_password, uow(), actor, confirm[:256], now())
