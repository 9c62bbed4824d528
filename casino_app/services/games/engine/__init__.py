"""The bet engine under every game: `place_stake`, `settle`, `void` (docs/ARCHITECTURE.md).

stake.py       place_stake / place_stake_in: checks, funding split, debit, bet row, one transaction
settlement.py  settle_in / settle_all_in / settle_round (set-based), void_bet / void_round (reversals)
wins.py        the ledger transactions of wins (key win:<bet id>, cash and bonus as the stake was funded)
rounds.py      open and finish instant rounds inside a game's transaction
facts.py       the database facts pre-debit checks ask for, loaded under the player's lock
"""

from casino_app.persistence.stakes import PlacedStake
from casino_app.services.games.engine.rounds import finish_round_in, open_round_in
from casino_app.services.games.engine.settlement import (
    Outcome,
    Payout,
    PendingBet,
    SettledBet,
    pending_bets,
    placed_bet,
    settle_batch,
    settle_in,
    settle_round,
    void_bet,
    void_in,
    void_round,
)
from casino_app.services.games.engine.stake import (
    Stake,
    house_code,
    new_public_id,
    place_stake,
    place_stake_in,
)

__all__ = [
    "Outcome",
    "Payout",
    "PendingBet",
    "PlacedStake",
    "SettledBet",
    "Stake",
    "finish_round_in",
    "house_code",
    "new_public_id",
    "open_round_in",
    "pending_bets",
    "place_stake",
    "place_stake_in",
    "placed_bet",
    "settle_batch",
    "settle_in",
    "settle_round",
    "void_bet",
    "void_in",
    "void_round",
]
