"""The RNG self-test before a draw: fast SP 800-22 tests on a fresh stream and an OS RNG check.

When either fails the draw waits (there is no fallback generator): the draw step draws
nothing this pass, a critical `rng_self_test` alert is raised (audited when new) and the next
pass tries again on fresh bytes; the alert resolves when a self-test passes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlmodel import select

from casino_app.domain.certification import health
from casino_app.domain.games import rng
from casino_app.domain.games.vocabulary import RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import audit, security_checks

ALERT = "rng_self_test"


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    problems: tuple[str, ...] = ()
    ran: bool = True  # False when no draw was due (nothing to test for)


def os_entropy(nbytes: int) -> bytes:
    """Bytes from the OS CSPRNG (the source of every seed)."""
    return os.urandom(nbytes)


def fresh_stream(nbytes: int) -> bytes:
    """The first bytes of a fresh HMAC stream, keyed like a draw's (a new OS seed)."""
    return bytes(islice(rng.byte_stream(rng.new_server_seed(), "self-test"), nbytes))


def problems_now() -> list[str]:
    """Everything the self-test finds wrong now, empty when healthy."""
    found = [
        f"OS RNG: {p}"
        for p in health.os_rng_problems(
            os_entropy(health.OS_SAMPLE_BYTES), os_entropy(health.OS_SAMPLE_BYTES)
        )
    ]
    found += [f"stream: {name}" for name in health.self_test_failures(fresh_stream(health.SELF_TEST_BYTES))]
    return found


def _draw_due(uow: UnitOfWork, now: datetime) -> bool:
    with uow.reader() as r:
        return (
            r.session.exec(
                select(Round.id).where(Round.status == RoundStatus.CLOSED, Round.draw_at <= now).limit(1)  # type: ignore[operator]
            ).first()
            is not None
        )


@authz.guard("system.jobs")
def check_before_draw(uow: UnitOfWork, actor: Actor, now: datetime) -> HealthReport:
    """Run the self-test when a draw is due; raise or resolve the alert. Healthy means draw."""
    if not _draw_due(uow, now):
        return HealthReport(True, ran=False)
    try:
        problems = problems_now()
    except Exception as err:  # an OS RNG that cannot be read is a failure, not a crash of the cycle
        problems = [f"OS RNG: {type(err).__name__}"]
    with uow:
        if problems:
            message = "RNG self-test failed, draws wait: " + "; ".join(problems)
            if security_checks.raise_alert(uow.session, ALERT, "critical", message, now):
                audit.record(
                    uow.session,
                    actor=actor.audit_name,
                    action="rng.self_test_failed",
                    subject="rng",
                    details={"problems": problems},
                    now=now,
                )
        else:
            security_checks.resolve_alert(uow.session, ALERT, now)
        uow.commit()
    return HealthReport(not problems, tuple(problems))
