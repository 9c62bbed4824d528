"""Status polling of pending payments (lost webhooks), every few seconds, one leader."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.jobs.scheduler import HOLDER, acquire_lease
from casino_app.services.payments.deposits import polling

log = logging.getLogger(__name__)
LEASE_NAME = "payment-polling"
ACTOR = Actor.system("payments")


def tick(wiring: Wiring, now: datetime) -> polling.PollReport | None:
    """One pass if this process holds the lease; None when another process does."""
    interval = wiring.settings.payments.poll_job_seconds
    if not acquire_lease(wiring.uow(), LEASE_NAME, HOLDER, now, ttl_s=3 * interval):
        return None
    return polling.poll_pending(wiring.uow(), ACTOR, now)


async def run_forever(wiring: Wiring) -> None:
    """The lifespan task: poll every `poll_job_seconds`, until cancelled."""
    if not wiring.settings.scheduler_enabled:
        return
    while True:
        try:
            await asyncio.to_thread(tick, wiring, wiring.now())
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("payment status polling failed")
        await asyncio.sleep(wiring.settings.payments.poll_job_seconds)
