"""The scheduler lease: exactly one worker runs the jobs until its lease expires."""

from __future__ import annotations

from datetime import datetime, timedelta

from casino_app.jobs.scheduler import acquire_lease
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from tests.support import count_rows, scalar

TTL = 30


def test_first_holder_wins_and_a_second_is_refused_until_expiry(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    assert acquire_lease(uow, "draw-cycle", "worker-a", now, TTL) is True
    assert acquire_lease(uow, "draw-cycle", "worker-b", now + timedelta(seconds=1), TTL) is False
    assert acquire_lease(uow, "draw-cycle", "worker-b", now + timedelta(seconds=TTL - 1), TTL) is False
    assert scalar(db, "SELECT holder FROM job_leases WHERE name = 'draw-cycle'") == "worker-a"


def test_second_holder_takes_over_after_the_lease_expires(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    assert acquire_lease(uow, "draw-cycle", "worker-a", now, TTL)
    after = now + timedelta(seconds=TTL + 1)
    assert acquire_lease(uow, "draw-cycle", "worker-b", after, TTL) is True
    assert acquire_lease(uow, "draw-cycle", "worker-a", after + timedelta(seconds=1), TTL) is False
    assert scalar(db, "SELECT holder FROM job_leases WHERE name = 'draw-cycle'") == "worker-b"
    assert count_rows(db, "job_leases") == 1


def test_holder_renews_its_lease_and_keeps_others_out(db: Database, uow: UnitOfWork, now: datetime) -> None:
    assert acquire_lease(uow, "draw-cycle", "worker-a", now, TTL)
    for step in (20, 40, 60):
        assert acquire_lease(uow, "draw-cycle", "worker-a", now + timedelta(seconds=step), TTL)
    # The renewal at +60 s holds until +90 s, long after the first lease would have ended.
    assert acquire_lease(uow, "draw-cycle", "worker-b", now + timedelta(seconds=85), TTL) is False
    assert acquire_lease(uow, "draw-cycle", "worker-b", now + timedelta(seconds=91), TTL) is True


def test_leases_of_different_jobs_are_independent(db: Database, uow: UnitOfWork, now: datetime) -> None:
    assert acquire_lease(uow, "draw-cycle", "worker-a", now, TTL)
    assert acquire_lease(uow, "reconciliation", "worker-b", now, TTL)
