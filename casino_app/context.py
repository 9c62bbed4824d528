"""What a use case may use besides the database, handed to it inside its unit of work.

Built once by the wiring (`bootstrap.py`) and carried by every `UnitOfWork` it makes:
the settings, the clock, the key provider, the event publisher, the pre-debit stake checks and
the payment providers by name.
Services read `uow.context`; they never read the environment or module globals.
"""

from __future__ import annotations

from dataclasses import dataclass

from casino_app.adapters.clock import Clock
from casino_app.adapters.events import EventPublisher
from casino_app.adapters.keys import KeyProvider
from casino_app.config import Settings
from casino_app.domain.games.checks import StakeChecks
from casino_app.domain.payments.ports import PaymentProviders


@dataclass(frozen=True)
class Context:
    settings: Settings
    clock: Clock
    keys: KeyProvider
    events: EventPublisher
    stake_checks: StakeChecks
    payments: PaymentProviders
