"""Wallet and cashier: balances, deposits (a provider's page or a card on file), withdrawals.

Every amount is parsed and formatted in the wallet's own currency (from the wallet view). A
deposit through a provider's page sends the player there and back to `/wallet?payment=<order>`;
while a deposit is pending, `watch_deposits` refreshes the wallet every few seconds so the
confirmation (a webhook or a status poll) shows without a reload.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

import reflex as rx

from casino_app.domain.errors import StepUpRequired
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import parse_amount
from casino_app.domain.payments.vocabulary import PaymentMethodKind, PaymentStatus, WithdrawalStatus
from casino_app.services.dto import MoneyLine, TransactionLine, WalletView
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.accounts import users
from casino_app.services.identity.credentials import mfa
from casino_app.services.money import wallet
from casino_app.services.payments.deposits import cashier, deposits
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.ui import routes, wiring
from casino_app.ui.format import kind_label
from casino_app.ui.i18n.catalog import catalog, text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.presses import pressed_too_long_ago
from casino_app.ui.state.session.session import SessionState, field

WATCH_SECONDS = 2.0
WATCH_ROUNDS = 90  # three minutes of watching; the status poll settles anything later


@dataclass(frozen=True)
class MethodRow:
    key: str = ""  # cashier.CashierOption.key
    label: str = ""


@dataclass(frozen=True)
class DepositRow:
    order_id: str = ""
    amount: str = ""
    status: str = ""
    label: str = ""
    when: str = ""
    reason: str = ""


@dataclass(frozen=True)
class TransactionRow:
    title: str = ""
    when: str = ""
    amount: str = ""
    positive: bool = False
    balance: str = ""


@dataclass(frozen=True)
class WithdrawalRow:
    id: str = ""
    amount: str = ""
    stage: str = ""  # hold | paying | paid | rejected | cancelled
    when: str = ""
    reason: str = ""
    cancellable: bool = False  # not approved yet: the player may take it back


def _transaction_row(t: TransactionLine, fmt: Formats) -> TransactionRow:
    after = fmt.money(t.balance_after.minor, t.balance_after.currency)
    return TransactionRow(
        kind_label(t.kind, fmt.lang),
        fmt.when(t.created_at),
        fmt.money(t.amount.minor, t.amount.currency),
        t.amount.minor > 0,
        text(fmt.lang, "wallet.balance_line", amount=after),
    )


def _withdrawal_stage(w: withdrawals.WithdrawalView) -> str:
    if w.status == WithdrawalStatus.REQUESTED:
        return "paying" if w.payout_status else "hold"
    if w.status == WithdrawalStatus.PAID:
        return "paid"
    return "cancelled" if w.reason == withdrawals.CANCELLED_NOTE else "rejected"


def _withdrawal_row(w: withdrawals.WithdrawalView, fmt: Formats) -> WithdrawalRow:
    stage = _withdrawal_stage(w)
    amount = fmt.money(w.amount.minor, w.amount.currency)
    return WithdrawalRow(str(w.id), amount, stage, fmt.when(w.created_at), w.reason, stage == "hold")


def _method_label(method: str, label: str, lang: str) -> str:
    """A way to pay in the reader's language: the provider's page by kind; a card by its own name."""
    if label and label != cashier.METHOD_LABELS.get(PaymentMethodKind(method), ""):
        return label
    key = f"wallet.method_{method}"
    return text(lang, key) if key in catalog(lang) else label


def _methods(options: list[cashier.CashierOption], lang: str) -> list[MethodRow]:
    return [
        MethodRow(o.key, _method_label(o.method, o.label, lang) if o.hosted else o.label) for o in options
    ]


def _deposit_row(p: cashier.PaymentView, fmt: Formats) -> DepositRow:
    amount = fmt.money(p.amount.minor, p.amount.currency)
    label = _method_label(p.method, p.method_label, fmt.lang)
    return DepositRow(p.order_id, amount, p.status, label, fmt.when(p.created_at), p.reason)


def _return_url(order_id: str) -> str:
    """Where the provider sends the player back: this wallet, naming the deposit."""
    base = wiring.current().settings.identity.public_url.rstrip("/")
    return f"{base}{routes.WALLET}?payment={order_id}"


class WalletState(rx.State):
    currency: str = ""  # the wallet's currency: every amount here is parsed and shown in it
    balance_text: str = ""
    amount_text: str = "20.00"
    method_key: str = ""
    methods: list[MethodRow] = []
    deposits: list[DepositRow] = []
    watching: bool = False
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
    _watch_started: float = 0.0

    @rx.event
    def set_amount_text(self, value: str) -> None:
        self.amount_text, self.error, self.notice = value[:32], "", ""

    @rx.event
    def set_method_key(self, value: str) -> None:
        self.method_key, self.error = value[:160], ""

    async def _actor(self) -> Actor:
        return (await self.get_state(SessionState))._actor()

    @rx.event
    @requires("player.wallet")
    async def load(self):
        """The wallet's figures, ways to pay and deposits; watching starts while one is pending."""
        actor = await self._actor()
        fmt = await formats_of(self)
        view = await call(wallet.wallet_view, uow(), actor)
        self._show(view, await self._session(), fmt)
        self.mfa_enabled = (await call(users.get_user, uow(), actor)).mfa_enabled
        self.withdrawals = [
            _withdrawal_row(w, fmt) for w in await call(withdrawals.player_withdrawals, uow(), actor)
        ]
        options = await call(cashier.options, uow(), actor)
        self.methods = _methods(options, fmt.lang)
        if self.method_key not in {o.key for o in options}:
            saved = [o for o in options if not o.hosted]  # a card on file first: one click
            self.method_key = (saved or options)[0].key if options else ""
        self._order_id = self._order_id or uuid.uuid4().hex
        self._withdrawal_id = self._withdrawal_id or uuid.uuid4().hex
        await self._show_returning(actor, fmt)
        if await self._refresh_deposits(actor, fmt):
            return self._start_watching()
        return None

    async def _show_returning(self, actor: Actor, fmt: Formats) -> None:
        """Back from a provider's page: say what became of the deposit."""
        order_id = self.router.url.query_parameters.get("payment", "")[:64]
        if not order_id:
            return
        try:
            back = await call(cashier.deposit_status, uow(), actor, order_id)
        except Exception:
            return
        amount = fmt.money(back.amount.minor, back.amount.currency)
        if back.status == "approved":
            self.notice = text(fmt.lang, "wallet.deposited", amount=amount)
        elif back.status == "declined":
            self.error = back.reason or text(fmt.lang, "wallet.declined")
        else:
            self.notice = text(fmt.lang, "wallet.being_confirmed", amount=amount)

    async def _refresh_deposits(self, actor: Actor, fmt: Formats) -> bool:
        """The recent deposits; True while one of them is still pending."""
        recent = await call(cashier.recent_deposits, uow(), actor)
        self.deposits = [_deposit_row(p, fmt) for p in recent]
        return any(p.status == "pending" for p in recent)

    def _start_watching(self):
        if self.watching and time.monotonic() - self._watch_started < WATCH_SECONDS * WATCH_ROUNDS:
            return None
        self.watching, self._watch_started = True, time.monotonic()
        return WalletState.watch_deposits

    @rx.event(background=True)
    async def watch_deposits(self):
        """Refresh the wallet until no deposit is pending (the provider's word arrives meanwhile)."""
        for _ in range(WATCH_ROUNDS):
            await asyncio.sleep(WATCH_SECONDS)
            async with self:
                if not self.watching:
                    return
                session = await self.get_state(SessionState)
                actor = session._actor()
                if not actor.is_player:
                    self.watching = False
                    return
                fmt = await formats_of(self)
                still = await self._refresh_deposits(actor, fmt)
                self._show(await call(wallet.wallet_view, uow(), actor), session, fmt)
                if not still:
                    self.watching = False
                    self._say_settled(fmt.lang)
                    options = await call(cashier.options, uow(), actor)  # a card just saved is offered
                    self.methods = _methods(options, fmt.lang)
                    return
        async with self:
            self.watching = False

    def _say_settled(self, lang: str) -> None:
        """The newest deposit's outcome, once nothing is pending any more."""
        if not self.deposits:
            return
        latest = self.deposits[0]
        if latest.status == "approved":
            self.notice, self.error = text(lang, "wallet.deposited", amount=latest.amount), ""
        elif latest.status == "declined":
            self.notice, self.error = "", latest.reason or text(lang, "wallet.declined")

    async def _session(self) -> SessionState:
        return await self.get_state(SessionState)

    def _show(self, view: WalletView, session: SessionState, fmt: Formats) -> None:
        self.currency = view.balance.currency
        self.balance_text = session.balance_text = fmt.money(view.balance.minor, view.balance.currency)
        self.bonus_text = fmt.money(view.bonus.minor, view.bonus.currency) if view.bonus else ""
        pending = view.pending_withdrawals
        self.pending_text = fmt.money(pending.minor, pending.currency) if pending else ""
        self.transactions = [_transaction_row(t, fmt) for t in view.transactions]

    async def _wallet_currency(self, actor: Actor) -> str:
        if not self.currency:
            self.currency = (await call(wallet.wallet_view, uow(), actor, 0)).balance.currency
        return self.currency

    @staticmethod
    def _said(status: str, amount: MoneyLine, fmt: Formats) -> str:
        """What the player reads after pressing Deposit: credited, or on to the provider's page."""
        if status == PaymentStatus.APPROVED:
            return text(fmt.lang, "wallet.deposited", amount=fmt.money(amount.minor, amount.currency))
        return text(fmt.lang, "wallet.continue_at_provider")

    @rx.event
    @requires("player.wallet")
    async def deposit(self, pressed_at: float | None = None):
        """A card on file is charged at once; any other method goes on the provider's page."""
        actor = await self._actor()
        fmt = await formats_of(self)
        self.error = self.notice = ""
        if pressed_too_long_ago(pressed_at, now()):  # replayed after a reconnect: not applied
            self.error = text(fmt.lang, "common.pressed_while_offline")
            return rx.toast.warning(self.error)
        order_id = self._order_id or uuid.uuid4().hex
        try:
            currency = await self._wallet_currency(actor)
            amount = parse_amount(self.amount_text, currency)
            option = cashier.option_of(await call(cashier.options, uow(), actor), self.method_key)
            if option.hosted:
                cmd = deposits.StartDeposit(
                    order_id, amount.minor, currency, option.method, _return_url(order_id)
                )
                started = await call(deposits.start_deposit, uow(), actor, cmd, now())
                said, redirect = self._said(started.status, started.amount, fmt), started.redirect_url
            else:
                direct = deposits.Deposit(order_id, amount.minor, currency, option.token, option.provider)
                done = await call(deposits.deposit, uow(), actor, direct, now())
                said, redirect = self._said(done.status, done.amount, fmt), ""
        except Exception as err:
            self.error = message(err, fmt.lang)
            self._order_id = uuid.uuid4().hex
            await self.load()  # every money figure is fresh after a refused attempt too
            return None
        self._order_id = uuid.uuid4().hex
        if redirect:  # off to the provider's page; back at /wallet?payment=<order>
            self.notice = said
            await self._refresh_deposits(actor, fmt)
            return rx.redirect(redirect)
        self.notice = said
        await self.load()
        return rx.toast.success(said)

    @rx.event
    @requires("player.wallet")
    async def withdraw(self, form: dict[str, str]):
        """Cash to a withdrawal hold, after a step-up: a fresh code (or the password without 2FA)."""
        actor = await self._actor()
        fmt = await formats_of(self)
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
            key = "wallet.confirm_with_code" if self.mfa_enabled else "wallet.confirm_with_password"
            self.withdraw_error = text(fmt.lang, key)
            return None
        except Exception as err:
            self.withdraw_error = message(err, fmt.lang)
            await self.load()
            return None
        self._withdrawal_id = uuid.uuid4().hex
        await self.load()
        amount_text = fmt.money(result.amount.minor, result.amount.currency)
        return rx.toast.success(text(fmt.lang, "wallet.withdrawal_requested", amount=amount_text))

    @rx.event
    @requires("player.wallet")
    async def cancel_withdrawal(self, withdrawal_id: str):
        """Take back a withdrawal that is not approved yet: its hold returns to cash."""
        actor = await self._actor()
        fmt = await formats_of(self)
        self.withdraw_error = ""
        try:
            view = await call(withdrawals.cancel_withdrawal, uow(), actor, int(withdrawal_id[:19]), now())
        except (ValueError, TypeError):
            self.withdraw_error = text(fmt.lang, "wallet.unknown_withdrawal")
            return None
        except Exception as err:
            self.withdraw_error = message(err, fmt.lang)
            await self.load()
            return None
        await self.load()
        amount_text = fmt.money(view.amount.minor, view.amount.currency)
        return rx.toast.success(text(fmt.lang, "wallet.withdrawal_cancelled", amount=amount_text))

    async def _step_up(self, actor: Actor, confirm: str) -> None:
        if self.mfa_enabled:
            await call(mfa.step_up, uow(), actor, confirm[:32], now())
        else:
            await call(accounts.step_up_with_password, uow(), actor, confirm[:256], now())
