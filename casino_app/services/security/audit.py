"""The audit log: a SHA-256 hash chain appended inside the caller's transaction.

Every security, money and operator action calls `record`. Appends are serialized per chain
(PostgreSQL: a transaction-scoped advisory lock; SQLite: the writer's BEGIN IMMEDIATE), so
two transactions never fork the chain. Triggers refuse UPDATE and DELETE on the table.
`verify` walks the chain and names the first bad record; the head of each UTC day is signed
with Ed25519 (`sign_daily_heads`) so that an export can be verified offline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlmodel import Session

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.compliance.audit_chain import (
    GENESIS,
    ChainFinding,
    ChainRecord,
    ChainReport,
    canonical_json,
    head_message,
    record_hash,
    truncate_to_millis,
    verify_chain,
)
from casino_app.persistence.tables import AuditHead, AuditRecord

_LOG = AuditRecord.__table__  # type: ignore[attr-defined]
_HEADS = AuditHead.__table__  # type: ignore[attr-defined]
# pg_advisory_xact_lock key of the one audit chain (any constant bigint; this spells "AUDIT").
CHAIN_LOCK_KEY = 0x4155444954
VERIFY_BATCH = 5_000
# Keys that must never reach the log: it is kept for years and exported to regulators.
SECRET_KEYS = frozenset({"password", "new_password", "secret", "totp_secret", "token", "session_token"})


@dataclass(frozen=True)
class SignedHead:
    """A signed chain head: `day` is an ISO date, or "export" for an export's final head."""

    day: str
    seq: int
    hash: str
    signature: str
    public_key: str


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    for key in details:
        if key.lower() in SECRET_KEYS:
            raise ValueError(f"audit details may not carry {key!r}")
    # One round trip through JSON: what is hashed is exactly what verify will read back.
    text = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_text)
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})


def _head(session: Session) -> tuple[int, str]:
    row = session.execute(sa.select(_LOG.c.seq, _LOG.c.hash).order_by(_LOG.c.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any],
    now: datetime,
) -> None:
    """Append one record to the audit log inside the caller's transaction.

    Args:
        session: the caller's write session; the record commits or rolls back with it.
        actor: who acted: the caller's `Actor.audit_name` ("player:12", "operator:3", "cli").
        action: a dotted verb ("payment.deposit", "auth.login", "keys.rotate").
        subject: what it acted on ("user:12", "payment:order-7").
        details: JSON-serializable context (no secrets: passwords, tokens, TOTP secrets are refused).
        now: the aware UTC time; stored to the millisecond.

    Raises:
        ValueError: `details` carries a secret-looking key.
    """
    clean = _jsonable(details)
    at = truncate_to_millis(now)
    _lock_chain(session)
    prev_seq, prev_hash = _head(session)
    seq = prev_seq + 1
    digest = record_hash(seq, at, actor, action, subject, clean, prev_hash)
    session.execute(
        sa.insert(_LOG).values(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=canonical_json(clean),
            prev_hash=prev_hash,
            hash=digest,
        )
    )


# --- verification -------------------------------------------------------------------------


def _to_chain(row: Any) -> ChainRecord:
    try:
        details = json.loads(row.details)
    except ValueError:
        details = {"unparseable": row.details}
    return ChainRecord(
        int(row.seq),
        row.at,
        row.actor,
        row.action,
        row.subject,
        details,
        row.prev_hash,
        row.hash,
    )


def _stream(session: Session, after: int = 0) -> Iterator[ChainRecord]:
    while True:
        rows = session.execute(
            sa.select(_LOG).where(_LOG.c.seq > after).order_by(_LOG.c.seq).limit(VERIFY_BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            yield _to_chain(row)
        after = int(rows[-1].seq)


def verify(session: Session, *, after: tuple[int, str] | None = None) -> ChainReport:
    """Walk the chain in seq order, then check the signed daily heads against it.

    Heads carry their public key; `verify_export` pins a trusted one.

    Args:
        session: a read session.
        after: (seq, hash) of a record verified earlier: walk only what follows it, after
            checking that record is unchanged (the periodic job; a full walk runs daily).
    """

    def locate(digest: str) -> int | None:
        found = session.execute(sa.select(_LOG.c.seq).where(_LOG.c.hash == digest).limit(1)).first()
        return int(found[0]) if found else None

    start = after or (0, GENESIS)
    if after is not None and after[0] > 0:
        changed = _checkpoint_changed(session, after)
        if changed is not None:
            return ChainReport(0, after[0], after[1], changed)
    report = verify_chain(_stream(session, start[0]), locate, start)
    if report.ok:
        heads = [_signed_head(row) for row in session.execute(sa.select(_HEADS).order_by(_HEADS.c.day))]
        return check_heads(report, heads, {r.seq: r.hash for r in _records_at(session, heads)})
    return report


def _checkpoint_changed(session: Session, after: tuple[int, str]) -> ChainFinding | None:
    """The record a pass starts after must still exist, hash the same and match its content."""
    row = session.execute(sa.select(_LOG).where(_LOG.c.seq == after[0])).first()
    if row is None:
        return ChainFinding(
            after[0], "deleted", f"record {after[0]} is missing since it was verified (deleted)"
        )
    rec = _to_chain(row)
    digest = record_hash(rec.seq, rec.at, rec.actor, rec.action, rec.subject, rec.details, rec.prev_hash)
    if rec.hash != after[1] or digest != after[1]:
        return ChainFinding(after[0], "edited", f"record {after[0]} changed since it was verified (edited)")
    return None


def _records_at(session: Session, heads: list[SignedHead]) -> list[Any]:
    seqs = [h.seq for h in heads]
    if not seqs:
        return []
    return list(session.execute(sa.select(_LOG.c.seq, _LOG.c.hash).where(_LOG.c.seq.in_(seqs))).all())


def check_heads(
    report: ChainReport,
    heads: list[SignedHead],
    hash_at: dict[int, str],
    trusted_key: str | None = None,
) -> ChainReport:
    """Check each signed head: a valid Ed25519 signature over a record that is still in the chain.

    Args:
        report: a clean chain report (its `head_seq` is the last record).
        heads: the signed heads.
        hash_at: seq -> stored hash for the heads' records.
        trusted_key: the public key (hex) to insist on; None accepts each head's own key.
    """
    for head in heads:
        problem = _head_problem(head, report.head_seq, hash_at.get(head.seq), trusted_key)
        if problem is not None:
            kind, message = problem
            return ChainReport(
                report.checked, report.head_seq, report.head_hash, ChainFinding(head.seq, kind, message)
            )
    return report


def _head_problem(
    head: SignedHead, last_seq: int, stored: str | None, trusted_key: str | None
) -> tuple[str, str] | None:
    if trusted_key is not None and head.public_key != trusted_key:
        return "untrusted_key", f"head {head.day} is signed by an unknown key {head.public_key[:16]}..."
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(head.public_key))
        key.verify(bytes.fromhex(head.signature), head_message(head.day, head.seq, head.hash))
    except Exception:  # InvalidSignature or malformed hex/key
        return "bad_signature", f"the signature of head {head.day} (record {head.seq}) is invalid"
    if head.seq > last_seq or stored is None:
        return "deleted", f"record {head.seq}, signed in head {head.day}, is missing (deleted)"
    if stored != head.hash:
        return "edited", f"record {head.seq} differs from the signed head of {head.day} (rewritten)"
    return None


# --- signing --------------------------------------------------------------------------------


def _private_key(keys: KeyProvider) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(keys.signing_key())


def public_key_hex(keys: KeyProvider) -> str:
    """The audit signing public key (hex), for pinning in offline verification."""
    raw = _private_key(keys).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return raw.hex()


def sign_head(day: str, seq: int, head_hash: str, keys: KeyProvider) -> SignedHead:
    """Sign one head with the keyring's Ed25519 key."""
    private = _private_key(keys)
    signature = private.sign(head_message(day, seq, head_hash)).hex()
    return SignedHead(day, seq, head_hash, signature, public_key_hex(keys))


def sign_daily_heads(session: Session, now: datetime, keys: KeyProvider) -> list[SignedHead]:
    """Sign the head of every finished UTC day that has records and no signed head yet."""
    today = now.astimezone(UTC).date()
    last = session.execute(sa.select(sa.func.max(_HEADS.c.day))).scalar()
    first = session.execute(sa.select(sa.func.min(_LOG.c.at))).scalar()
    if first is None:
        return []
    day = (last + timedelta(days=1)) if last else first.astimezone(UTC).date()
    signed: list[SignedHead] = []
    while day < today:
        head = _head_before(session, day + timedelta(days=1), after_day=day)
        if head is not None:
            signed.append(_store_head(session, day, head, now, keys))
        day += timedelta(days=1)
    return signed


def _head_before(session: Session, end_day: date, *, after_day: date) -> tuple[int, str] | None:
    """The last record before `end_day` 00:00 UTC, if that day (`after_day`) has any record."""
    start = datetime.combine(after_day, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(end_day, datetime.min.time(), tzinfo=UTC)
    row = session.execute(
        sa.select(_LOG.c.seq, _LOG.c.hash)
        .where(_LOG.c.at >= start, _LOG.c.at < end)
        .order_by(_LOG.c.seq.desc())
        .limit(1)
    ).first()
    return (int(row[0]), str(row[1])) if row else None


def _store_head(
    session: Session, day: date, head: tuple[int, str], now: datetime, keys: KeyProvider
) -> SignedHead:
    signed = sign_head(day.isoformat(), head[0], head[1], keys)
    session.execute(
        sa.insert(_HEADS).values(
            day=day,
            seq=signed.seq,
            hash=signed.hash,
            signature=signed.signature,
            public_key=signed.public_key,
            signed_at=now,
        )
    )
    return signed


def _signed_head(row: Any) -> SignedHead:
    return SignedHead(row.day.isoformat(), int(row.seq), row.hash, row.signature, row.public_key)


# --- export and offline verification ---------------------------------------------------------

EXPORT_FORMAT = "kasyno-audit-export/1"


def _iso_ms(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def export_log(session: Session, now: datetime, keys: KeyProvider) -> dict[str, Any]:
    """The whole log, its signed daily heads and a head signed now, as a JSON-ready dict.

    Anyone holding the public key can check the export offline (`audit verify --file`).
    """
    records = [
        {
            "seq": r.seq,
            "at": _iso_ms(r.at),
            "actor": r.actor,
            "action": r.action,
            "subject": r.subject,
            "details": r.details,
            "prev_hash": r.prev_hash,
            "hash": r.hash,
        }
        for r in _stream(session)
    ]
    heads = [_signed_head(row) for row in session.execute(sa.select(_HEADS).order_by(_HEADS.c.day))]
    last_seq, last_hash = _head(session)
    heads.append(sign_head("export", last_seq, last_hash, keys))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso_ms(now),
        "public_key": public_key_hex(keys),
        "records": records,
        "heads": [head.__dict__ for head in heads],
    }


def verify_export(data: dict[str, Any], trusted_key: str | None = None) -> ChainReport:
    """Verify an export without a database: the chain, then every signed head (incl. the export head).

    Args:
        data: the parsed export.
        trusted_key: the public key (hex) obtained out of band; None trusts the file's own key,
            which proves integrity against accidents but not against whoever wrote the file.
    """
    if data.get("format") != EXPORT_FORMAT:
        raise ValueError(f"not a {EXPORT_FORMAT} file")
    records = [
        ChainRecord(
            int(r["seq"]),
            datetime.fromisoformat(r["at"].replace("Z", "+00:00")),
            r["actor"],
            r["action"],
            r["subject"],
            r["details"],
            r["prev_hash"],
            r["hash"],
        )
        for r in data["records"]
    ]
    by_hash = {r.hash: r.seq for r in records}
    report = verify_chain(records, by_hash.get)
    if not report.ok:
        return report
    heads = [SignedHead(**h) for h in data["heads"]]
    if not any(h.day == "export" for h in heads):
        raise ValueError("the export carries no signed export head")
    return check_heads(report, heads, {r.seq: r.hash for r in records}, trusted_key or data["public_key"])
