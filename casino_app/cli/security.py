"""`python -m casino_app keys ...` and `audit ...`: key rotation and the audit log from the shell.

Every handler is `fn(args, wiring)`: the CLI's one wiring, acting as `Actor.system("cli")`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from casino_app.bootstrap import Wiring
from casino_app.domain.compliance.audit_chain import ChainReport
from casino_app.domain.identity.actor import Actor
from casino_app.jobs.scheduler import HOLDER, acquire_lease
from casino_app.services.security import audit, audit_ops, key_management, security_checks

ROTATION_LEASE = "key-rotation"
CLI = Actor.system("cli")


def _keys_rotate(args: argparse.Namespace, wiring: Wiring) -> int:
    # One rotation at a time across processes; the lease expires by itself if this one dies.
    if not acquire_lease(wiring.uow(), ROTATION_LEASE, HOLDER, wiring.now(), ttl_s=3600):
        print("error: another `keys rotate` is running; try again when it has finished", file=sys.stderr)
        return 2
    try:
        return _rotate(args, wiring)
    finally:
        acquire_lease(wiring.uow(), ROTATION_LEASE, HOLDER, wiring.now(), ttl_s=0)


def _rotate(args: argparse.Namespace, wiring: Wiring) -> int:
    started = time.perf_counter()

    def progress(table: str, last_id: int) -> None:
        print(f"  {table}: re-wrapped up to id {last_id}", flush=True)

    report = key_management.rotate(
        wiring.uow(), CLI, wiring.now(), batch_size=args.batch_size, after_batch=progress
    )
    elapsed = time.perf_counter() - started
    verb = "resumed rotation to" if report.resumed else "rotated to"
    print(
        f"keys: {verb} version {report.version}; {report.rewrapped} value(s) re-wrapped "
        f"in {elapsed:.1f} s across {', '.join(report.tables) or 'no tables'}"
    )
    if args.retire_old:
        retired = key_management.retire_old(wiring.uow(), CLI, wiring.now())
        print(f"keys: retired version(s) {', '.join(map(str, retired)) or '(none)'}")
    return 0


def _keys_retire(args: argparse.Namespace, wiring: Wiring) -> int:
    key_management.retire(wiring.uow(), CLI, args.version, wiring.now())
    print(f"keys: version {args.version} retired")
    return 0


def _keys_status(args: argparse.Namespace, wiring: Wiring) -> int:
    s = key_management.status(wiring.uow(), CLI, wiring.now())
    print(f"keyring: {wiring.settings.keyring_path}")
    created = f"{s.current_created_at:%Y-%m-%d}"
    print(f"current version: {s.current_version} (created {created}, {s.age_days} days old)")
    print(f"active versions: {', '.join(map(str, s.active_versions))}")
    every = key_management.ROTATION_DUE_DAYS
    print(f"rotation due: {'yes' if s.rotation_due else 'no'} (every {every} days)")
    if s.running_rotation is not None:
        print(f"unfinished rotation to version {s.running_rotation}: run `keys rotate` to resume")
    for version in s.active_versions:
        if version != s.current_version:
            using = key_management.records_using(wiring.uow(), CLI, version)
            print(f"version {version} still protects {sum(using.values())} value(s)")
    return 0


def _print_report(report: ChainReport) -> int:
    if report.ok:
        head = f"{report.head_seq} {report.head_hash[:16]}..."
        print(f"audit verify: OK ({report.checked} records, head {head})")
        return 0
    assert report.finding is not None
    print(f"audit verify: FAILED at record {report.finding.seq} ({report.finding.kind})")
    print(f"  {report.finding.message}")
    print(f"  {report.checked} record(s) before it verified")
    return 1


def _audit_verify(args: argparse.Namespace, wiring: Wiring) -> int:
    started = time.perf_counter()
    if args.file:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        report = audit.verify_export(data, args.public_key)
        if args.public_key is None:
            print(f"note: trusting the file's own public key {data['public_key']}; pin it with --public-key")
    else:
        report = audit_ops.verify_log(wiring.uow(), CLI)
    code = _print_report(report)
    print(f"  ({time.perf_counter() - started:.2f} s)")
    return code


def _audit_export(args: argparse.Namespace, wiring: Wiring) -> int:
    data: dict[str, Any] = audit_ops.export_log(wiring.uow(), CLI, wiring.now())
    out = Path(args.out)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    print(f"audit export: {len(data['records'])} records, {len(data['heads'])} signed head(s) -> {out}")
    print(f"public key: {data['public_key']}")
    return 0


def _audit_sign(args: argparse.Namespace, wiring: Wiring) -> int:
    signed = audit_ops.sign_finished_days(wiring.uow(), CLI, wiring.now())
    for head in signed:
        print(f"signed {head.day}: record {head.seq} {head.hash[:16]}...")
    print(f"audit sign: {len(signed)} day(s) signed")
    return 0


def _audit_public_key(args: argparse.Namespace, wiring: Wiring) -> int:
    print(audit_ops.public_key(wiring.uow(), CLI))
    return 0


def _security_check(args: argparse.Namespace, wiring: Wiring) -> int:
    report = security_checks.run_checks(wiring.uow(), CLI, wiring.now())
    print(
        f"audit chain: {'OK' if report.audit_ok else 'BROKEN: ' + report.audit_finding} "
        f"({report.audit_checked} records); heads signed: {report.heads_signed}; "
        f"key age {report.key_age_days} days, rotation due: {'yes' if report.rotation_due else 'no'}"
    )
    return 0 if report.audit_ok else 1


def register(sub: Any) -> None:
    """Add the `keys`, `audit` and `security` command groups to the CLI's subparsers."""
    keys = sub.add_parser("keys", help="encryption keys").add_subparsers(dest="keys_cmd", required=True)
    rotate = keys.add_parser("rotate", help="new key version; re-wrap every record (resumable)")
    rotate.add_argument("--batch-size", type=int, default=key_management.DEFAULT_BATCH)
    rotate.add_argument("--retire-old", action="store_true", help="then retire the old versions")
    rotate.set_defaults(fn=_keys_rotate)
    retire = keys.add_parser("retire", help="destroy an old key version no record uses")
    retire.add_argument("version", type=int)
    retire.set_defaults(fn=_keys_retire)
    keys.add_parser("status", help="key versions, age, rotation due").set_defaults(fn=_keys_status)

    aud = sub.add_parser("audit", help="the audit log").add_subparsers(dest="audit_cmd", required=True)
    verify = aud.add_parser("verify", help="check the hash chain and signed heads")
    verify.add_argument("--file", help="verify an export offline instead of the database")
    verify.add_argument("--public-key", help="the trusted signing key (hex) for --file")
    verify.set_defaults(fn=_audit_verify)
    export = aud.add_parser("export", help="write records, signed heads and the public key")
    export.add_argument("--out", required=True)
    export.set_defaults(fn=_audit_export)
    aud.add_parser("sign", help="sign the heads of finished UTC days").set_defaults(fn=_audit_sign)
    aud.add_parser("public-key", help="print the head-signing public key").set_defaults(fn=_audit_public_key)

    sec = sub.add_parser("security", help="security checks").add_subparsers(dest="sec_cmd", required=True)
    sec.add_parser("check", help="run the periodic checks once").set_defaults(fn=_security_check)
