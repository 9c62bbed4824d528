"""Lotto on the bet engine.

tickets.py       the catalogue view, one-line ticket purchase (a bet on a draw round), history
ticket_purchase.py  tickets of several lines (quick pick per line) for several draws, one bet per draw
ticket_views.py  a ticket as the player sees it (its lines and draws), the player's tickets paged
draws.py         the draw cycle: schedule, close sales, draw, settle (run by the scheduler)
draw_queries.py  the draw now selling, upcoming draws, results
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
