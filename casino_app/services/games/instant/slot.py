"""The 5-reel slot on the bet engine: a spin, its free spins one by one, the server's pace.

A spin is decided whole at the stake (base spin and any free spins it triggers, from one
stream); the player is shown the free spins one at a time (`free_spin`), at least the
profile's interval apart (`settings.slot_spin_interval_ms`, RTS 14E), and the last one settles
the round. No autoplay, no turbo: every spin is one request from the player.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from casino_app.domain.games import slot as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.instant import info, play, steps
from casino_app.services.games.instant.specs import SLOT_CODE
from casino_app.services.games.instant.views import GameInfo, RoundView


@dataclass(frozen=True)
class SpinSlot:
    stake_minor: int
    request_id: str
    commitment: str | None = None  # the seed commitment the player was shown
    version: int | None = None  # the game version whose rules the player was shown


def slot_rules(game: GameFacts) -> rules.SlotRules:
    return rules.rules_from(game.rules)


def slot_info(uow: UnitOfWork) -> GameInfo:
    """Strips, paylines, paytable and the exact RTP of the current version."""
    game = catalog.game_facts(uow, SLOT_CODE)
    return info.game_info(game, rules.exact_rtp(slot_rules(game)))


def _spin_record(spin: rules.Spin, win: int) -> dict[str, Any]:
    return {
        "stops": list(spin.stops),
        "window": [list(reel) for reel in spin.window],
        "lines": [[w.line, w.symbol, w.count, w.pays] for w in spin.line_wins],
        "scatters": spin.scatters,
        "scatter_pays": spin.scatter_pays,
        "multiplier": spin.multiplier,
        "win": win,
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary(spin: rules.Spin, free_spins: int = 0) -> str:
    """ "2 winning lines, 3 stars, 10 free spins", or "no win"."""
    parts = [_plural(len(spin.line_wins), "winning line")] if spin.line_wins else []
    if spin.scatters:
        parts.append(_plural(spin.scatters, "star"))
    if free_spins:
        parts.append(_plural(free_spins, "free spin"))
    return ", ".join(parts) or "no win"


def _decide(r: rules.SlotRules, stake: int) -> play.Decide:
    lines = len(r.lines)

    def decide(stream: Iterator[int]) -> play.Decided:
        played = rules.play_round(r, stream)
        spins = (played.base, *played.free)
        wins = tuple(rules.win_amount(r, stake, s.units(lines)) for s in spins)
        result = summary(played.base, len(played.free))
        outcome = {
            "spins": [_spin_record(s, w) for s, w in zip(spins, wins, strict=True)],
            "free_spins": len(played.free),
            "result": result,
        }
        return play.Decided(outcome, result, wins)

    return decide


@authz.guard("player.play")
def spin(uow: UnitOfWork, actor: Actor, cmd: SpinSlot, now: datetime) -> RoundView:
    """One spin (the whole round is decided now; free spins are then shown one by one).

    Raises:
        SpinTooSoon: sooner than the minimum interval after the previous spin.
        RoundInProgress: free spins of the previous round are still waiting.
        The engine's and the seed pair's errors (InvalidAmount, InsufficientFunds ...).
    """
    game = catalog.game_facts(uow, SLOT_CODE, cmd.version)
    r = slot_rules(game)
    request = play.InstantPlay(
        game,
        cmd.stake_minor,
        f"lines:{len(r.lines)}",
        {"lines": len(r.lines)},
        cmd.request_id,
        cmd.commitment,
        min_interval_ms=uow.context.settings.slot_spin_interval_ms,
        stepped=True,
    )
    return play.play_round(uow, actor, request, _decide(r, cmd.stake_minor), now)


@authz.guard("player.play")
def free_spin(uow: UnitOfWork, actor: Actor, step: int, now: datetime) -> RoundView:
    """Show free spin `step` (2 = the first free spin, as the base spin is step 1).

    Raises:
        NotFound: no unfinished round. SpinTooSoon: the pace. InvalidInput: a step out of order.
    """
    interval = uow.context.settings.slot_spin_interval_ms
    return steps.advance(uow, actor, SLOT_CODE, int(step), interval, now)
