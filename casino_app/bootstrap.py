"""The composition root: settings, clock, database, keys, publisher, payment providers, checks.

`build()` makes a `Wiring` once per process (the Reflex app, the CLI, a benchmark); tests build
their own with a test database, a fixed clock and a throwaway keyring. Entry points get the
wiring handed to them and only do two things with it: open units of work (`wiring.uow()`) and
build the `Actor` of the caller. Nothing else reads the environment or holds adapters globally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from casino_app.adapters.clock import Clock, SystemClock
from casino_app.adapters.events import EventPublisher, InProcessPublisher
from casino_app.adapters.keys import KeyProvider, LocalKeyring
from casino_app.adapters.payments.demo import DemoCardProvider
from casino_app.adapters.payments.http import HttpPolicy
from casino_app.adapters.payments.sandbox import SandboxProvider
from casino_app.adapters.payments.stripe import StripeProvider
from casino_app.config import Settings, load_settings
from casino_app.context import Context
from casino_app.domain.compliance.checks import RESPONSIBLE_GAMING
from casino_app.domain.games.checks import StakeChecks, default_checks
from casino_app.domain.payments.ports import PaymentProvider, PaymentProviders
from casino_app.domain.payments.routing import PaymentRouter, Route
from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security.denials import DenialLog


@dataclass(frozen=True)
class Wiring:
    settings: Settings
    clock: Clock
    database: Database
    keys: KeyProvider
    events: EventPublisher
    payments: PaymentProviders
    stake_checks: StakeChecks
    # Per process: denied calls counted per connection, so a client cannot flood the audit log.
    denials: DenialLog = field(default_factory=DenialLog)

    @property
    def context(self) -> Context:
        return Context(
            self.settings, self.clock, self.keys, self.events, self.stake_checks, self.payments, self.denials
        )

    def uow(self) -> UnitOfWork:
        """A unit of work on this wiring's database, carrying its context."""
        return UnitOfWork(self.database, self.context)

    def now(self) -> datetime:
        return self.clock.now()

    def dispose(self) -> None:
        self.database.dispose()


def default_payment_providers(settings: Settings | None = None) -> PaymentProviders:
    """Every payment provider by name and the routes that order them: the one place to change.

    The sandbox payment service serves cards (hosted page), instant bank transfers and the
    e-wallet; in demo mode the demo's in-process test cards are there too (never routed: they
    are offered as cards on file).
    """
    settings = settings or Settings()
    cfg = settings.payments
    policy = HttpPolicy(cfg.connect_timeout, cfg.read_timeout, cfg.retries)
    sandbox = SandboxProvider(cfg.sandbox_url, cfg.sandbox_api_key, cfg.sandbox_webhook_secret, policy=policy)
    providers: dict[str, PaymentProvider] = {sandbox.name: sandbox}
    if settings.demo_mode:
        demo = DemoCardProvider()
        providers[demo.name] = demo
    if settings.stripe.api_key:  # Stripe charges cards tokenized by Stripe.js (cards on file, never routed)
        cs = settings.stripe
        stripe = StripeProvider(cs.api_url, cs.api_key, cs.webhook_secret)
        providers[stripe.name] = stripe
    router = PaymentRouter(tuple(Route(method, (sandbox.name,)) for method in PaymentMethodKind))
    return PaymentProviders(providers, "demo" if settings.demo_mode else sandbox.name, router)


def default_stake_checks() -> StakeChecks:
    """Every stake's pre-debit checks: the game's limits, then responsible gaming (limits,
    time-out and exclusion, session limit, reality checks) on facts loaded under the player's lock."""
    return default_checks().plus(RESPONSIBLE_GAMING)


def build(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    keys: KeyProvider | None = None,
    events: EventPublisher | None = None,
    payments: PaymentProviders | None = None,
    stake_checks: StakeChecks | None = None,
) -> Wiring:
    """Build the wiring; every part can be replaced (tests pass their own)."""
    settings = settings or load_settings()
    return Wiring(
        settings=settings,
        clock=clock or SystemClock(),
        database=database or Database(settings.db_url),
        keys=keys or LocalKeyring(settings.keyring_path),
        events=events or InProcessPublisher(),
        payments=payments or default_payment_providers(settings),
        stake_checks=stake_checks or default_stake_checks(),
    )
