"""Provably fair instant rounds: seed pairs, the round's outcome stream, receipts' canonical form.

A player's seed pair is a server seed (256 bits from the OS CSPRNG, kept secret and sealed
until rotation), its SHA-256 commitment (shown before any bet), a client seed the player may
choose, and a nonce that counts the pair's bets. A round's outcome bytes are

    HMAC-SHA256(key = server seed bytes, message = f"{client_seed}:{nonce}:{cursor}")

for cursor = 0, 1, 2 ... (`rng.byte_stream` with message f"{client_seed}:{nonce}"); ranges are
taken by rejection sampling. The commitment is never an input: knowing it does not help to
predict, and the server cannot change the seed after publishing it. `derive` replays any
round from public data once the seed is revealed; assets/verifier.js does the same in the
browser, and tests/fixtures/fairness_vectors.json keeps the two in agreement.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from casino_app.domain.errors import InvalidClientSeed, InvalidInput
from casino_app.domain.games import dice, rng, roulette, slot

MAX_CLIENT_SEED = 64
GAMES = ("dice", "roulette", "slot")  # the outcome mappings (a game's rules name theirs)


def validate_client_seed(text: object) -> str:
    """1 to 64 printable characters, no control characters; returned unchanged.

    Raises:
        InvalidClientSeed: empty, too long, or with a control or unprintable character.
    """
    if not isinstance(text, str) or not text:
        raise InvalidClientSeed("A client seed has 1 to 64 characters.")
    if len(text) > MAX_CLIENT_SEED:
        raise InvalidClientSeed(f"A client seed has at most {MAX_CLIENT_SEED} characters.")
    if not text.isprintable():
        raise InvalidClientSeed("A client seed cannot contain control or invisible characters.")
    return text


def new_client_seed() -> str:
    """A random default client seed (16 hex digits) until the player picks their own."""
    return rng.new_server_seed()[:16]


def round_stream(server_seed: str, client_seed: str, nonce: int) -> Iterator[int]:
    """The outcome bytes of round `nonce` of a seed pair."""
    if isinstance(nonce, bool) or not isinstance(nonce, int) or nonce < 0:
        raise InvalidInput("A nonce is a whole number from 0.")
    return rng.byte_stream(server_seed, f"{client_seed}:{nonce}")


def seed_matches(server_seed: str, commitment: str) -> bool:
    """True when the revealed seed is the one committed to."""
    try:
        return rng.commitment(server_seed) == commitment.lower()
    except ValueError:
        return False


@dataclass(frozen=True)
class Derived:
    """A round's raw outcome as the verifier recomputes it."""

    game: str
    roll: int | None = None  # dice, 0..9999
    pocket: int | None = None  # roulette, 0..36
    stops: tuple[tuple[int, ...], ...] = ()  # slot: the base spin's stops, then each free spin's

    def as_dict(self) -> dict[str, Any]:
        if self.game == "dice":
            return {"game": "dice", "roll": self.roll}
        if self.game == "roulette":
            return {"game": "roulette", "pocket": self.pocket}
        return {"game": "slot", "stops": [list(s) for s in self.stops]}


def derive(game: str, rules: Mapping[str, Any], server_seed: str, client_seed: str, nonce: int) -> Derived:
    """Recompute a round's outcome from the revealed seed pair and the game version's rules."""
    stream = round_stream(server_seed, client_seed, nonce)
    if game == "dice":
        return Derived("dice", roll=dice.roll(stream))
    if game == "roulette":
        return Derived("roulette", pocket=roulette.spin(stream))
    if game == "slot":
        played = slot.play_round(slot.rules_from(rules), stream)
        return Derived("slot", stops=(played.base.stops, *(s.stops for s in played.free)))
    raise InvalidInput(f"Unknown outcome mapping {game!r}.")


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """The signed form of a receipt: JSON, sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
