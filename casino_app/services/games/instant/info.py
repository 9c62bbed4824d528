"""What a game shows before the stake: its rules, its theoretical RTP and its stake limits."""

from __future__ import annotations

from fractions import Fraction

from casino_app.services.common import money_line
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.instant.views import GameInfo


def percent(rtp: Fraction) -> str:
    """ "96.00%" (two decimals, rounded down: never more than the game returns)."""
    basis = rtp * 10_000 // 1
    return f"{basis // 100}.{basis % 100:02d}%"


def game_info(game: GameFacts, rtp: Fraction) -> GameInfo:
    return GameInfo(
        game.code,
        game.name,
        game.version,
        percent(rtp),
        money_line(game.min_stake, game.currency),
        money_line(game.max_stake, game.currency),
        dict(game.rules),
    )
