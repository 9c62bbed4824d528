"""The security checks (audit chain, daily head signatures, key age) every few minutes, one leader."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.jobs.scheduler import HOLDER, acquire_lease
from casino_app.services.security import security_checks

log = logging.getLogger(__name__)
LEASE_NAME = "security-checks"
FULL_PASS_EVERY = timedelta(hours=24)
ACTOR = Actor.system("security")


@dataclass
class Progress:
    """Where the last clean pass ended, so most passes only walk the new records."""

    checkpoint: tuple[int, str] | None = None
    full_at: datetime | None = None


def tick(
    wiring: Wiring, now: datetime, progress: Progress | None = None
) -> security_checks.CheckReport | None:
    """One pass if this process holds the lease; None when another process does.

    The whole chain is walked at start and every 24 h; in between a pass checks the last
    verified record is unchanged and walks the records after it (signed heads every time).
    `progress` carries that between the passes of one loop; without it a pass walks everything.
    """
    progress = progress if progress is not None else Progress()
    interval = wiring.settings.security.check_interval_seconds
    if not acquire_lease(wiring.uow(), LEASE_NAME, HOLDER, now, ttl_s=3 * interval):
        return None
    full = progress.full_at is None or now - progress.full_at >= FULL_PASS_EVERY
    after = None if full else progress.checkpoint
    report = security_checks.run_checks(wiring.uow(), ACTOR, now, after=after)
    if not report.audit_ok:
        log.error("audit chain verification failed: %s", report.audit_finding)
        progress.checkpoint = progress.full_at = None
        return report
    progress.checkpoint = report.head
    if full:
        progress.full_at = now
    return report


async def run_forever(wiring: Wiring) -> None:
    """The lifespan task: run the checks at start and then every interval, until cancelled."""
    if not wiring.settings.scheduler_enabled:
        return
    interval = wiring.settings.security.check_interval_seconds
    progress = Progress()
    while True:
        try:
            await asyncio.to_thread(tick, wiring, wiring.now(), progress)
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("security checks failed")
        await asyncio.sleep(interval)
