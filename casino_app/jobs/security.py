"""The security checks (audit chain, daily head signatures, key age) every few minutes, one leader."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from casino_app.adapters.clock import clock
from casino_app.config import load_security_settings, load_settings
from casino_app.jobs.scheduler import HOLDER, acquire_lease
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security import security_checks

log = logging.getLogger(__name__)
LEASE_NAME = "security-checks"
FULL_PASS_EVERY = timedelta(hours=24)


class _Progress:
    """Where the last clean pass ended, so most passes only walk the new records."""

    checkpoint: tuple[int, str] | None = None
    full_at: datetime | None = None


def tick(uow: UnitOfWork, now: datetime) -> security_checks.CheckReport | None:
    """One pass if this process holds the lease; None when another process does.

    The whole chain is walked at start and every 24 h; in between a pass checks the last
    verified record is unchanged and walks the records after it (signed heads every time).
    """
    interval = load_security_settings().check_interval_seconds
    if not acquire_lease(uow, LEASE_NAME, HOLDER, now, ttl_s=3 * interval):
        return None
    full = _Progress.full_at is None or now - _Progress.full_at >= FULL_PASS_EVERY
    report = security_checks.run_checks(uow, now, after=None if full else _Progress.checkpoint)
    if not report.audit_ok:
        log.error("audit chain verification failed: %s", report.audit_finding)
        _Progress.checkpoint = _Progress.full_at = None
        return report
    _Progress.checkpoint = report.head
    if full:
        _Progress.full_at = now
    return report


async def run_forever() -> None:
    """The lifespan task: run the checks at start and then every interval, until cancelled."""
    if not load_settings().scheduler_enabled:
        return
    interval = load_security_settings().check_interval_seconds
    while True:
        try:
            await asyncio.to_thread(tick, UnitOfWork(), clock.now())
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("security checks failed")
        await asyncio.sleep(interval)
