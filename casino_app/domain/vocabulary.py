"""What every vocabulary module shares: status machines as data.

Each capability spells its kinds and statuses as `StrEnum`s in its own `vocabulary` module
(`domain/money`, `domain/games`, `domain/payments`, `domain/identity`); allowed status changes
are a `Transitions` table beside them. Database CHECK constraints are generated from the same
enums (`persistence/types.check_in`), and a test proves the migrated schema matches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from casino_app.domain.errors import InvalidTransition

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class Transitions(Generic[S]):
    """The allowed moves of one status machine: state -> the states it may move to."""

    name: str
    allowed: Mapping[S, frozenset[S]]

    def can(self, before: S, after: S) -> bool:
        return after in self.allowed.get(before, frozenset())

    def check(self, before: S, after: S) -> S:
        """Return `after`, or raise `InvalidTransition` naming the refused move."""
        if not self.can(before, after):
            raise InvalidTransition(f"A {self.name} cannot go from {before.value} to {after.value}.")
        return after

    def sources(self, after: S) -> tuple[S, ...]:
        """Every state that may move to `after` (for a conditional `UPDATE ... WHERE status IN`)."""
        return tuple(before for before, targets in self.allowed.items() if after in targets)

    def terminal(self, state: S) -> bool:
        return not self.allowed.get(state)


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of an enum, in declaration order."""
    return tuple(member.value for member in enum)
