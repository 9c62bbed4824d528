"""Audit operations: CLI verify, signed daily heads, offline export check, alerts, money actions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from casino_app.adapters.keys import LocalKeyring
from casino_app.bootstrap import Wiring
from casino_app.domain.compliance.audit_chain import head_message
from casino_app.domain.errors import PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.security import audit, audit_ops, key_management, security_checks
from tests.integration.test_audit_log import _append, _tamper
from tests.support import count_rows, make_wiring

ROOT = Path(__file__).resolve().parents[2]
SHELL = Actor.system("test")


def _cli(db: Database, keys: LocalKeyring, *args: str) -> subprocess.CompletedProcess[str]:
    """The real shell on the test database and keyring (the settings come from the environment)."""
    env = {
        **os.environ,
        "REFLEX_DB_URL": db.url,
        "CASINO_SCHEDULER": "0",
        "CASINO_KEYRING_PATH": str(keys.path),
    }
    return subprocess.run(
        [sys.executable, "-m", "casino_app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_audit_verify_cli_passes_then_names_the_first_bad_record(
    uow: UnitOfWork, db: Database, now: datetime, test_keyring: LocalKeyring
) -> None:
    _append(uow, now, 5)
    ok = _cli(db, test_keyring, "audit", "verify")
    assert ok.returncode == 0 and "OK (5 records" in ok.stdout
    _tamper(db, "DELETE FROM audit_log WHERE seq = 3")
    bad = _cli(db, test_keyring, "audit", "verify")
    assert bad.returncode == 1
    assert "FAILED at record 3 (deleted)" in bad.stdout


def _days(uow: UnitOfWork, now: datetime) -> None:
    """Two records on each of three days: the day before yesterday, yesterday and today."""
    for back in (2, 1, 0):
        _append(uow, now - timedelta(days=back), 2, start=10 * (3 - back))


def test_each_finished_utc_day_gets_one_signed_head(uow: UnitOfWork, now: datetime) -> None:
    _days(uow, now)
    signed = audit_ops.sign_finished_days(uow, SHELL, now)
    assert [(h.day, h.seq) for h in signed] == [
        ((now - timedelta(days=2)).date().isoformat(), 2),
        ((now - timedelta(days=1)).date().isoformat(), 4),
    ]
    with uow:
        assert audit.sign_daily_heads(uow.session, now, uow.context.keys) == []
    public = audit.public_key_hex(uow.context.keys)
    for head in signed:
        assert head.public_key == public
    with uow.reader() as r:
        assert audit.verify(r.session).ok


def test_a_rewritten_chain_is_caught_by_the_signed_head(uow: UnitOfWork, db: Database, now: datetime) -> None:
    """Recomputing every hash after an edit fools the chain, not the signature of the day's head."""
    _days(uow, now)
    with uow:
        audit.sign_daily_heads(uow.session, now, uow.context.keys)
        uow.commit()
    with db.read_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq")).mappings().all()
    statements, prev = [], audit.GENESIS
    for row in rows:
        subject = "user:forged" if row["seq"] == 2 else row["subject"]
        digest = audit.record_hash(
            row["seq"], _at(row["at"]), row["actor"], row["action"], subject, json.loads(row["details"]), prev
        )
        statements.append(
            f"UPDATE audit_log SET subject = '{subject}', prev_hash = '{prev}', hash = '{digest}' "
            f"WHERE seq = {row['seq']}"
        )
        prev = digest
    _tamper(db, *statements)
    with uow.reader() as r:
        finding = audit.verify(r.session).finding
    assert finding is not None and (finding.seq, finding.kind) == (2, "edited")


def _at(value: object) -> datetime:
    if isinstance(value, str):  # SQLite hands back text through a raw query
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def test_deleting_the_signed_tail_is_detected(uow: UnitOfWork, db: Database, now: datetime) -> None:
    _append(uow, now - timedelta(days=1), 3)
    with uow:
        audit.sign_daily_heads(uow.session, now, uow.context.keys)
        uow.commit()
    _tamper(db, "DELETE FROM audit_log WHERE seq = 3")
    with uow.reader() as r:
        finding = audit.verify(r.session).finding
    assert finding is not None and (finding.seq, finding.kind) == (3, "deleted")


def test_an_export_verifies_offline_with_the_pinned_key(
    uow: UnitOfWork, db: Database, now: datetime, tmp_path: Path, test_keyring: LocalKeyring
) -> None:
    _days(uow, now)
    audit_ops.sign_finished_days(uow, SHELL, now)
    out = tmp_path / "audit.json"
    exported = _cli(db, test_keyring, "audit", "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    public = audit.public_key_hex(uow.context.keys)
    assert _cli(db, test_keyring, "audit", "public-key").stdout.strip() == public
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    offline = _cli(db, test_keyring, "audit", "verify", "--file", str(out), "--public-key", public)
    assert offline.returncode == 0 and "OK (6 records" in offline.stdout
    data = json.loads(out.read_text())
    assert audit.verify_export(data, public).ok
    assert [h["day"] for h in data["heads"]][-1] == "export"


def test_an_edited_export_fails_offline(uow: UnitOfWork, now: datetime) -> None:
    _days(uow, now)
    data = audit_ops.export_log(uow, SHELL, now)
    data["records"][4]["details"]["reason"] = "edited afterwards"
    finding = audit.verify_export(data, audit.public_key_hex(uow.context.keys)).finding
    assert finding is not None and (finding.seq, finding.kind) == (5, "edited")


def test_an_export_re_signed_by_someone_else_fails_against_the_pinned_key(
    uow: UnitOfWork, now: datetime
) -> None:
    _days(uow, now)
    data = audit_ops.export_log(uow, SHELL, now)
    data["records"] = data["records"][:-1]  # drop the last record and re-sign a consistent head
    mallory = Ed25519PrivateKey.generate()
    last = data["records"][-1]
    mallory_pub = mallory.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    data["public_key"] = mallory_pub
    data["heads"] = [
        {
            "day": "export",
            "seq": last["seq"],
            "hash": last["hash"],
            "signature": mallory.sign(head_message("export", last["seq"], last["hash"])).hex(),
            "public_key": mallory_pub,
        }
    ]
    assert audit.verify_export(data).ok  # self-consistent ...
    finding = audit.verify_export(data, audit.public_key_hex(uow.context.keys)).finding  # ... but not ours
    assert finding is not None and finding.kind == "untrusted_key"


def test_security_checks_raise_and_resolve_alerts(uow: UnitOfWork, db: Database, now: datetime) -> None:
    _append(uow, now, 4)
    report = security_checks.run_checks(uow, SHELL, now)
    assert report.audit_ok and security_checks.alerts_for(uow, SHELL) == []
    _tamper(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    assert not security_checks.run_checks(uow, SHELL, now).audit_ok
    security_checks.run_checks(uow, SHELL, now + timedelta(minutes=5))
    alerts = security_checks.alerts_for(uow, SHELL)
    assert [(a.kind, a.severity) for a in alerts] == [("audit_chain", "critical")]
    assert "record 2" in alerts[0].message and alerts[0].last_seen_at == now + timedelta(minutes=5)
    with db.read_engine.connect() as conn:
        actions = conn.execute(sa.text("SELECT action FROM audit_log WHERE seq > 4")).scalars().all()
    assert actions == ["audit.chain_broken"]  # once, not on every pass


def test_rotation_due_after_90_days_raises_a_warning_that_rotation_clears(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    keys = LocalKeyring(tmp_path / "keyring.json")  # its own: this test adds a key version
    uow = make_wiring(db, keys=keys).uow()
    created = next(v.created_at for v in keys.versions() if v.version == keys.current_version())
    later = created + timedelta(days=91)
    security_checks.run_checks(uow, SHELL, later)
    alerts = security_checks.alerts_for(uow, SHELL)
    assert [a.kind for a in alerts] == ["key_rotation_due"] and "91 days" in alerts[0].message
    keys.create_version(later)
    security_checks.run_checks(uow, SHELL, later)
    assert security_checks.alerts_for(uow, SHELL) == []


def test_a_deposit_appends_an_audit_record(
    funded_player: Callable[..., UserView], uow: UnitOfWork, db: Database
) -> None:
    user = funded_player(amount_minor=25_00)
    with db.read_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT actor, action, subject, details FROM audit_log")).all()
    deposits = [r for r in rows if r.action == "payment.deposit"]
    assert len(deposits) == 1
    assert deposits[0].actor == f"player:{user.id}"
    assert json.loads(deposits[0].details)["amount_minor"] == 25_00
    with uow.reader() as r:
        assert audit.verify(r.session).ok


def test_keys_rotate_cli_reports_and_status_shows_versions(db: Database, tmp_path: Path) -> None:
    keys = LocalKeyring(tmp_path / "keyring.json")  # its own: rotation adds a key version
    rotated = _cli(db, keys, "keys", "rotate", "--batch-size", "2")
    assert rotated.returncode == 0, rotated.stderr
    assert "rotated to version 2" in rotated.stdout
    status = _cli(db, keys, "keys", "status")
    assert "rotation due: no" in status.stdout and f"keyring: {keys.path}" in status.stdout
    assert keys.current_version() == 2


def test_the_standalone_verifier_agrees(uow: UnitOfWork, now: datetime, tmp_path: Path) -> None:
    """tools/verify_audit_export.py needs only Python and `cryptography`, not our code."""
    _days(uow, now)
    data = audit_ops.export_log(uow, SHELL, now)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(data))
    data["records"][2]["actor"] = "mallory"
    bad.write_text(json.dumps(data))
    tool = [sys.executable, "-I", str(ROOT / "tools" / "verify_audit_export.py")]
    key = ["--public-key", audit.public_key_hex(uow.context.keys)]
    ok = subprocess.run([*tool, str(good), *key], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 6 records"), ok.stdout + ok.stderr
    failed = subprocess.run([*tool, str(bad), *key], capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and "record 3 does not match its hash" in failed.stdout


def test_a_second_rotation_waits_for_the_first(db: Database, uow: UnitOfWork, tmp_path: Path) -> None:
    from casino_app.jobs.scheduler import acquire_lease

    assert acquire_lease(uow, "key-rotation", "other-host:1", datetime.now(UTC), ttl_s=600)
    refused = _cli(db, LocalKeyring(tmp_path / "keyring.json"), "keys", "rotate")
    assert refused.returncode == 2 and "another `keys rotate` is running" in refused.stderr


def test_the_job_walks_the_whole_chain_daily_and_only_new_records_in_between(
    wiring: Wiring, uow: UnitOfWork, db: Database, now: datetime
) -> None:
    from casino_app.jobs import security as job

    progress = job.Progress()
    _append(uow, now, 5)
    first = job.tick(wiring, now, progress)
    assert first is not None and first.audit_ok and first.audit_checked == 5
    _append(uow, now, 2, start=6)
    second = job.tick(wiring, now + timedelta(minutes=5), progress)
    assert second is not None and second.audit_ok and second.audit_checked == 2
    _tamper(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 7")  # the checkpoint record
    third = job.tick(wiring, now + timedelta(minutes=10), progress)
    assert third is not None and not third.audit_ok and "record 7" in third.audit_finding
    assert [a.kind for a in security_checks.alerts_for(uow, SHELL)] == ["audit_chain"]


def test_security_operations_are_refused_without_the_permission_and_audited(
    uow: UnitOfWork, db: Database, now: datetime
) -> None:
    """Keys, audit export and checks need `ops.security.manage`; the dashboard's alerts any operator."""
    support, player = Actor.operator(7, "support", 1), Actor.player(8, 2)
    version = uow.context.keys.current_version()
    for actor in (support, player, Actor.anonymous()):
        for call in (
            lambda a: audit_ops.export_log(uow, a, now),
            lambda a: audit_ops.verify_log(uow, a),
            lambda a: key_management.rotate(uow, a, now),
            lambda a: key_management.status(uow, a, now),
            lambda a: security_checks.run_checks(uow, a, now),
        ):
            with pytest.raises(PermissionDenied):
                call(actor)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 15
    assert uow.context.keys.current_version() == version  # nothing rotated
    assert security_checks.alerts_for(uow, support) == []
    with pytest.raises(PermissionDenied):
        security_checks.alerts_for(uow, player)
    assert count_rows(db, "audit_log", "action = 'authz.denied' AND actor = 'player:8'") == 6
