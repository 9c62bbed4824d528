"""The responsible-gaming pre-debit check: one entry in the bet engine's registry.

Every stake on every path (lotto tickets, instant rounds, the API, provider debits) passes it
inside the stake's own transaction, on facts loaded under the player's lock
(services/compliance/rg/facts.py). In order: a time-out or exclusion, the session time
limit, a waiting reality check, then the loss and wager limits of the stake's currency.
Wins, refunds and rollbacks never pass through here, so they are always accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casino_app.domain.compliance import exclusion, reality
from casino_app.domain.compliance.limits import Limits, Usage, check_stake
from casino_app.domain.compliance.profiles import profile
from casino_app.domain.games.checks import StakeCheck, StakeFacts

RG = "rg"  # the fact group this check needs


@dataclass(frozen=True)
class RgFacts:
    """The player's responsible-gaming state as the stake transaction sees it."""

    profile: str
    block: exclusion.Block = exclusion.NO_BLOCK
    session: reality.PlaySession = field(default_factory=reality.PlaySession)
    limits: Limits = field(default_factory=Limits)
    usage: Usage = field(default_factory=Usage)


def responsible_gaming(facts: StakeFacts) -> None:
    """Refuse the stake of a blocked player, a finished session, a waiting reality check, or a
    stake over a loss or wager limit (TimedOut, SelfExcluded, SessionLimitReached,
    RealityCheckDue, LimitExceeded)."""
    rg = facts.fact(RG, RgFacts)
    rules = profile(rg.profile)
    exclusion.refuse_if_blocked(rg.block, facts.now, rules, "bet")
    reality.check_play(rg.session, facts.now, rules)
    check_stake(rg.limits, rg.usage, facts.stake, facts.currency)


RESPONSIBLE_GAMING = StakeCheck("responsible_gaming", responsible_gaming, frozenset({RG}))
