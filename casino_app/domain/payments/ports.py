"""The payment provider port: what the cashier, payouts and reconciliation ask of any provider.

Every provider adapter (`adapters/payments/`) implements `PaymentProvider`; the wiring registers
them by name in `PaymentProviders` with the `PaymentRouter` that orders them per method,
currency and country (`bootstrap.default_payment_providers()`). Card numbers never reach us:
a provider's hosted page tokenizes them and we only ever see a `CardOnFile`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from casino_app.domain.errors import NotFound
from casino_app.domain.payments.routing import PaymentRouter
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentMethodKind

MIN_DEPOSIT_MINOR = 500  # 5.00
MAX_DEPOSIT_MINOR = 1_000_000  # 10,000.00


@dataclass(frozen=True)
class CardOnFile:
    """All we keep of a card (PCI DSS scope reduction): no number, no CVC."""

    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    holder_name_match: bool


@dataclass(frozen=True)
class DepositRequest:
    """One attempt at a deposit; `attempt_id` is also the call's Idempotency-Key.

    Without `card_token` the provider answers with a page to send the player to (hosted card
    form, bank or e-wallet approval) and confirms by webhook; with a card on file it charges
    directly.
    """

    order_id: str
    attempt_id: str
    amount_minor: int
    currency: str
    method: PaymentMethodKind
    country: str
    customer_ref: str  # our player's opaque reference at the provider (never an email)
    return_url: str
    card_token: str = ""
    customer_name: str = ""  # for the provider's holder-name check; may be empty
    fault: str = ""  # test providers only: how to misbehave on this request


@dataclass(frozen=True)
class DepositCreated:
    """The provider's answer: a final status (direct charge) or a page to send the player to."""

    provider_reference: str
    status: str  # "pending" | "succeeded"; declines raise `HardDecline` / `SoftDecline`
    redirect_url: str = ""
    card: CardOnFile | None = None


@dataclass(frozen=True)
class PayoutRequest:
    """Money out to the player (a withdrawal) through a method they deposited with."""

    payout_id: str
    attempt_id: str
    amount_minor: int
    currency: str
    method: PaymentMethodKind
    destination: str  # a card token, an IBAN reference or an e-wallet account id
    customer_ref: str
    fault: str = ""


@dataclass(frozen=True)
class RefundRequest:
    refund_id: str
    provider_reference: str  # the deposit being refunded
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class ProviderResult:
    """A payout's or refund's answer."""

    provider_reference: str
    status: str  # "pending" | "succeeded"


@dataclass(frozen=True)
class ProviderTransaction:
    """A provider's view of one transaction: status polling and reconciliation read these."""

    provider_reference: str
    attempt_id: str
    order_id: str
    direction: PaymentDirection
    status: str  # "pending" | "succeeded" | "declined"
    amount_minor: int
    currency: str
    occurred_at: datetime
    decline_reason: str = ""
    card: CardOnFile | None = None


@dataclass(frozen=True)
class WebhookEvent:
    """A verified, parsed webhook: about one transaction, with its order in the transaction's life.

    `sequence` grows along a transaction's life (processing < succeeded), so an event older than
    what a payment has seen is recognised as out of order and ignored.
    """

    event_id: str
    event_type: str
    sequence: int
    transaction: ProviderTransaction
    created_at: datetime


@dataclass(frozen=True)
class Capabilities:
    """What a provider serves: the router only offers it there."""

    methods: frozenset[PaymentMethodKind]
    currencies: frozenset[str] = frozenset()  # empty: every currency
    countries: frozenset[str] = frozenset()  # empty: every country
    hosted: bool = True  # deposits go through its page (and card numbers never reach us)


class OffersTestCards(Protocol):
    """A provider with published test cards (the demo's): the cashier offers them as cards on file."""

    def test_cards(self) -> Sequence[tuple[CardOnFile, str]]:
        """(card, label) pairs."""
        ...


class PaymentProvider(Protocol):
    """Implemented by each provider adapter; every call carries an Idempotency-Key.

    Raises (every method): `ProviderTimeout`, `ProviderUnavailable` (the caller may fail over),
    `SoftDecline` (fail over), `HardDecline` (stop).
    """

    name: str
    capabilities: Capabilities

    def create_deposit(self, request: DepositRequest) -> DepositCreated:
        """Start (hosted page) or make (card on file) a deposit; idempotent on `attempt_id`."""
        ...

    def payout(self, request: PayoutRequest) -> ProviderResult:
        """Send money to the player; idempotent on `attempt_id`."""
        ...

    def refund(self, request: RefundRequest) -> ProviderResult:
        """Return a deposit's money; idempotent on `refund_id`."""
        ...

    def status(self, attempt_id: str) -> ProviderTransaction:
        """What the provider knows of the attempt (raises `NotFound` when it never saw it)."""
        ...

    def transactions(self, since: datetime, until: datetime) -> Sequence[ProviderTransaction]:
        """Every transaction in the window, for reconciliation."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes, now: datetime) -> WebhookEvent:
        """Verify the signature first, then parse (raises `InvalidSignature`, `MalformedWebhook`)."""
        ...


@dataclass(frozen=True)
class PaymentProviders:
    """Payment providers by name and the router ordering them (built by the wiring).

    `default` names the provider of calls that name none (direct charges of a card on file in
    the demo, payouts until they are routed).
    """

    by_name: Mapping[str, PaymentProvider]
    default: str
    router: PaymentRouter = field(default_factory=PaymentRouter)

    def get(self, name: str | None = None) -> PaymentProvider:
        provider = self.by_name.get(name or self.default)
        if provider is None:
            raise NotFound(f"Unknown payment provider {name!r}.")
        return provider

    def known(self, name: str) -> bool:
        return name in self.by_name

    def candidates(
        self, method: PaymentMethodKind, currency: str, country: str
    ) -> tuple[PaymentProvider, ...]:
        """The providers to try for a deposit, in order (the router's, limited to what each serves)."""
        names = self.router.providers_for(method, currency, country)
        return tuple(
            p
            for p in (self.by_name[n] for n in names if n in self.by_name)
            if _serves(p.capabilities, method, currency, country)
        )

    def methods_for(self, currency: str, country: str) -> tuple[PaymentMethodKind, ...]:
        """The methods a player paying in `currency` from `country` can choose, in offer order."""
        return tuple(m for m in PaymentMethodKind if self.candidates(m, currency, country))


def _serves(c: Capabilities, method: PaymentMethodKind, currency: str, country: str) -> bool:
    return (
        method in c.methods
        and (not c.currencies or currency in c.currencies)
        and (not c.countries or country in c.countries)
    )
