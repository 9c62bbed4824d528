"""The audit log: a SHA-256 chain, append-only, whose tampering `verify` pinpoints (issue 4)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from casino_app.bootstrap import Wiring
from casino_app.domain.compliance.audit_chain import GENESIS, record_hash
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security import audit
from tests.support import count_rows

DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
    "postgresql": ["DROP FUNCTION casino_audit_refuse_change() CASCADE"],
}


def _append(uow: UnitOfWork, now: datetime, n: int, start: int = 1) -> None:
    with uow:
        for i in range(start, start + n):
            audit.record(
                uow.session,
                actor=f"operator:{i % 3}",
                action="test.action",
                subject=f"user:{i}",
                details={"i": i, "reason": "because", "nested": {"b": 2, "a": [1, "ż"]}},
                now=now + timedelta(milliseconds=1500 * i, microseconds=321),
            )
        uow.commit()


def _verify(uow: UnitOfWork) -> audit.ChainReport:
    with uow.reader() as r:
        return audit.verify(r.session)


def _tamper(db: Database, *statements: str) -> None:
    with db.write_engine.begin() as conn:
        for sql in DROP_TRIGGERS[db.dialect]:
            conn.execute(sa.text(sql))
        for sql in statements:
            conn.execute(sa.text(sql))


def test_records_form_a_hash_chain_with_millisecond_utc_times(
    uow: UnitOfWork, db: Database, now: datetime
) -> None:
    _append(uow, now, 3)
    with db.read_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq")).mappings().all()
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert rows[0]["prev_hash"] == GENESIS
    assert rows[1]["prev_hash"] == rows[0]["hash"] and rows[2]["prev_hash"] == rows[1]["hash"]
    report = _verify(uow)
    assert report.ok and report.checked == 3 and report.head_hash == rows[2]["hash"]
    with uow.reader() as r:
        first = r.session.exec(sa.select(audit.AuditRecord).where(audit.AuditRecord.seq == 1)).one()[0]
    assert first.at == now + timedelta(milliseconds=1500)  # microseconds cut to whole ms
    assert first.hash == record_hash(
        1,
        first.at,
        first.actor,
        first.action,
        first.subject,
        {"i": 1, "reason": "because", "nested": {"a": [1, "ż"], "b": 2}},
        GENESIS,
    )


def test_an_empty_log_verifies(uow: UnitOfWork) -> None:
    report = _verify(uow)
    assert report.ok and report.checked == 0


def test_a_record_rolls_back_with_the_callers_transaction(
    uow: UnitOfWork, db: Database, now: datetime
) -> None:
    with uow:
        audit.record(uow.session, actor="system", action="x", subject="y", details={}, now=now)
    assert count_rows(db, "audit_log") == 0


def test_secrets_are_refused_in_details(uow: UnitOfWork, now: datetime) -> None:
    with uow, pytest.raises(ValueError, match="password"):
        audit.record(uow.session, actor="a", action="b", subject="c", details={"password": "x"}, now=now)


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"])
def test_triggers_refuse_update_and_delete(uow: UnitOfWork, db: Database, now: datetime, sql: str) -> None:
    _append(uow, now, 2)
    with pytest.raises(DatabaseError, match="append-only"), db.write_engine.begin() as conn:
        conn.execute(sa.text(sql))
    assert _verify(uow).ok


def test_tampering_an_edit_is_detected_and_named(uow: UnitOfWork, db: Database, now: datetime) -> None:
    _append(uow, now, 6)
    _tamper(db, "UPDATE audit_log SET subject = 'user:999' WHERE seq = 4")
    finding = _verify(uow).finding
    assert finding is not None and (finding.seq, finding.kind) == (4, "edited")


def test_tampering_a_delete_is_detected_and_named(uow: UnitOfWork, db: Database, now: datetime) -> None:
    _append(uow, now, 6)
    _tamper(db, "DELETE FROM audit_log WHERE seq = 3")
    finding = _verify(uow).finding
    assert finding is not None and (finding.seq, finding.kind) == (3, "deleted")


def test_tampering_an_insert_is_detected_and_named(uow: UnitOfWork, db: Database, now: datetime) -> None:
    """A forged record slipped in after seq 3 with a valid hash of its own; later ones renumbered."""
    _append(uow, now, 6)
    with db.read_engine.connect() as conn:
        prev = conn.execute(sa.text("SELECT hash FROM audit_log WHERE seq = 3")).scalar_one()
    at = now + timedelta(seconds=5)
    forged = record_hash(4, at, "operator:9", "test.action", "user:99", {}, prev)
    _tamper(
        db,
        "UPDATE audit_log SET seq = seq + 100 WHERE seq > 3",
        "UPDATE audit_log SET seq = seq - 99 WHERE seq > 100",
        f"INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES "
        f"(4, '{at.strftime('%Y-%m-%d %H:%M:%S')}', 'operator:9', 'test.action', 'user:99', '{{}}', "
        f"'{prev}', '{forged}')",
    )
    finding = _verify(uow).finding
    assert finding is not None and (finding.seq, finding.kind) == (4, "inserted")


def test_tampering_an_insert_at_the_end_is_detected(uow: UnitOfWork, db: Database, now: datetime) -> None:
    _append(uow, now, 3)
    _tamper(
        db,
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES "
        f"(4, '2026-03-01 13:00:00', 'mallory', 'x', 'y', '{{}}', '{'a' * 64}', '{'b' * 64}')",
    )
    finding = _verify(uow).finding
    assert finding is not None and (finding.seq, finding.kind) == (4, "inserted")


def test_tampering_a_reorder_is_detected_and_named(uow: UnitOfWork, db: Database, now: datetime) -> None:
    _append(uow, now, 6)
    _tamper(
        db,
        "UPDATE audit_log SET seq = -1 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = -1",
    )
    finding = _verify(uow).finding
    assert finding is not None and (finding.seq, finding.kind) == (2, "reordered")


def test_concurrent_appends_never_fork_the_chain(db: Database, wiring: Wiring, now: datetime) -> None:
    errors: list[BaseException] = []

    def worker(w: int) -> None:
        try:
            for i in range(10):
                u = wiring.uow()
                with u:
                    audit.record(u.session, actor=f"w{w}", action="race", subject=str(i), details={}, now=now)
                    u.commit()
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = _verify(wiring.uow())
    assert report.ok and report.checked == 60
