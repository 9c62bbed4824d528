"""Every line of a drawn draw classified in the database: the few prize tickets read, the rest recorded lost.

Two statements, each in its caller's transaction:

1. `prize_candidates` reads the pending tickets that have a line in a prize tier (about 2% of
   a 6/49 draw's lines), found by an SQL expression evaluated in the scan over every line of
   the draw; each is then classified line by line in Python (`prizes.classify`, the rule that
   decides what a ticket wins), so the SQL only has to find a superset of the prize tickets.
   This is the classification of the draw's settlement transaction (money.py).
2. `record_losers` writes, once the draw is SETTLED (its prize tickets paid), every still
   pending ticket of an id range as lost with its hits per line ("3,0,1", what the engine
   writes for a paid ticket) computed by the same kind of expression; no win, no posting.

The expressions (`sql.py`) count a line's hits with one `strpos`/`instr` per drawn number
on the stored canonical line ("3,14,27"), so no row is split into rows or sent to Python:
PostgreSQL picks the expression for the ticket's line count with one `CASE`; SQLite counts a
one-line ticket in SQL and hands a ticket of several lines to a function registered on the
connection. tests/integration/test_draw_classification.py checks both against the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.lotto import parse_lines
from casino_app.persistence.types import UtcDateTime
from casino_app.services.games.lotto.settlement import sql as draw_sql


@dataclass(frozen=True)
class PrizeTicket:
    """A pending ticket with a line in a prize tier, classified line by line."""

    id: int
    public_id: str
    user_id: int
    currency: str
    stake: int
    stake_bonus: int
    selection: str
    lines: list[prizes.LineResult]

    @property
    def hits(self) -> str:
        return ",".join(str(line.matches) for line in self.lines)


@dataclass(frozen=True)
class DrawLines:
    """What the classification of one draw needs: its id, numbers, prize table and line limit."""

    draw_id: int
    numbers: tuple[int, ...]
    table: prizes.PrizeTable
    max_lines: int

    def expressions(self, session: Session) -> draw_sql.Classifier:
        """The draw's classifying SQL, ready on this session's connection.

        PostgreSQL runs the rest of the transaction without JIT: the expressions are long and
        the planner's cost for them high, so it would compile them to machine code for seconds
        (measured: 14.7 s of JIT for a 0.7 s scan of 1,000,000 tickets). SQLite gets the
        functions for tickets of several lines."""
        dialect = session.get_bind().dialect.name
        classifier = draw_sql.Classifier(dialect, self.numbers, frozenset(self.table.tiers()), self.max_lines)
        if dialect == "postgresql":
            session.execute(sa.text("SET LOCAL jit = off"))
        else:
            classifier.register(session.connection().connection.driver_connection)
        return classifier


def prize_candidates(session: Session, draw: DrawLines) -> list[PrizeTicket]:
    """The draw's pending tickets with a line in a prize tier, in id order, classified in Python."""
    sql = draw.expressions(session)
    rows = session.execute(
        sa.text(
            "SELECT id, public_id, user_id, currency, stake, stake_bonus, selection FROM bets "
            f"WHERE round_id = :draw AND status = 'pending' AND ({sql.prize('selection')}) ORDER BY id"
        ),
        {"draw": draw.draw_id},
    ).all()
    winning = list(draw.numbers)
    return [
        PrizeTicket(
            int(i),
            p,
            int(u),
            c,
            int(st),
            int(sb),
            sel,
            prizes.classify(draw.table, parse_lines(sel), int(st), winning),
        )
        for i, p, u, c, st, sb, sel in rows
    ]


def pending_range(session: Session, draw_id: int) -> tuple[int, int] | None:
    """The lowest and highest id of the draw's still pending tickets (None: none is left)."""
    low, high = session.execute(
        sa.text("SELECT min(id), max(id) FROM bets WHERE round_id = :draw AND status = 'pending'"),
        {"draw": draw_id},
    ).one()
    return None if low is None else (int(low), int(high))


def record_losers(session: Session, draw: DrawLines, first: int, last: int, now: datetime) -> int:
    """Write the draw's pending tickets with ids first..last as lost, with their hits; how many.

    Only once the draw is SETTLED: its prize tickets are paid by then (in the settlement
    transaction), so every ticket still pending has lost."""
    sql = draw.expressions(session)
    statement = sa.text(
        f"UPDATE bets SET result = {sql.hits('selection')}, status = 'lose', settled_at = :now "
        "WHERE round_id = :draw AND id BETWEEN :first AND :last AND status = 'pending' "
        "AND EXISTS (SELECT 1 FROM rounds WHERE rounds.id = :draw AND rounds.status = 'settled')"
    ).bindparams(sa.bindparam("now", type_=UtcDateTime()))
    result = session.execute(statement, {"draw": draw.draw_id, "first": first, "last": last, "now": now})
    return int(getattr(result, "rowcount", 0) or 0)
