"""Lotto on the bet engine, grouped by capability.

tickets/     what a player buys and sees: purchase, views, outcomes, inclusion proofs
draws/       the draw's write-once record, the cycle that drives it, cancellation, public results
settlement/  a drawn draw's money in one transaction, the jackpot, then its bookkeeping
"""

from casino_app.services.games.lotto.tickets.catalogue import (
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
