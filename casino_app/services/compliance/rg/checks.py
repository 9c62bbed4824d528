"""Responsible gaming outside the bet engine: deposits, sign-in, registration, offers.

Each is one call the owning service makes inside its own transaction (the bet engine runs
the same rules as a pre-debit check, domain/compliance/checks.py):

- `check_deposit`: before the payment provider is called, under the player's lock;
- `admit_sign_in`: refuses a player on a time-out or exclusion, else begins the play session;
- `refuse_excluded_registration`: a new account with an excluded email or phone;
- `may_receive_offers`: marketing and bonus offers stop during a block.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casino_app.config import Settings
from casino_app.domain.compliance import exclusion
from casino_app.domain.compliance import limits as rules
from casino_app.domain.compliance.profiles import profile_for
from casino_app.domain.compliance.vocabulary import LimitKind
from casino_app.domain.errors import SelfExcluded
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.tables import RgPlayer, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg import sessions, state
from casino_app.services.compliance.rg.exclusion import identifiers


def check_deposit(
    uow: UnitOfWork, user_id: int, amount_minor: int, currency: str, now: datetime | None = None
) -> None:
    """Refuse a deposit of a blocked player, or one over a deposit limit (gross deposits count).

    Call it inside the deposit's transaction, before the attempt is recorded and before the
    provider is called: it takes the player's lock, so parallel deposits are counted one by one.

    Raises:
        TimedOut, SelfExcluded: a block is in force (with the dates and helplines).
        LimitExceeded: the deposit would go over a deposit limit in force.
        NotFound: no such player.
    """
    s = uow.session
    now = now or uow.context.clock.now()
    user = state.lock_player(s, user_id)
    profile = state.profile_of(uow.context.settings, user.country)
    exclusion.refuse_if_blocked(state.block_of(s.get(RgPlayer, user_id)), now, profile, "deposit")
    limits = state.wallet_limits(s, user_id, currency)
    if not limits.any_of((LimitKind.DEPOSIT,)):
        return
    usage = rules.Usage(deposited=state.deposited(s, user_id, currency, now))
    rules.check_deposit(limits, usage, amount_minor, currency)


def refuse_blocked(s: Session, user: User, now: datetime, settings: Settings, activity: str) -> None:
    """Raises `TimedOut` or `SelfExcluded` while the player's block is in force."""
    if user.role != Role.PLAYER or user.id is None:
        return
    profile = state.profile_of(settings, user.country)
    exclusion.refuse_if_blocked(state.block_of(s.get(RgPlayer, user.id)), now, profile, activity)


def admit_sign_in(s: Session, user: User, now: datetime, settings: Settings) -> None:
    """At sign-in (before the new session exists): refuse a blocked player, else begin play.

    Raises:
        TimedOut, SelfExcluded: the player may not sign in until the block ends.
    """
    if user.role != Role.PLAYER:
        return
    refuse_blocked(s, user, now, settings, "sign in")
    sessions.begin_on_sign_in(s, user, now, settings)


def refuse_excluded_registration(
    uow: UnitOfWork, email: str, phone: str, country: str, now: datetime
) -> None:
    """Refuse a registration whose normalized email or phone belongs to a block in force.

    Raises:
        SelfExcluded: naming when registration is possible again and the helplines.
    """
    blocked, until = identifiers.blocked_until(uow.session, uow.context.keys, email, phone, now)
    if not blocked:
        return
    profile = profile_for(country, uow.context.settings.rg_profile)
    when = f"until {until:%d %b %Y}" if until is not None else "permanently"
    help_text = f" If you need to talk to someone: {profile.contacts}." if profile.contacts else ""
    raise SelfExcluded(
        f"This email address or phone number is excluded from gambling with us {when}, "
        f"so no new account can be opened with it.{help_text}"
    )


def may_receive_offers(s: Session, user_id: int, now: datetime) -> bool:
    """Marketing and bonus offers go only to players without a time-out or exclusion in force."""
    return not state.block_of(s.get(RgPlayer, user_id)).active(now)
