"""What a use case may use besides the database, handed to it inside its unit of work.

Built once by the wiring (`bootstrap.py`) and carried by every `UnitOfWork` it makes:
the settings, the clock, the key provider, the event publisher, the pre-debit stake checks,
the payment providers by name and the process's denial counts (`services/security/denials.py`).
Services read `uow.context`; they never read the environment or module globals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casino_app.adapters.clock import Clock
from casino_app.adapters.events import EventPublisher
from casino_app.adapters.keys import KeyProvider
from casino_app.config import Settings
from casino_app.domain.games.checks import StakeChecks
from casino_app.domain.payments.ports import PaymentProviders
from casino_app.services.security.denials import DenialLog


@dataclass(frozen=True)
class Context:
    settings: Settings
    clock: Clock
    keys: KeyProvider
    events: EventPublisher
    stake_checks: StakeChecks
    payments: PaymentProviders
    denials: DenialLog = field(default_factory=DenialLog)
