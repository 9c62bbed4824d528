"""Signed receipts for every bet, lotto and instant: canonical JSON signed with Ed25519.

The receipt states what was bought (game and version, round, selection, stake, time) and what
it paid (status, win), with the fairness data to check the outcome. Its canonical form
(`fairness.canonical_json`: sorted keys, no spaces, UTF-8) is signed with the key provider's
receipt key, whose public half is published at /.well-known/kasyno-receipt-key.json.
Ed25519 signatures are deterministic, so a receipt re-issued later for the same state of the
bet is byte for byte the same; `tools/verify_receipt.py` checks one offline.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlmodel import col, select

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import NotFound
from casino_app.domain.games import fairness
from casino_app.domain.games import lotto as lotto_rules
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import Money, to_decimal_string
from casino_app.persistence.tables import Bet, Game, InstantRound, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import parse_numbers
from casino_app.services.dto import MoneyLine
from casino_app.services.games import catalog
from casino_app.services.games.instant import recall
from casino_app.services.games.instant.views import ReceiptKey, RoundView, SignedReceipt
from casino_app.services.games.lotto.tickets import proofs
from casino_app.services.games.lotto.tickets.outcome import outcome_of

RECEIPT_TYPE = "kasyno-receipt"
RECEIPT_VERSION = 2  # 2: a ticket's lines and its inclusion proof
SCHEME = "HMAC-SHA256(server_seed, client_seed:nonce:cursor)"
LOTTO_REVEALED = ("drawn", "settled")


def _private(keys: KeyProvider) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(keys.receipt_key())


def receipt_key(uow: UnitOfWork) -> ReceiptKey:
    """The public receipt key (public: anyone may verify a receipt)."""
    raw = _private(uow.context.keys).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return ReceiptKey("Ed25519", raw.hex(), hashlib.sha256(raw).hexdigest()[:16])


def sign(uow: UnitOfWork, bet_id: str, document: dict[str, Any]) -> SignedReceipt:
    """Sign the canonical form of `document` with the receipt key."""
    key = receipt_key(uow)
    canonical = fairness.canonical_json(document)
    signature = _private(uow.context.keys).sign(canonical).hex()
    return SignedReceipt(bet_id, document, canonical.decode("utf-8"), signature, key.public_key, key.key_id)


def _money(minor: int, currency: str) -> dict[str, str]:
    return {"amount": to_decimal_string(Money(minor, currency)), "currency": currency}


def _line(line: MoneyLine | None) -> dict[str, str] | None:
    return None if line is None else _money(line.minor, line.currency)


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _instant(view: RoundView, user_id: int) -> dict[str, Any]:
    return {
        "type": RECEIPT_TYPE,
        "version": RECEIPT_VERSION,
        "bet": view.bet_id,
        "player": user_id,
        "game": view.game_code,
        "game_version": view.game_version,
        "round": view.round_code,
        "placed_at": _at(view.created_at),
        "settled_at": _at(view.settled_at),
        "selection": dict(view.selection),
        "stake": _line(view.stake),
        "status": view.status,
        "result": view.result,
        "win": _line(view.win),
        "balance_before": _line(view.cash_before),
        "balance_after": _line(view.cash_after),
        "outcome": dict(view.outcome),
        "fairness": {
            "scheme": SCHEME,
            "server_seed_hash": view.commitment,
            "client_seed": view.client_seed,
            "nonce": view.nonce,
            "server_seed": view.server_seed or None,
        },
    }


def _lotto(bet: Bet, rnd: Round, game: Game, proof: proofs.TicketProof | None) -> dict[str, Any]:
    """A ticket's receipt: its lines, the draw, and from the close on its inclusion proof."""
    revealed = rnd.status in LOTTO_REVEALED
    outcome = outcome_of(bet, rnd)
    return {
        "type": RECEIPT_TYPE,
        "version": RECEIPT_VERSION,
        "bet": bet.public_id,
        "player": bet.user_id,
        "game": game.code,
        "game_version": bet.game_version,
        "round": rnd.code,
        "draw_at": _at(rnd.draw_at),
        "placed_at": _at(bet.created_at),
        "settled_at": _at(outcome.settled_at),
        "selection": {"lines": [list(line) for line in lotto_rules.parse_lines(bet.selection)]},
        "stake": _money(bet.stake, bet.currency),
        "status": outcome.status,
        "result": outcome.result,
        "win": _money(bet.win, bet.currency),
        "outcome": {"numbers": list(parse_numbers(rnd.outcome or ""))} if revealed else {},
        "fairness": {
            "seed_commitment": rnd.seed_commitment,
            "server_seed": (rnd.server_seed or None) if revealed else None,
            "ticket_root": proof.ticket_root if proof else None,
            "leaf": proof.leaf if proof else None,
            "inclusion_proof": [{"side": s.side, "hash": s.hash} for s in proof.proof] if proof else None,
        },
    }


@authz.guard("player.history")
def receipt(uow: UnitOfWork, actor: Actor, bet_id: str) -> SignedReceipt:
    """The signed receipt of one of the player's bets (lotto ticket or instant round).

    Raises:
        NotFound: no such bet of this player.
    """
    user_id = actor.player_id()
    bet_id = str(bet_id)[:32]
    with uow.reader() as r:
        found = r.session.exec(
            select(Bet, Round, Game, InstantRound.id)
            .join(Round, col(Round.id) == Bet.round_id)
            .join(Game, col(Game.id) == Bet.game_id)
            .outerjoin(InstantRound, col(InstantRound.bet_id) == Bet.id)
            .where(Bet.public_id == bet_id, Bet.user_id == user_id)
        ).first()
    if found is None:
        raise NotFound("No such bet.")
    bet, rnd, game, instant_id = found
    if instant_id is not None:
        document = _instant(recall.view_of(uow, instant_id), user_id)
        strips = catalog.game_facts(uow, game.code, bet.game_version).rules.get("strips")
        if strips:  # what a verifier needs to replay the reel stops
            document["reel_lengths"] = [len(strip) for strip in strips]
    elif game.kind == GameKind.LOTTO:
        with uow.reader() as r:
            proof = proofs.proof_of(r.session, bet, rnd) if rnd.ticket_root else None
        document = _lotto(bet, rnd, game, proof)
    else:
        raise NotFound("This bet has no receipt.")
    return sign(uow, bet.public_id, document)
