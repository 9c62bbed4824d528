"""Every line of a drawn draw classified in the database: the few prize tickets read, the rest settled lost.

Two statements, both in the caller's transaction (the draw's one settlement transaction,
draw_settlement.py):

1. `prize_candidates` reads the pending tickets that have a line in a prize tier (about 2% of
   a 6/49 draw's lines), found by an SQL expression evaluated in the scan; each is then
   classified line by line in Python (`prizes.classify`, the rule that decides what a ticket
   wins), so the SQL only has to find a superset of the prize tickets.
2. `settle_losers` settles every other pending ticket of the draw as lost in one UPDATE,
   writing its hits per line ("3,0,1", what the engine writes for a paid ticket) computed by
   the same kind of expression; no win, no posting.

The expressions (`draw_sql.py`) count a line's hits with one `strpos`/`instr` per drawn number
on the stored canonical line ("3,14,27"), so no row is split into rows or sent to Python:
PostgreSQL picks the expression for the ticket's line count with one `CASE`; SQLite counts a
one-line ticket in SQL and hands a ticket of several lines to a function registered on the
connection. tests/integration/test_draw_classification.py checks both against the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.lotto import parse_lines
from casino_app.persistence.tables import Bet
from casino_app.persistence.types import UtcDateTime
from casino_app.services.games.lotto import draw_sql

_BETS = Bet.__table__  # type: ignore[attr-defined]


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
        dialect = session.get_bind().dialect.name
        classifier = draw_sql.Classifier(dialect, self.numbers, frozenset(self.table.tiers()), self.max_lines)
        if dialect == "sqlite":
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


def settle_losers(session: Session, draw: DrawLines, kept: Sequence[int], now: datetime) -> int:
    """Settle every pending ticket of the draw but `kept` (the prize tickets) as lost; how many."""
    sql = draw.expressions(session)
    statement = sa.text(
        f"UPDATE bets SET result = {sql.hits('selection')}, status = 'lose', settled_at = :now "
        f"WHERE round_id = :draw AND status = 'pending' AND {sql.not_in('id', 'kept')}"
    ).bindparams(sa.bindparam("now", type_=UtcDateTime()))
    result = session.execute(statement, {"draw": draw.draw_id, "now": now, **sql.ids("kept", kept)})
    return int(getattr(result, "rowcount", 0) or 0)
