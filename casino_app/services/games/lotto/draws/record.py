"""The write-once draw record: a sealed seed, the ticket root fixed at close, the drawn numbers.

A draw's server seed is sealed under the key provider (`crypto.seal_column`, bound to
`rounds.server_seed_enc` of its row) in the transaction that creates the draw, and never stored
in the clear before the draw. When sales close the Merkle root of the draw's tickets is fixed;
only the draw step unseals the seed, derives the numbers from it over the root and the draw id,
and stores the numbers with the seed in the clear, dropping the sealed copy, in one conditional
statement. The database triggers (migration 0014) refuse any other order. docs/FAIRNESS.md.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import TamperedData
from casino_app.domain.games import fairness, merkle, rng
from casino_app.domain.games import lotto as rules
from casino_app.domain.games.vocabulary import RoundStatus
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import join_numbers
from casino_app.services.security import crypto

SEALED = "server_seed_enc"
_ROUNDS = Round.__table__  # type: ignore[attr-defined]


def create_draw_in(
    uow: UnitOfWork, game: Game, code: str, opened_at: datetime, closes_at: datetime, draw_at: datetime
) -> Round:
    """A new open draw committed to a fresh seed that is sealed before the transaction commits."""
    seed = rng.new_server_seed()
    draw = Round(
        game_id=game.id or 0,
        game_version=game.version,
        code=code,
        status=RoundStatus.OPEN,
        opened_at=opened_at,
        closes_at=closes_at,
        draw_at=draw_at,
        seed_commitment=rng.commitment(seed),
    )
    uow.session.add(draw)
    uow.session.flush()
    crypto.seal_column(uow.context.keys, draw, SEALED, seed)
    uow.session.add(draw)
    uow.session.flush()
    return draw


def ticket_lines(selection: str) -> tuple[tuple[int, ...], ...]:
    """A ticket's lines from its stored selection ("1,2,3,4,5,6|7,8,9,10,11,12": two lines)."""
    return rules.parse_lines(selection)


def ticket_leaves(session: Session, draw_id: int) -> list[merkle.TicketLeaf]:
    """Every ticket of a draw as a Merkle leaf (validation number, lines, stake, draw)."""
    rows = session.exec(select(Bet.public_id, Bet.selection, Bet.stake).where(Bet.round_id == draw_id)).all()
    return [merkle.TicketLeaf(number, ticket_lines(sel), stake, draw_id) for number, sel, stake in rows]


def fix_ticket_roots(uow: UnitOfWork) -> int:
    """Fix the ticket root of every closed draw that has none yet (write-once); how many.

    Runs after the transaction that closed sales has committed: a ticket that was being sold
    then has committed or been refused, so the root covers exactly the tickets of the draw.
    """
    with uow:
        s = uow.session
        pending = s.exec(
            select(Round.id).where(
                Round.status == RoundStatus.CLOSED,
                col(Round.seed_commitment).is_not(None),
                col(Round.ticket_root).is_(None),
            )
        ).all()
        for draw_id in pending:
            assert draw_id is not None
            root = merkle.ticket_root(ticket_leaves(s, draw_id))
            s.execute(
                sa.update(_ROUNDS)
                .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.ticket_root.is_(None))
                .values(ticket_root=root)
            )
        uow.commit()
        return len(pending)


def due_draws(uow: UnitOfWork, now: datetime) -> list[Round]:
    """Closed draws with a fixed root whose time has come, locked for this worker.

    On PostgreSQL a draw another worker is drawing is skipped (`FOR UPDATE SKIP LOCKED`); on
    SQLite the write transaction already holds the database's single writer lock.
    """
    query = (
        select(Round)
        .where(
            Round.status == RoundStatus.CLOSED,
            col(Round.draw_at) <= now,
            col(Round.seed_commitment).is_not(None),
            col(Round.ticket_root).is_not(None),
        )
        .order_by(col(Round.draw_at), col(Round.id))
    )
    if uow.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(uow.session.exec(query).all())


def unsealed_seed(uow: UnitOfWork, draw: Round) -> str:
    """The draw's seed, unsealed for the draw step; it must match the published commitment.

    Raises:
        TamperedData: the sealed value was altered or does not match the commitment.
    """
    seed = crypto.open_column(uow.context.keys, draw, SEALED)
    if not seed or not fairness.seed_matches(seed, draw.seed_commitment or ""):
        raise TamperedData(f"The sealed seed of draw {draw.id} does not match its commitment.")
    return seed


def draw_in(uow: UnitOfWork, draw: Round, lotto: rules.LottoRules, now: datetime) -> bool:
    """Draw a closed draw inside the caller's transaction: numbers and revealed seed, write-once.

    Returns:
        True when this call drew it; False when it was drawn already.
    """
    assert draw.id is not None and draw.ticket_root is not None
    seed = unsealed_seed(uow, draw)
    numbers = rules.draw_numbers(lotto, seed, draw.ticket_root, draw.id)
    result = uow.session.execute(
        sa.update(_ROUNDS)
        .where(
            _ROUNDS.c.id == draw.id,
            _ROUNDS.c.status == RoundStatus.CLOSED,
            _ROUNDS.c.outcome.is_(None),
        )
        .values(
            status=RoundStatus.DRAWN,
            outcome=join_numbers(numbers),
            server_seed=seed,
            server_seed_enc=None,
            resulted_at=now,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1
