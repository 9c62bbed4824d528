"""Write the counts of denied calls this process aggregated (`services/security/denials.py`).

Unlike the scheduled jobs this runs in every worker, without a lease: each process counts its
own connections' denials, so each writes its own counts once their minute is over.
"""

from __future__ import annotations

import asyncio
import logging

from casino_app.bootstrap import Wiring
from casino_app.services import authz

log = logging.getLogger(__name__)
FLUSH_EVERY_SECONDS = 30


async def run_forever(wiring: Wiring) -> None:
    """The lifespan task: every half minute, audit the counts of finished denial windows."""
    while True:
        await asyncio.sleep(FLUSH_EVERY_SECONDS)
        try:
            await asyncio.to_thread(authz.flush_denials, wiring.uow())
        except Exception:  # keep the loop alive for the next windows
            log.exception("writing denial counts failed")
