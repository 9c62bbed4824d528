#!/usr/bin/env python3
"""Verify a Kasyno bet receipt offline: what was bought and what it paid, signed by the operator.

Needs only Python 3.11+ and the `cryptography` package:

    python verify_receipt.py receipt.json --public-key <hex>
    python verify_receipt.py receipt.json --key-url https://<site>/.well-known/kasyno-receipt-key.json

A receipt file (the "Signed receipt" button) is {"receipt": {...}, "signature": hex,
"public_key": hex, "key_id": ..., "algorithm": "Ed25519"}. The signature is Ed25519 over the
receipt's canonical JSON: sorted keys, separators "," and ":", UTF-8 kept (not \\u-escaped).
The key in the file is only used when you pin it yourself: pass the key you trust, or the
well-known URL to fetch it from. For an instant round whose server seed is revealed it also
checks SHA-256(server seed) against the commitment the player saw before the bet, and
recomputes the raw outcome (dice roll, roulette pocket, slot reel stops) from
HMAC-SHA256(server seed, "<client seed>:<nonce>:<cursor>") with rejection sampling.
Exit code 0 = valid, 1 = not (the reason is printed), 2 = bad usage or an unreadable file.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import urllib.request
from collections.abc import Iterator
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def stream(server_seed: str, client_seed: str, nonce: int) -> Iterator[int]:
    key, cursor = bytes.fromhex(server_seed), 0
    while True:
        yield from hmac.new(key, f"{client_seed}:{nonce}:{cursor}".encode(), hashlib.sha256).digest()
        cursor += 1


def uniform(source: Iterator[int], upper: int) -> int:
    if upper == 1:
        return 0
    nbytes = ((upper - 1).bit_length() + 7) // 8
    limit = 256**nbytes - (256**nbytes % upper)
    while True:
        value = int.from_bytes(bytes(next(source) for _ in range(nbytes)), "big")
        if value < limit:
            return value % upper


def recompute(receipt: dict[str, Any]) -> str | None:
    """Check the revealed seed and the raw outcome of an instant round; None when they hold."""
    fair, outcome = receipt.get("fairness", {}), receipt.get("outcome", {})
    seed = fair.get("server_seed")
    if not seed or "server_seed_hash" not in fair:
        return None
    if hashlib.sha256(bytes.fromhex(seed)).hexdigest() != fair["server_seed_hash"]:
        return "the revealed server seed does not match the commitment shown before the bet"
    source = stream(seed, fair["client_seed"], int(fair["nonce"]))
    game = receipt.get("game")
    if game == "dice" and uniform(source, 10_000) != outcome.get("roll"):
        return "the dice roll does not follow from the seeds"
    if game == "roulette" and uniform(source, 37) != outcome.get("pocket"):
        return "the roulette pocket does not follow from the seeds"
    if game == "slot":
        lengths = receipt.get("reel_lengths") or []
        for spin in outcome.get("spins", []):
            if [uniform(source, n) for n in lengths] != spin.get("stops"):
                return "the slot's reel stops do not follow from the seeds"
    return None


def fetch_key(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(json.load(response)["public_key"])


def verify(envelope: dict[str, Any], public_key: str) -> str | None:
    """None when the receipt is authentic (and its outcome follows from its seeds); else why not."""
    if envelope.get("algorithm", "Ed25519") != "Ed25519":
        return f"unsupported algorithm {envelope.get('algorithm')!r}"
    receipt = envelope.get("receipt")
    if not isinstance(receipt, dict):
        return "the file holds no receipt"
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(envelope.get("signature", "")), canonical(receipt))
    except (InvalidSignature, ValueError):
        return "the signature does not match: the receipt was altered or signed by another key"
    return recompute(receipt)


def summary(receipt: dict[str, Any]) -> str:
    stake, win = receipt.get("stake") or {}, receipt.get("win") or {}
    return (
        f"bet {receipt.get('bet')} · {receipt.get('game')} v{receipt.get('game_version')} · "
        f"round {receipt.get('round')} · placed {receipt.get('placed_at')}\n"
        f"  bought: {json.dumps(receipt.get('selection'), ensure_ascii=False)} for "
        f"{stake.get('amount')} {stake.get('currency')}\n"
        f"  result: {receipt.get('result')} · {receipt.get('status')} · paid {win.get('amount')} "
        f"{win.get('currency')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Kasyno bet receipt offline.")
    parser.add_argument("receipt", help="the receipt JSON file")
    pinned = parser.add_mutually_exclusive_group(required=True)
    pinned.add_argument("--public-key", help="the receipt public key you trust (hex)")
    pinned.add_argument("--key-url", help="fetch the key from the operator's well-known URL")
    args = parser.parse_args(argv)
    try:
        with open(args.receipt, encoding="utf-8") as fh:
            envelope = json.load(fh)
        key = args.public_key or fetch_key(args.key_url)
    except (OSError, ValueError, KeyError) as err:
        print(f"cannot read the receipt or the key: {err}", file=sys.stderr)
        return 2
    problem = verify(envelope, key)
    if problem:
        print(f"NOT VALID: {problem}")
        return 1
    print("VALID: signed by the receipt key " + key[:16] + "…")
    print(summary(envelope["receipt"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
