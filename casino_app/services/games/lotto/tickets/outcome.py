"""A lotto ticket's outcome as every reader shows it, the same before and after its row is written.

A draw's settlement transaction pays its prize tickets and marks it SETTLED; its losing
tickets are written lost just after, in steps of their own (draw_results.record_outcomes).
In between, a ticket still pending in a settled draw has lost, and the ticket page, history,
API, ticket checker and receipt show it so: lost, its hits per line, settled when the draw
was. Once its row is written, the row says the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from casino_app.domain.games import lotto as rules
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.vocabulary import BetStatus, RoundStatus
from casino_app.persistence.tables import Bet, Round
from casino_app.services.common import parse_numbers


@dataclass(frozen=True)
class TicketOutcome:
    status: str
    result: str  # hits per line, "3,0,1"; empty while the draw is to come
    settled_at: datetime | None


def outcome_of(bet: Bet, draw: Round) -> TicketOutcome:
    """The ticket's status, hits and settlement time in this draw."""
    if bet.status == BetStatus.PENDING and draw.status == RoundStatus.SETTLED:
        hits = prizes.hits_summary(rules.parse_lines(bet.selection), parse_numbers(draw.outcome or ""))
        return TicketOutcome(BetStatus.LOSE, hits, draw.settled_at)
    return TicketOutcome(bet.status, bet.result, bet.settled_at)
