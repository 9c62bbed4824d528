"""The scheduled draw cycle, run by exactly one leader holding a database lease.

The first tick runs as soon as the process starts, so draws whose time passed while the
server was down are opened, closed, drawn and settled then, in draw order
(`draws.run_cycle`); besides the lease, every step is a conditional update, so two workers
never draw or open the same draw (tests/integration/test_draw_lifecycle.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import JobLease
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.instant import unfinished
from casino_app.services.games.lotto.draws import cycle as draws

log = logging.getLogger(__name__)
LEASE_NAME = "draw-cycle"
HOLDER = f"{socket.gethostname()}:{os.getpid()}"
SCHEDULER = Actor.system("scheduler")


def acquire_lease(uow: UnitOfWork, name: str, holder: str, now: datetime, ttl_s: int) -> bool:
    """Take or renew the lease; True when `holder` holds it until now + ttl."""
    table = JobLease.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert if uow.dialect == "postgresql" else sqlite.insert
    expires = now + timedelta(seconds=ttl_s)
    stmt = insert(table).values(name=name, holder=holder, expires_at=expires)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"holder": holder, "expires_at": expires},
        where=(table.c.holder == holder) | (table.c.expires_at < now),
    ).returning(table.c.holder)
    with uow:
        row = uow.session.execute(stmt).first()
        uow.commit()
    return row is not None and row[0] == holder


def tick(wiring: Wiring, now: datetime) -> draws.CycleReport | None:
    """One scheduler pass if this process leads; None when another process does."""
    ttl = max(10, 5 * wiring.settings.scheduler_tick_seconds)
    if not acquire_lease(wiring.uow(), LEASE_NAME, HOLDER, now, ttl_s=ttl):
        return None
    report = draws.run_cycle(wiring.uow(), SCHEDULER, now)
    unfinished.settle_expired(wiring.uow(), SCHEDULER, now)  # instant rounds past their completion window
    return report


async def run_forever(wiring: Wiring) -> None:
    """The lifespan task: tick every few seconds, off the event loop, until cancelled."""
    if not wiring.settings.scheduler_enabled:
        return
    while True:
        try:
            await asyncio.to_thread(tick, wiring, wiring.now())
        except Exception:  # keep the loop alive; the next tick retries
            log.exception("draw scheduler tick failed")
        await asyncio.sleep(wiring.settings.scheduler_tick_seconds)
