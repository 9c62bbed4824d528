"""What anyone needs to check a draw: its public record and a ticket's inclusion proof.

The record of a draw is public as it grows: the commitment from the start, the ticket root from
the close, the revealed seed and the numbers from the draw. A player gets the inclusion proof
of their own ticket as soon as the root is fixed; after the draw anyone who holds a ticket's
validation number can. `verifier_input` is the document `tools/verify_draw.py` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from casino_app.domain.errors import NotFound
from casino_app.domain.games import merkle
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import parse_numbers
from casino_app.services.games import catalog
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.games.lotto.draws import record as draw_record
from casino_app.services.games.lotto.tickets.catalogue import lotto_rules

NO_TICKET = "No ticket with that validation number has a fixed ticket root yet."


@dataclass(frozen=True)
class DrawRecord:
    """The public record of a draw ("" / () where a part is not published yet)."""

    draw_id: int
    game_code: str
    code: str
    status: str
    pick: int
    pool: int
    seed_commitment: str
    ticket_root: str
    server_seed: str
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class TicketProof:
    """A ticket's leaf data and the siblings that lead from its leaf to the draw's root."""

    validation_number: str
    draw_id: int
    leaf: dict[str, Any]
    proof: tuple[merkle.ProofStep, ...]
    ticket_root: str


def _record(uow: UnitOfWork, draw: Round, game: Game) -> DrawRecord:
    assert draw.id is not None
    lotto = lotto_rules(catalog.game_facts(uow, game.code, draw.game_version))
    revealed = draw.status in draw_queries.REVEALED
    return DrawRecord(
        draw.id,
        game.code,
        draw.code,
        draw.status,
        lotto.pick,
        lotto.pool,
        draw.seed_commitment or "",
        draw.ticket_root or "",
        (draw.server_seed or "") if revealed else "",
        parse_numbers(draw.outcome or "") if revealed else (),
    )


def draw_record_of(uow: UnitOfWork, draw_id: int) -> DrawRecord:
    """The public record of a lotto draw.

    Raises:
        NotFound: no lotto draw has that id.
    """
    with uow.reader() as r:
        draw = r.session.get(Round, draw_id)
        game = r.session.get(Game, draw.game_id) if draw is not None else None
        if draw is None or game is None or game.kind != GameKind.LOTTO:
            raise NotFound("Unknown draw.")
    return _record(uow, draw, game)


def proof_of(session: Session, bet: Bet, draw: Round) -> TicketProof:
    """A ticket's inclusion proof in its draw's root (the draw has closed: its root is fixed)."""
    assert draw.id is not None and draw.ticket_root is not None
    leaves = draw_record.ticket_leaves(session, draw.id)
    steps = merkle.inclusion_proof(leaves, bet.public_id)
    mine = next(leaf for leaf in leaves if leaf.validation_number == bet.public_id)
    return TicketProof(bet.public_id, draw.id, mine.as_dict(), tuple(steps), draw.ticket_root)


def _ticket(session: Session, validation_number: str) -> tuple[Bet, Round] | None:
    row = session.exec(
        select(Bet, Round)
        .join(Round, Round.id == Bet.round_id)  # type: ignore[arg-type]
        .where(Bet.public_id == validation_number.strip().upper())
    ).first()
    if row is None or row[1].ticket_root is None:
        return None
    return row[0], row[1]


@authz.guard("player.history")
def my_ticket_proof(uow: UnitOfWork, actor: Actor, validation_number: str) -> TicketProof:
    """The inclusion proof of one of the player's own tickets, once its draw's root is fixed.

    Raises:
        NotFound: not the player's ticket, or its draw's sales have not closed yet.
    """
    with uow.reader() as r:
        found = _ticket(r.session, validation_number)
        if found is None or found[0].user_id != actor.player_id():
            raise NotFound(NO_TICKET)
        return proof_of(r.session, *found)


def published_ticket_proof(uow: UnitOfWork, validation_number: str) -> TicketProof:
    """Anyone's proof for a ticket of a drawn draw, by its validation number (public).

    Raises:
        NotFound: no such ticket, or its draw is not drawn yet.
    """
    with uow.reader() as r:
        found = _ticket(r.session, validation_number)
        if found is None or found[1].status not in draw_queries.REVEALED:
            raise NotFound(NO_TICKET)
        return proof_of(r.session, *found)


def verifier_input(record: DrawRecord, proof: TicketProof | None = None) -> dict[str, Any]:
    """The JSON document `tools/verify_draw.py` checks (public data only)."""
    doc: dict[str, Any] = {
        "draw": {
            "id": record.draw_id,
            "game": record.game_code,
            "pick": record.pick,
            "pool": record.pool,
            "commitment": record.seed_commitment,
            "ticket_root": record.ticket_root,
            "server_seed": record.server_seed,
            "numbers": list(record.numbers),
        }
    }
    if proof is not None:
        doc["ticket"] = {
            "leaf": proof.leaf,
            "proof": [{"side": step.side, "hash": step.hash} for step in proof.proof],
        }
    return doc
