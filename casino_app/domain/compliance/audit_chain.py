"""The audit log's hash chain: canonical record hashes and the walk that finds the first bad record.

Pure functions over plain values, shared by the database check and the offline verifier of an
exported log. A record's hash is SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8)
of ``[seq, ts_ms, actor, action, subject, details, prev_hash]``; the first record's
``prev_hash`` is ``GENESIS``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
HEAD_MESSAGE_PREFIX = "kasyno-audit-head/1"


@dataclass(frozen=True)
class ChainRecord:
    """One audit record as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainFinding:
    """The first bad record: its seq, what is wrong (edited/deleted/inserted/reordered) and why."""

    seq: int
    kind: str
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a walk: records checked, the head, and the first finding if any."""

    checked: int
    head_seq: int
    head_hash: str
    finding: ChainFinding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


def to_millis(at: datetime) -> int:
    """Whole milliseconds since the epoch of an aware datetime (integer arithmetic, no floats)."""
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware UTC")
    delta = at.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def truncate_to_millis(at: datetime) -> datetime:
    """`at` in UTC with microseconds cut to whole milliseconds (what the log stores)."""
    at = at.astimezone(UTC)
    return at.replace(microsecond=at.microsecond - at.microsecond % 1000)


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8 characters kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical record."""
    payload = canonical_json([seq, to_millis(at), actor, action, subject, details, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head_message(day: str, seq: int, head_hash: str) -> bytes:
    """The bytes an Ed25519 head signature covers (`day` is an ISO date or "export")."""
    return f"{HEAD_MESSAGE_PREFIX}|{day}|{seq}|{head_hash}".encode()


def verify_chain(
    records: Iterable[ChainRecord],
    locate_hash: Callable[[str], int | None] | None = None,
    start: tuple[int, str] = (0, GENESIS),
) -> ChainReport:
    """Walk records in seq order and name the first bad one.

    Args:
        records: the log in ascending `seq` order, after `start`.
        locate_hash: finds the seq of a stored record by its hash (classifies a broken link
            as an insertion or a reordering); without it a broken link is reported as is.
        start: (seq, hash) of the record before the first one given; the genesis by default.

    Returns:
        The report; `finding` is None when every record checks out.
    """
    (prev_seq, prev_hash), checked = start, 0
    for rec in records:
        finding = _check(rec, prev_seq, prev_hash, locate_hash)
        if finding is not None:
            return ChainReport(checked, prev_seq, prev_hash, finding)
        prev_seq, prev_hash, checked = rec.seq, rec.hash, checked + 1
    return ChainReport(checked, prev_seq, prev_hash, None)


def _check(
    rec: ChainRecord,
    prev_seq: int,
    prev_hash: str,
    locate_hash: Callable[[str], int | None] | None,
) -> ChainFinding | None:
    if rec.seq != prev_seq + 1:
        missing = prev_seq + 1
        return ChainFinding(
            missing,
            "deleted",
            f"record {missing} is missing: the log jumps from {prev_seq} to {rec.seq} (deleted)",
        )
    if rec.prev_hash != prev_hash:
        return _broken_link(rec, prev_seq, locate_hash)
    expected = record_hash(rec.seq, rec.at, rec.actor, rec.action, rec.subject, rec.details, rec.prev_hash)
    if expected != rec.hash:
        return ChainFinding(rec.seq, "edited", f"record {rec.seq} does not match its hash (edited)")
    return None


def _broken_link(
    rec: ChainRecord, prev_seq: int, locate_hash: Callable[[str], int | None] | None
) -> ChainFinding:
    target = locate_hash(rec.prev_hash) if locate_hash else None
    if target is not None and target > rec.seq:
        return ChainFinding(
            rec.seq,
            "reordered",
            f"record {rec.seq} links to record {target}, which comes after it (reordered)",
        )
    if target is not None and target < prev_seq:
        first = target + 1
        return ChainFinding(
            first,
            "inserted",
            f"record {rec.seq} links back to record {target}: records {first}..{prev_seq} "
            "were inserted into the chain",
        )
    return ChainFinding(
        rec.seq,
        "inserted",
        f"record {rec.seq} does not link to record {prev_seq} (inserted or forged)",
    )
