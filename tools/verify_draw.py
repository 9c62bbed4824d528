#!/usr/bin/env python3
"""Verify a Kasyno lotto draw from public data only. Needs Python 3.11+, nothing else:

    python verify_draw.py draw.json

The file is {"draw": {"id", "pick", "pool", "commitment", "ticket_root", "server_seed",
"numbers"}, "ticket": {"leaf": {"draw", "lines", "stake", "ticket"}, "proof": [{"side",
"hash"}, ...]}} ("ticket" is optional). Three checks, each reported by name:

- commitment: SHA-256(server seed bytes) equals the commitment published before sales opened;
- numbers: the numbers follow from the seed over the ticket root and the draw id:
  HMAC-SHA256(seed, "draw:<ticket root>:<draw id>:<cursor>") bytes for cursor 0, 1, ..., each
  range [0, n) read big-endian in the fewest whole bytes and rejected at or above the largest
  multiple of n, drawn without replacement (partial Fisher-Yates from 1..pool), sorted;
- inclusion: the ticket's leaf, SHA-256(0x00 || canonical JSON of the leaf), folded with its
  proof (SHA-256(0x01 || left || right) per step) gives the ticket root, and the leaf names
  this draw.

Exit code 0 = every check passed, 1 = a check failed (named on stderr), 2 = unreadable input.
docs/FAIRNESS.md describes the protocol.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

COMMITMENT, NUMBERS, INCLUSION = "commitment", "numbers", "inclusion"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def canonical_leaf(leaf: dict[str, Any]) -> bytes:
    """{"draw":<id>,"lines":[[ascending numbers],...],"stake":<minor>,"ticket":"<number>"}."""
    data = {
        "draw": int(leaf["draw"]),
        "lines": [sorted(int(n) for n in line) for line in leaf["lines"]],
        "stake": int(leaf["stake"]),
        "ticket": str(leaf["ticket"]),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _stream(seed_hex: str, message: str) -> Iterator[int]:
    key, cursor = bytes.fromhex(seed_hex), 0
    while True:
        yield from hmac.new(key, f"{message}:{cursor}".encode(), hashlib.sha256).digest()
        cursor += 1


def _uniform(stream: Iterator[int], upper: int) -> int:
    if upper == 1:
        return 0
    nbytes = ((upper - 1).bit_length() + 7) // 8
    limit = 256**nbytes - (256**nbytes % upper)
    while True:
        value = int.from_bytes(bytes(next(stream) for _ in range(nbytes)), "big")
        if value < limit:
            return value % upper


def derive_numbers(seed_hex: str, ticket_root: str, draw_id: int, pick: int, pool: int) -> list[int]:
    """The draw's numbers, ascending, from the revealed seed, the ticket root and the draw id."""
    stream = _stream(seed_hex, f"draw:{ticket_root.lower()}:{int(draw_id)}")
    balls = list(range(1, pool + 1))
    for i in range(pick):
        j = i + _uniform(stream, pool - i)
        balls[i], balls[j] = balls[j], balls[i]
    return sorted(balls[:pick])


def root_from_proof(leaf: dict[str, Any], proof: list[dict[str, str]]) -> str:
    """The root the ticket's leaf and its proof lead to."""
    current = hashlib.sha256(b"\x00" + canonical_leaf(leaf)).digest()
    for step in proof:
        sibling = bytes.fromhex(step["hash"])
        if step["side"] == "left":
            current = hashlib.sha256(b"\x01" + sibling + current).digest()
        elif step["side"] == "right":
            current = hashlib.sha256(b"\x01" + current + sibling).digest()
        else:
            raise ValueError(f"proof step side must be left or right, not {step['side']!r}")
    return current.hex()


def check_commitment(draw: dict[str, Any]) -> Check:
    seed = str(draw.get("server_seed") or "")
    if not seed:
        return Check(COMMITMENT, False, "the server seed is not revealed yet")
    digest = hashlib.sha256(bytes.fromhex(seed)).hexdigest()
    ok = hmac.compare_digest(digest, str(draw["commitment"]).lower())
    return Check(COMMITMENT, ok, "SHA-256(seed) is the commitment" if ok else f"SHA-256(seed) is {digest}")


def check_numbers(draw: dict[str, Any]) -> Check:
    seed = str(draw.get("server_seed") or "")
    if not seed:
        return Check(NUMBERS, False, "the server seed is not revealed yet")
    expected = derive_numbers(seed, draw["ticket_root"], draw["id"], int(draw["pick"]), int(draw["pool"]))
    published = sorted(int(n) for n in draw["numbers"])
    ok = expected == published
    return Check(NUMBERS, ok, f"recomputed {expected}" + ("" if ok else f", published {published}"))


def check_inclusion(draw: dict[str, Any], ticket: dict[str, Any]) -> Check:
    leaf = ticket["leaf"]
    if int(leaf["draw"]) != int(draw["id"]):
        return Check(INCLUSION, False, f"the ticket is of draw {leaf['draw']}, not {draw['id']}")
    root = root_from_proof(leaf, list(ticket["proof"]))
    ok = hmac.compare_digest(root, str(draw["ticket_root"]).lower())
    return Check(INCLUSION, ok, "the proof leads to the ticket root" if ok else f"the proof leads to {root}")


def verify(document: dict[str, Any]) -> list[Check]:
    """Every check that applies to the document, in order; malformed parts fail their check."""
    draw, checks = document["draw"], []
    runs = [(COMMITMENT, check_commitment, (draw,)), (NUMBERS, check_numbers, (draw,))]
    if "ticket" in document:
        runs.append((INCLUSION, check_inclusion, (draw, document["ticket"])))
    for name, run, args in runs:
        try:
            checks.append(run(*args))
        except (KeyError, TypeError, ValueError) as err:
            checks.append(Check(name, False, f"malformed input: {err!r}"))
    return checks


def failed(document: dict[str, Any]) -> list[str]:
    """The names of the checks that failed (empty: the draw and the ticket verify)."""
    return [c.name for c in verify(document) if not c.ok]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Kasyno lotto draw from public data.")
    parser.add_argument("file", help="the draw document (JSON); - reads stdin")
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            document = json.load(sys.stdin)
        else:
            with open(args.file, encoding="utf-8") as handle:
                document = json.load(handle)
        if not isinstance(document, dict) or not isinstance(document.get("draw"), dict):
            raise ValueError("no draw object")
    except (OSError, ValueError) as err:
        print(f"cannot read the draw document: {err}", file=sys.stderr)
        return 2
    checks = verify(document)
    for check in checks:
        print(f"{check.name}: {'ok' if check.ok else 'FAILED'} ({check.detail})")
    bad = [c.name for c in checks if not c.ok]
    if bad:
        print(f"failed: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
