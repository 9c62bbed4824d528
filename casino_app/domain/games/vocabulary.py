"""The bet engine's vocabulary: game kinds, rounds, bets and their allowed transitions."""

from __future__ import annotations

from enum import StrEnum

from casino_app.domain.vocabulary import Transitions


class GameKind(StrEnum):
    LOTTO = "lotto"
    INSTANT = "instant"  # dice, roulette, slots: one round per play
    PROVIDER = "provider"  # rounds run by an external game provider


class RoundStatus(StrEnum):
    SCHEDULED = "scheduled"  # a planned draw: committed to its seed, not selling yet
    OPEN = "open"  # taking bets
    CLOSED = "closed"  # no more bets; the outcome is not known yet
    DRAWN = "drawn"  # outcome known, bets not all settled
    SETTLED = "settled"
    VOID = "void"  # cancelled: every bet refunded (a cancelled draw is void)


CANCELLED = RoundStatus.VOID  # the lifecycle's CANCELLED is stored as "void"


class BetStatus(StrEnum):
    PENDING = "pending"
    WIN = "win"
    LOSE = "lose"
    PUSH = "push"  # the stake comes back, nothing more
    VOID = "void"  # the stake is refunded by a reversing posting


ROUND_TRANSITIONS: Transitions[RoundStatus] = Transitions(
    "round",
    {
        RoundStatus.SCHEDULED: frozenset({RoundStatus.OPEN, RoundStatus.VOID}),
        RoundStatus.OPEN: frozenset({RoundStatus.CLOSED, RoundStatus.SETTLED, RoundStatus.VOID}),
        RoundStatus.CLOSED: frozenset({RoundStatus.DRAWN, RoundStatus.VOID}),
        RoundStatus.DRAWN: frozenset({RoundStatus.SETTLED}),
    },
)

_SETTLED = frozenset({BetStatus.WIN, BetStatus.LOSE, BetStatus.PUSH, BetStatus.VOID})
BET_TRANSITIONS: Transitions[BetStatus] = Transitions("bet", {BetStatus.PENDING: _SETTLED})

# Rounds whose bets may still change; the others are final.
LIVE_ROUNDS = frozenset({RoundStatus.SCHEDULED, RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.DRAWN})


class SeedPairStatus(StrEnum):
    """A player's provably fair seed pair: in play (server seed sealed), or rotated out and revealed."""

    ACTIVE = "active"
    REVEALED = "revealed"
