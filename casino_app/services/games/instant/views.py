"""DTOs of the instant games: seed pairs, rounds (with their verification data), receipts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from casino_app.services.dto import MoneyLine


@dataclass(frozen=True)
class SeedPairView:
    """The active pair as the player sees it: never the server seed."""

    commitment: str
    client_seed: str
    nonce: int  # the next round's nonce
    created_at: datetime
    open_round: bool = False  # a rotation waits until it is finished


@dataclass(frozen=True)
class RevealedPair:
    commitment: str
    server_seed: str
    client_seed: str
    rounds: int  # nonces 0 .. rounds-1 were played on it
    created_at: datetime
    revealed_at: datetime | None


@dataclass(frozen=True)
class Rotation:
    revealed: RevealedPair
    active: SeedPairView


@dataclass(frozen=True)
class GameInfo:
    """What is shown before the stake: rules, paytable, theoretical RTP, stake limits."""

    code: str
    name: str
    version: int
    rtp_percent: str
    min_stake: MoneyLine
    max_stake: MoneyLine
    rules: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundView:
    """One instant round: the bet, what the stream decided, the money, and how to verify it."""

    bet_id: str  # the bet's public id (receipt number)
    round_code: str
    game_code: str
    game_name: str
    game_version: int
    status: str  # the bet's: pending (steps left), win, lose, push, void
    result: str
    selection: Mapping[str, Any]
    outcome: Mapping[str, Any]
    steps: int
    shown: int
    stake: MoneyLine
    win: MoneyLine  # what it paid (so far: what the shown steps won)
    cash_before: MoneyLine
    cash_after: MoneyLine | None  # None until settled
    commitment: str
    client_seed: str
    nonce: int
    server_seed: str  # "" until the pair is rotated
    created_at: datetime
    settled_at: datetime | None
    expires_at: datetime | None
    replayed: bool = False
    notice: str = ""

    @property
    def finished(self) -> bool:
        return self.status != "pending"


@dataclass(frozen=True)
class SignedReceipt:
    """A bet's receipt: its canonical JSON and an Ed25519 signature over exactly those bytes."""

    bet_id: str
    document: Mapping[str, Any]
    canonical: str
    signature: str  # hex
    public_key: str  # hex, as published at the well-known URL
    key_id: str

    def envelope(self) -> dict[str, Any]:
        """What the player downloads and `tools/verify_receipt.py` checks."""
        return {
            "receipt": dict(self.document),
            "signature": self.signature,
            "public_key": self.public_key,
            "key_id": self.key_id,
            "algorithm": "Ed25519",
        }


@dataclass(frozen=True)
class ReceiptKey:
    algorithm: str
    public_key: str
    key_id: str
