"""What the cashier shows: the ways to pay this player has, and their recent deposits.

Ways to pay: each method a provider serves for the wallet's currency and the player's country
(through the provider's page), then the player's cards on file, then (demo only) the demo's
test cards. Each has a stable `key` the UI sends back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentMethodKind
from casino_app.persistence.tables import Payment, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine
from casino_app.services.payments.deposits import cards

METHOD_LABELS = {
    PaymentMethodKind.CARD: "Card (on the provider's secure page)",
    PaymentMethodKind.BANK_TRANSFER: "Instant bank transfer",
    PaymentMethodKind.EWALLET: "E-wallet",
}


@dataclass(frozen=True)
class CashierOption:
    key: str  # "method:<kind>" (through the provider's page) or "card:<token>" (charged directly)
    label: str
    method: str
    token: str = ""
    provider: str = ""

    @property
    def hosted(self) -> bool:
        return self.key.startswith("method:")


@dataclass(frozen=True)
class PaymentView:
    order_id: str
    status: str
    amount: MoneyLine
    method: str
    method_label: str
    reason: str
    created_at: datetime


@authz.guard("player.wallet")
def options(uow: UnitOfWork, actor: Actor) -> list[CashierOption]:
    """The acting player's ways to deposit, in the order the cashier offers them."""
    player_id = actor.player_id()
    with uow.reader() as r:
        user = r.session.get(User, player_id)
        if user is None:
            raise NotFound("Unknown player.")
        currency, country = user.currency, user.country
    payments = uow.context.payments
    found = [
        CashierOption(f"method:{m.value}", METHOD_LABELS[m], m.value)
        for m in payments.methods_for(currency, country)
    ]
    found += [
        CashierOption(f"card:{c.token}", c.label, PaymentMethodKind.CARD.value, c.token, c.provider)
        for c in cards.my_cards(uow, actor)
        if payments.known(c.provider)
    ]
    for provider in payments.by_name.values():
        test_cards = getattr(provider, "test_cards", None)
        if test_cards is not None:
            found += [
                CashierOption(f"card:{c.token}", label, PaymentMethodKind.CARD.value, c.token, provider.name)
                for c, label in test_cards()
                if f"card:{c.token}" not in {o.key for o in found}
            ]
    return found


def option_of(found: list[CashierOption], key: str) -> CashierOption:
    for option in found:
        if option.key == key:
            return option
    raise InvalidInput("Choose how to pay.")


def _view(p: Payment) -> PaymentView:
    return PaymentView(
        p.order_id,
        p.status,
        money_line(p.amount, p.currency),
        p.method,
        p.method_label or METHOD_LABELS.get(PaymentMethodKind(p.method), p.method),
        p.decline_reason,
        p.created_at,
    )


@authz.guard("player.wallet")
def recent_deposits(uow: UnitOfWork, actor: Actor, limit: int = 5) -> list[PaymentView]:
    """The acting player's latest deposits (pending ones included), newest first."""
    player_id = actor.player_id()
    with uow.reader() as r:
        rows = r.session.exec(
            select(Payment)
            .where(Payment.user_id == player_id, Payment.direction == PaymentDirection.DEPOSIT)
            .order_by(col(Payment.id).desc())
            .limit(max(1, min(limit, 50)))
        ).all()
        return [_view(p) for p in rows]


@authz.guard("player.wallet")
def deposit_status(uow: UnitOfWork, actor: Actor, order_id: str) -> PaymentView:
    """One of the acting player's deposits (what the cashier shows on the way back from a provider).

    Raises:
        NotFound: no such deposit of this player.
    """
    player_id = actor.player_id()
    with uow.reader() as r:
        row = r.session.exec(
            select(Payment).where(Payment.order_id == order_id[:64], Payment.user_id == player_id)
        ).first()
        if row is None:
            raise NotFound("No such deposit.")
        return _view(row)
