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
from casino_app.adapters.sandbox_payments import SandboxProvider
from casino_app.config import Settings, load_settings
from casino_app.context import Context
from casino_app.domain.games.checks import StakeChecks, default_checks
from casino_app.domain.payments.ports import PaymentProviders
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


def default_payment_providers() -> PaymentProviders:
    sandbox = SandboxProvider()
    return PaymentProviders({sandbox.name: sandbox}, sandbox.name)


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
        payments=payments or default_payment_providers(),
        stake_checks=stake_checks or default_checks(),
    )
