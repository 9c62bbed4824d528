"""Pre-debit checks: the rules a stake must pass, run inside the stake's own transaction.

One registry (`StakeChecks`), built by the wiring. Each check is a pure function of the
`StakeFacts` it is given and raises a typed domain error to refuse the stake. A check that
needs facts from the database (the player's status, limits, exclusions, KYC level ...) names
them in `needs`; the bet engine then loads those facts in the stake transaction, under a lock
on the player's row, so two parallel stakes cannot both slip under a limit. When no registered
check needs database facts, the stake stays a single statement on PostgreSQL.

Responsible gaming, KYC, jurisdiction and bonus max-bet rules plug in here
(docs/ARCHITECTURE.md, "Adding a compliance check").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from casino_app.domain.errors import CurrencyMismatch, InvalidAmount, PermissionDenied
from casino_app.domain.identity.vocabulary import UserStatus
from casino_app.domain.money.amounts import Money, format_money

T = TypeVar("T")
PLAYER = "player"  # the fact group with the player's account state


@dataclass(frozen=True)
class PlayerFacts:
    """The player's account as the stake transaction sees it (row locked)."""

    user_id: int
    status: str
    country: str
    currency: str
    email_verified: bool


@dataclass(frozen=True)
class StakeFacts:
    """Everything a check may look at; database facts only when a check asked for them."""

    user_id: int
    game_code: str
    game_kind: str
    game_version: int
    round_id: int
    currency: str
    stake: int
    min_stake: int
    max_stake: int
    now: datetime
    loaded: Mapping[str, Any] = field(default_factory=dict)

    def fact(self, name: str, kind: type[T]) -> T:
        """A loaded fact group; a check that did not declare it in `needs` gets a clear error."""
        value = self.loaded.get(name)
        if not isinstance(value, kind):
            raise LookupError(f"stake fact {name!r} was not loaded: declare it in the check's `needs`")
        return value


@dataclass(frozen=True)
class StakeCheck:
    name: str
    run: Callable[[StakeFacts], None]
    needs: frozenset[str] = frozenset()


class StakeChecks:
    """The ordered registry of checks every stake passes."""

    def __init__(self, checks: Iterable[StakeCheck] = ()) -> None:
        self.checks: tuple[StakeCheck, ...] = tuple(checks)
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate stake checks: {names}")

    def plus(self, *checks: StakeCheck) -> StakeChecks:
        """A new registry with `checks` appended (the wiring and tests compose registries)."""
        return StakeChecks((*self.checks, *checks))

    @property
    def needs(self) -> frozenset[str]:
        return frozenset().union(*(c.needs for c in self.checks)) if self.checks else frozenset()

    def run(self, facts: StakeFacts) -> None:
        for check in self.checks:
            check.run(facts)


def _money(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def stake_within_game_limits(facts: StakeFacts) -> None:
    """Minimum stake and precision (a stake that rounds to zero is refused), and the maximum."""
    if facts.stake <= 0:
        raise InvalidAmount("The stake must be greater than zero.")
    if facts.stake < facts.min_stake:
        raise InvalidAmount(f"The minimum stake for this game is {_money(facts.min_stake, facts.currency)}.")
    if facts.stake > facts.max_stake:
        raise InvalidAmount(f"The maximum stake for this game is {_money(facts.max_stake, facts.currency)}.")


def player_may_bet(facts: StakeFacts) -> None:
    """Only an active account in the stake's currency bets."""
    player = facts.fact(PLAYER, PlayerFacts)
    if player.status != UserStatus.ACTIVE:
        raise PermissionDenied("This account cannot place bets.")
    if player.currency != facts.currency:
        raise CurrencyMismatch(f"Your wallet is in {player.currency}; this game plays in {facts.currency}.")


GAME_LIMITS = StakeCheck("game_limits", stake_within_game_limits)
PLAYER_MAY_BET = StakeCheck("player_may_bet", player_may_bet, frozenset({PLAYER}))


def default_checks() -> StakeChecks:
    """The checks of a standard deployment (the wiring adds profile-specific ones)."""
    return StakeChecks([GAME_LIMITS])
