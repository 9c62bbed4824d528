"""A drawn lotto draw settled in one transaction: classified, figures fixed, prize tickets paid.

`settle_draw` runs, in one database transaction, in this order:

1. the draw is claimed (PostgreSQL: its row locked; it must still be DRAWN, else nothing);
2. every line is classified in one scan that reads the prize tickets (classification.py:
   an SQL expression finds the tickets with a line in a prize tier, Python classifies each);
3. the figures and the jackpot transfer are fixed (jackpot.py), unless an earlier release
   already fixed them for this draw;
4. the bet engine pays the prize tickets set-based (`settlement.settle_all_in`: their
   `win:<bet id>` postings, the bets updated);
5. the draw is marked SETTLED (recording.py).

All or nothing: a settlement interrupted anywhere leaves the draw DRAWN with no ticket
settled and no posting, and the next pass settles it whole, so nobody is paid twice (and a
win's key is its bet's id besides). The money of a losing ticket went to the house when it
was bought, so nothing is posted for it: once the draw is SETTLED, `draw_results.record_outcomes`
writes the other tickets lost and notes the players, in steps of their own that repeat
harmlessly. docs/LEDGER.md, "Settlement".
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from casino_app.domain.games.vocabulary import RoundStatus
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import DrawSettlement, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto.settlement import classification, jackpot
from casino_app.services.games.lotto.settlement import recording as draw_results

_ROUNDS = Round.__table__  # type: ignore[attr-defined]


@retry_transient
def settle_draw(uow: UnitOfWork, lines: classification.DrawLines, game: GameFacts, now: datetime) -> int:
    """Settle one drawn draw's money whole; returns how many prize tickets this call paid (0 also
    when the draw was not DRAWN)."""
    with uow:
        s = uow.session
        if not _claimed(uow, lines.draw_id):
            uow.rollback()
            return 0
        prize = classification.prize_candidates(s, lines)
        figures = jackpot.settlement_of(s, lines.draw_id) or jackpot.fix_figures_in(
            uow, lines.draw_id, game, lines.table, prize, now
        )
        settlement.settle_all_in(uow, _decided(game, prize, figures), now)
        draw_results.mark_settled_in(uow, lines.draw_id, now)
        uow.commit()
        return len(prize)


def draw_lines(draw_id: int, game: GameFacts, numbers: list[int]) -> classification.DrawLines:
    """What classifying the draw needs: its numbers, the game's prize table and line limit."""
    return classification.DrawLines(
        draw_id, tuple(numbers), jackpot.prize_table(game), int(game.rules.get("max_lines") or 1)
    )


def _claimed(uow: UnitOfWork, draw_id: int) -> bool:
    """Whether the draw is still DRAWN; on PostgreSQL its row stays locked until the commit, so a
    second worker waits, then finds it settled."""
    query = sa.select(_ROUNDS.c.status).where(_ROUNDS.c.id == draw_id)
    if uow.dialect == "postgresql":
        query = query.with_for_update()
    return uow.session.execute(query).scalar() == RoundStatus.DRAWN


def _decided(
    game: GameFacts, tickets: list[classification.PrizeTicket], figures: DrawSettlement
) -> list[tuple[settlement.PendingBet, settlement.Outcome]]:
    """Each prize ticket as the engine pays it: its lines' fixed prizes plus its jackpot part."""
    shares = {int(b): int(a) for b, a in json.loads(figures.jackpot_shares or "{}").items()}
    return [
        (
            settlement.PendingBet(
                t.id,
                t.user_id,
                t.public_id,
                game.code,
                game.version,
                t.currency,
                t.stake,
                t.stake_bonus,
                t.selection,
            ),
            settlement.Outcome(sum(line.fixed_win for line in t.lines) + shares.get(t.id, 0), result=t.hits),
        )
        for t in tickets
    ]
