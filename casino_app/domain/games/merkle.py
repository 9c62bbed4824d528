"""The Merkle tree of a draw's tickets: canonical leaves, the root fixed at close, inclusion proofs.

Leaves and inner nodes are hashed with different one-byte prefixes (0x00, 0x01), so a node can
never pass for a ticket. Leaves are ordered by validation number; an odd node out at the end of
a level moves up unchanged (it is never paired with itself). The root of no tickets is the
SHA-256 of the empty string. docs/FAIRNESS.md gives the exact encoding; `tools/verify_draw.py`
re-implements it with the standard library only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()
LEFT = "left"
RIGHT = "right"


@dataclass(frozen=True)
class TicketLeaf:
    """What a ticket commits to: its validation number, its lines, its stake and its draw."""

    validation_number: str
    lines: tuple[tuple[int, ...], ...]
    stake_minor: int
    draw_id: int

    def encoded(self) -> bytes:
        """The canonical encoding: JSON, keys sorted, no spaces, ASCII, each line ascending."""
        return canonical_leaf(self.validation_number, self.lines, self.stake_minor, self.draw_id)

    def as_dict(self) -> dict[str, object]:
        """The leaf's data as published with its proof."""
        return json.loads(self.encoded())  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ProofStep:
    """One sibling on the way from a leaf to the root; `side` is where the sibling sits."""

    side: str
    hash: str


def canonical_leaf(
    validation_number: str, lines: Sequence[Sequence[int]], stake_minor: int, draw_id: int
) -> bytes:
    """`{"draw":<id>,"lines":[[n,...],...],"stake":<minor units>,"ticket":"<validation number>"}`."""
    data = {
        "draw": int(draw_id),
        "lines": [sorted(int(n) for n in line) for line in lines],
        "stake": int(stake_minor),
        "ticket": str(validation_number),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def leaf_hash(encoded: bytes) -> bytes:
    """SHA-256(0x00 || canonical leaf)."""
    return hashlib.sha256(LEAF_PREFIX + encoded).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def ordered(leaves: Sequence[TicketLeaf]) -> list[TicketLeaf]:
    """The tree's leaf order: by validation number (bytes of its ASCII form)."""
    return sorted(leaves, key=lambda leaf: leaf.validation_number.encode("ascii"))


def _next_level(level: list[bytes]) -> list[bytes]:
    paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    return [*paired, level[-1]] if len(level) % 2 else paired


def root_of_hashes(hashes: Sequence[bytes]) -> str:
    """The root (hex) over leaf hashes already in tree order."""
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        level = _next_level(level)
    return level[0].hex()


def ticket_root(leaves: Sequence[TicketLeaf]) -> str:
    """The Merkle root (hex) of a draw's tickets, in any order given."""
    return root_of_hashes([leaf_hash(leaf.encoded()) for leaf in ordered(leaves)])


def inclusion_proof(leaves: Sequence[TicketLeaf], validation_number: str) -> list[ProofStep]:
    """The siblings from the ticket's leaf up to the root.

    Raises:
        KeyError: no ticket of these leaves has that validation number.
    """
    tree = ordered(leaves)
    index = next((i for i, leaf in enumerate(tree) if leaf.validation_number == validation_number), None)
    if index is None:
        raise KeyError(validation_number)
    level = [leaf_hash(leaf.encoded()) for leaf in tree]
    steps: list[ProofStep] = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            steps.append(ProofStep(LEFT if sibling < index else RIGHT, level[sibling].hex()))
        level, index = _next_level(level), index // 2
    return steps


def root_from_proof(encoded_leaf: bytes, steps: Sequence[ProofStep]) -> str:
    """The root a leaf and its proof lead to (compare it with the published root)."""
    current = leaf_hash(encoded_leaf)
    for step in steps:
        sibling = bytes.fromhex(step.hash)
        current = node_hash(sibling, current) if step.side == LEFT else node_hash(current, sibling)
    return current.hex()
