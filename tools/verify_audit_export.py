#!/usr/bin/env python3
"""Verify a Kasyno Lotto audit export offline, without our code or database.

Needs only Python 3.11+ and the `cryptography` package:

    python verify_audit_export.py audit.json --public-key <hex from `audit public-key`>

Checks, in seq order, that every record's SHA-256 matches its canonical form and links to
the previous one, then that every signed head (one per UTC day, plus the export's own) carries
a valid Ed25519 signature by the pinned key over a record that is present with that hash.
Exit code 0 = intact, 1 = the first bad record is printed.

Canonical form: JSON (sorted keys, separators "," and ":", UTF-8 kept) of
[seq, ts_ms, actor, action, subject, details, prev_hash]; ts_ms = the record's UTC time in
whole milliseconds since 1970. Signed head message: "kasyno-audit-head/1|<day>|<seq>|<hash>".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64


def _ms(iso: str) -> int:
    delta = datetime.fromisoformat(iso.replace("Z", "+00:00")) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _hash(r: dict) -> str:
    body = [r["seq"], _ms(r["at"]), r["actor"], r["action"], r["subject"], r["details"], r["prev_hash"]]
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_chain(records: list[dict]) -> str | None:
    prev_seq, prev_hash = 0, GENESIS
    for r in records:
        if r["seq"] != prev_seq + 1:
            return f"record {prev_seq + 1} is missing (the log jumps from {prev_seq} to {r['seq']})"
        if r["prev_hash"] != prev_hash:
            return f"record {r['seq']} does not link to record {prev_seq} (inserted, deleted or reordered)"
        if _hash(r) != r["hash"]:
            return f"record {r['seq']} does not match its hash (edited)"
        prev_seq, prev_hash = r["seq"], r["hash"]
    return None


def check_heads(heads: list[dict], records: list[dict], public_key: str) -> str | None:
    by_seq = {r["seq"]: r["hash"] for r in records}
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    for h in heads:
        if h["public_key"] != public_key:
            return f"head {h['day']} is signed by another key"
        message = f"kasyno-audit-head/1|{h['day']}|{h['seq']}|{h['hash']}".encode()
        try:
            key.verify(bytes.fromhex(h["signature"]), message)
        except (InvalidSignature, ValueError):
            return f"the signature of head {h['day']} is invalid"
        if by_seq.get(h["seq"]) != h["hash"]:
            return f"record {h['seq']}, signed in head {h['day']}, is missing or rewritten"
    if not any(h["day"] == "export" for h in heads):
        return "the export carries no signed export head"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--public-key", help="the operator's published key (hex); default: the file's own")
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as fh:
        data = json.load(fh)
    records = data["records"]
    problem = check_chain(records) or check_heads(
        data["heads"], records, args.public_key or data["public_key"]
    )
    if problem:
        print(f"FAILED: {problem}")
        return 1
    pinned = "pinned" if args.public_key else "the file's own (pin it with --public-key)"
    print(f"OK: {len(records)} records, {len(data['heads'])} signed heads, key {pinned}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
