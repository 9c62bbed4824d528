"""Payout follow-up and reconciliation, run by one leader (a database lease).

Every `payouts.job_seconds`: approved payouts are sent again (same attempt id when the last
answer was unknown), sent ones are asked about (`services/payments/payouts.follow_up`). Every
`payouts.reconciliation_seconds`: each provider's transactions are compared with the ledger
(`services/payments/reconciliation.reconcile`) and differences land in the operators' queue.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from casino_app.adapters.payments.demo import DemoCardProvider
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.jobs.scheduler import HOLDER, acquire_lease
from casino_app.services.payments import reconciliation
from casino_app.services.payments.withdrawals import payouts

log = logging.getLogger(__name__)
LEASE_NAME = "payouts-reconciliation"
ACTOR = Actor.system("reconciliation")


@dataclass
class Progress:
    reconciled_at: datetime | None = None


@dataclass(frozen=True)
class TickReport:
    payouts: list[payouts.PayoutOutcome]
    runs: list[reconciliation.RunView]


def tick(wiring: Wiring, now: datetime, progress: Progress | None = None) -> TickReport | None:
    """One pass if this process holds the lease (None when another does)."""
    progress = progress if progress is not None else Progress()
    cfg = wiring.settings.payouts
    if not acquire_lease(wiring.uow(), LEASE_NAME, HOLDER, now, ttl_s=max(60, 3 * cfg.job_seconds)):
        return None
    moved = payouts.follow_up(wiring.uow(), ACTOR, now)
    runs: list[reconciliation.RunView] = []
    due = progress.reconciled_at is None or now - progress.reconciled_at >= timedelta(
        seconds=cfg.reconciliation_seconds
    )
    if due:
        runs = reconcile_all(wiring, now)
        progress.reconciled_at = now
    return TickReport(moved, runs)


def reconcile_all(wiring: Wiring, now: datetime) -> list[reconciliation.RunView]:
    """One reconciliation run per registered provider, except the demo's in-process test cards
    (they keep no record across a restart, so there is nothing to compare with)."""
    names = [n for n, p in sorted(wiring.payments.by_name.items()) if not isinstance(p, DemoCardProvider)]
    return [reconciliation.reconcile(wiring.uow(), ACTOR, name, now) for name in names]


async def run_forever(wiring: Wiring) -> None:
    """The lifespan task: a pass every `payouts.job_seconds`, off the event loop, until cancelled."""
    if not wiring.settings.scheduler_enabled:
        return
    progress = Progress()
    while True:
        try:
            report = await asyncio.to_thread(tick, wiring, wiring.now(), progress)
            for run in report.runs if report else []:
                if run.mismatches or run.error:
                    log.warning(
                        "reconciliation of %s: %d mismatch(es) %s", run.provider, run.mismatches, run.error
                    )
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("payout follow-up or reconciliation failed")
        await asyncio.sleep(wiring.settings.payouts.job_seconds)
