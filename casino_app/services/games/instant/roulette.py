"""European roulette on the bet engine: a spin with up to 15 bets is one bet and one round."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from casino_app.domain.games import roulette as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.instant import info, play
from casino_app.services.games.instant.specs import ROULETTE_CODE
from casino_app.services.games.instant.views import GameInfo, RoundView


@dataclass(frozen=True)
class SpinRoulette:
    bets: tuple[tuple[str, int], ...]  # (spot id, amount in minor units)
    request_id: str
    commitment: str | None = None  # the seed commitment the player was shown
    version: int | None = None  # the game version whose rules the player was shown


def roulette_rules(game: GameFacts) -> rules.RouletteRules:
    return rules.rules_from(game.rules)


def roulette_info(uow: UnitOfWork) -> GameInfo:
    """Rules, table limits and RTP (36/37 on every bet) of the current version."""
    game = catalog.game_facts(uow, ROULETTE_CODE)
    return info.game_info(game, rules.theoretical_rtp("red"))


def _decide(bets: Sequence[rules.RouletteBet]) -> play.Decide:
    def decide(stream: Iterator[int]) -> play.Decided:
        pocket = rules.spin(stream)
        winning = [b.spot for b in bets if rules.bet_return(b, pocket)]
        outcome = {"pocket": pocket, "colour": rules.colour(pocket), "winning": winning}
        return play.Decided(outcome, rules.describe(pocket), (rules.win_amount(bets, pocket),))

    return decide


@authz.guard("player.play")
def spin_wheel(uow: UnitOfWork, actor: Actor, cmd: SpinRoulette, now: datetime) -> RoundView:
    """Spin once with the board's bets: the total is the stake; each winning bet pays by its type.

    Raises:
        InvalidSelection: no bet, too many, an unknown type or pocket, one spot twice.
        InvalidAmount: a bet outside the table limits or a total outside the game's. The engine's
        and the seed pair's errors; nothing is written.
    """
    game = catalog.game_facts(uow, ROULETTE_CODE, cmd.version)
    bets = rules.validate_bets(roulette_rules(game), list(cmd.bets))
    choice = {"bets": [[b.spot, b.amount] for b in bets]}
    request = play.InstantPlay(
        game, sum(b.amount for b in bets), rules.encode(bets), choice, cmd.request_id, cmd.commitment
    )
    return play.play_round(uow, actor, request, _decide(bets), now)
