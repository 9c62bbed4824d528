"""Dice on the bet engine: validate the target, play the round in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from casino_app.domain.games import dice as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.instant import info, play
from casino_app.services.games.instant.specs import DICE_CODE
from casino_app.services.games.instant.views import GameInfo, RoundView


@dataclass(frozen=True)
class RollDice:
    stake_minor: int
    direction: str  # "under" | "over"
    target: int  # hundredths: 5000 = 50.00
    request_id: str
    commitment: str | None = None  # the seed commitment the player was shown
    version: int | None = None  # the game version whose rules the player was shown


def dice_rules(game: GameFacts) -> rules.DiceRules:
    return rules.rules_from(game.rules)


def dice_info(uow: UnitOfWork) -> GameInfo:
    """Rules and theoretical RTP of the current version (public: shown before the stake)."""
    game = catalog.game_facts(uow, DICE_CODE)
    return info.game_info(game, rules.theoretical_rtp(dice_rules(game)))


def _decide(r: rules.DiceRules, bet: rules.DiceBet, stake: int) -> play.Decide:
    def decide(stream: Iterator[int]) -> play.Decided:
        rolled = rules.roll(stream)
        won = rules.wins(bet, rolled)
        outcome = {"roll": rolled, "shown": rules.describe(rolled), "won": won}
        result = f"{rules.describe(rolled)} {bet.direction.value} {rules.describe(bet.target)}"
        return play.Decided(outcome, result, (rules.win_amount(r, bet, stake, rolled),))

    return decide


@authz.guard("player.play")
def roll(uow: UnitOfWork, actor: Actor, cmd: RollDice, now: datetime) -> RoundView:
    """Roll once: stake, roll, pay, in one transaction; the same request id replays the round.

    Raises:
        InvalidSelection: a direction or target outside the rules. The engine's and the seed pair's
        errors (InvalidAmount, InsufficientFunds, SeedChanged ...); nothing is written.
    """
    game = catalog.game_facts(uow, DICE_CODE, cmd.version)
    r = dice_rules(game)
    bet = rules.validate_bet(r, cmd.direction, cmd.target)
    choice = {"direction": bet.direction.value, "target": bet.target}
    request = play.InstantPlay(
        game,
        cmd.stake_minor,
        f"{bet.direction.value}:{bet.target}",
        choice,
        cmd.request_id,
        cmd.commitment,
    )
    return play.play_round(uow, actor, request, _decide(r, bet, cmd.stake_minor), now)
