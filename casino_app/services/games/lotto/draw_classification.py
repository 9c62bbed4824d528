"""Every line of a drawn draw's pending tickets classified in one statement; the losing tickets settled there.

One UPDATE writes each pending ticket's result, its hits per line ("3,0,1", the string the
engine's payout writes too), and settles every ticket without a prize line as lost, with no
win and no posting. The tickets that have a prize line stay pending: the bet engine pays them
afterwards, batch by batch, with their ledger postings (engine/settlement.py). The statement
runs in the caller's transaction, the one that fixes the draw's figures, so a settlement
interrupted before its commit has settled nobody.

- PostgreSQL: the pending tickets are read once, their hits counted in Python, and one UPDATE
  joins the three arrays (ids, hits, prize or not) through `unnest`.
- SQLite: the UPDATE calls a Python function registered on the connection
  (`prizes.hits_summary`).

Both give what `prizes.hits_summary` gives (tests/integration/test_draw_classification.py), and
the prize rule itself (which tiers pay) comes from the prize table, never from the SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.lotto import parse_lines
from casino_app.domain.games.vocabulary import BetStatus
from casino_app.persistence.tables import Bet
from casino_app.persistence.types import UtcDateTime

_BETS = Bet.__table__  # type: ignore[attr-defined]

_PG_CLASSIFY = """
UPDATE bets SET result = v.hits,
  status = CASE WHEN v.prize THEN 'pending' ELSE 'lose' END,
  settled_at = CASE WHEN v.prize THEN NULL ELSE :now END
FROM unnest(CAST(:ids AS bigint[]), CAST(:hits AS text[]), CAST(:prize AS boolean[])) AS v(id, hits, prize)
WHERE bets.id = v.id AND bets.status = 'pending'
"""

_SQLITE_CLASSIFY = """
UPDATE bets SET result = kl_lotto_hits(selection),
  status = CASE WHEN kl_lotto_prize(selection) THEN 'pending' ELSE 'lose' END,
  settled_at = CASE WHEN kl_lotto_prize(selection) THEN NULL ELSE :now END
WHERE round_id = :draw AND status = 'pending'
"""


@dataclass(frozen=True)
class PrizeTicket:
    """A pending ticket with at least one prize line, classified line by line."""

    id: int
    public_id: str
    user_id: int
    stake: int
    lines: list[prizes.LineResult]


def settle_losers(
    session: Session, draw_id: int, table: prizes.PrizeTable, numbers: Sequence[int], now: datetime
) -> int:
    """Write every pending ticket's hits and settle the ones without a prize line.

    Returns how many pending tickets were classified; those left pending are `prize_tickets`.
    """
    tiers = frozenset(table.tiers())
    if session.get_bind().dialect.name == "postgresql":
        params = _classified(session, draw_id, numbers, tiers)
        result = session.execute(_at(_PG_CLASSIFY), {**params, "now": now})
    else:
        _register(session, tuple(numbers), tiers)
        result = session.execute(_at(_SQLITE_CLASSIFY), {"draw": draw_id, "now": now})
    return int(getattr(result, "rowcount", 0) or 0)


def _classified(
    session: Session, draw_id: int, numbers: Sequence[int], tiers: frozenset[int]
) -> dict[str, list[Any]]:
    """Every pending ticket's id, hits and whether a line is in a prize tier, as three arrays.

    Counting in Python and writing through `unnest` beats counting in SQL, whose per-row
    subqueries (split the lines, split the numbers, aggregate) cost about 25 µs a ticket.
    """
    drawn = frozenset(str(n) for n in numbers)
    ids: list[int] = []
    hits: list[str] = []
    prize: list[bool] = []
    rows = session.execute(
        sa.select(_BETS.c.id, _BETS.c.selection).where(
            _BETS.c.round_id == draw_id, _BETS.c.status == BetStatus.PENDING
        )
    )
    for bet_id, selection in rows:
        counts = [sum(1 for n in line.split(",") if n in drawn) for line in selection.split("|")]
        ids.append(bet_id)
        hits.append(",".join(map(str, counts)))
        prize.append(any(c in tiers for c in counts))
    return {"ids": ids, "hits": hits, "prize": prize}


def prize_tickets(
    session: Session, draw_id: int, table: prizes.PrizeTable, numbers: Sequence[int]
) -> list[PrizeTicket]:
    """The draw's tickets still pending (after `settle_losers`: those with a prize line), classified."""
    rows = session.execute(
        sa.select(_BETS.c.id, _BETS.c.public_id, _BETS.c.user_id, _BETS.c.stake, _BETS.c.selection).where(
            _BETS.c.round_id == draw_id, _BETS.c.status == BetStatus.PENDING
        )
    ).all()
    winning = list(numbers)
    return [
        PrizeTicket(int(i), p, int(u), int(st), prizes.classify(table, parse_lines(sel), int(st), winning))
        for i, p, u, st, sel in rows
    ]


def _at(statement: str) -> sa.TextClause:
    """The statement with `:now` bound as the bets' own column type (stored alike on both engines)."""
    return sa.text(statement).bindparams(sa.bindparam("now", type_=UtcDateTime()))


def _register(session: Session, numbers: tuple[int, ...], tiers: frozenset[int]) -> None:
    """The two SQLite functions of this draw on the session's connection."""
    drawn = frozenset(numbers)

    @lru_cache(maxsize=64)  # the three calls on one row share one classification
    def hits(selection: str) -> str:
        return prizes.hits_summary(parse_lines(selection), drawn)

    def has_prize(selection: str) -> int:
        return int(any(int(h) in tiers for h in hits(selection).split(",") if h))

    raw = session.connection().connection.driver_connection
    assert raw is not None
    raw.create_function("kl_lotto_hits", 1, hits, deterministic=True)
    raw.create_function("kl_lotto_prize", 1, has_prize, deterministic=True)
