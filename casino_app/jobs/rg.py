"""The responsible-gaming job: unconfirmed limit raises expire, markers of harm open cases.

One leader at a time (a database lease); every `settings.rg_job_seconds` (15 minutes by default).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.jobs.scheduler import HOLDER, acquire_lease
from casino_app.services.compliance.rg.dto import MarkerReport
from casino_app.services.compliance.rg.harm import markers
from casino_app.services.compliance.rg.limits import setting as limits

log = logging.getLogger(__name__)
LEASE_NAME = "responsible-gaming"
ACTOR = Actor.system("rg-job")


@dataclass(frozen=True)
class RgPass:
    expired_raises: int
    markers: MarkerReport


def tick(wiring: Wiring, now: datetime, holder: str = HOLDER) -> RgPass | None:
    """One pass if this process holds the lease; None when another process does."""
    interval = wiring.settings.rg_job_seconds
    if not acquire_lease(wiring.uow(), LEASE_NAME, holder, now, ttl_s=3 * interval):
        return None
    expired = limits.expire_raises(wiring.uow(), ACTOR, now)
    report = markers.evaluate_markers(wiring.uow(), ACTOR, now)
    return RgPass(expired, report)


async def run_forever(wiring: Wiring) -> None:
    """The lifespan task: a pass at start and then every interval, until cancelled."""
    if not wiring.settings.scheduler_enabled:
        return
    while True:
        try:
            await asyncio.to_thread(tick, wiring, wiring.now())
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("responsible-gaming job failed")
        await asyncio.sleep(wiring.settings.rg_job_seconds)
