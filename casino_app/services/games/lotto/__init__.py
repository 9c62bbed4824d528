"""Lotto on the bet engine.

tickets.py       the catalogue view, one-line ticket purchase (a bet on a draw round), history
ticket_purchase.py  tickets of several lines (quick pick per line) for several draws, one bet per draw
ticket_views.py  a ticket as the player sees it (its lines and draws), the player's tickets paged
draws.py         the draw cycle: schedule, close sales, draw, settle (run by the scheduler)
draw_queries.py  the draw now selling, upcoming draws, results
draw_record.py   a draw's write-once record: sealed seed, ticket root at close, the draw itself
draw_settlement.py  a drawn draw's money settled in one transaction (the steps below, in order)
draw_classification.py, draw_sql.py  prize tickets found by an SQL scan, the losers written lost
jackpot.py       the progressive jackpot on the ledger, a draw's settlement figures
draw_results.py  the draw marked settled; then its losing tickets written, one notice per player
ticket_outcome.py  a ticket's status and hits as readers show them (lost once its draw is settled)
cancellation.py  a cancelled draw: every stake refunded by reversal, audited
draw_ops.py, results.py, proofs.py  operator draw pages, public results, inclusion proofs
"""

from casino_app.services.games.lotto.tickets import (
    PlaceLottoTicket,
    game_view,
    list_games,
    lotto_rules,
    place_lotto_ticket,
    ticket_history,
)

__all__ = [
    "PlaceLottoTicket",
    "game_view",
    "list_games",
    "lotto_rules",
    "place_lotto_ticket",
    "ticket_history",
]
