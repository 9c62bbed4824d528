"""TOTP second factor: enrollment with a QR code, code checks with a replay guard, recovery codes.

Mandatory for operators, optional for players. A code is accepted once (the last used
time step is stored); at most 5 attempts per 5 minutes count, even when the sixth is right.
The secret is sealed in `users.totp_secret_enc`; recovery codes are stored as argon2id hashes.
A player manages their own factor (`player.account`, their session checked for step-ups);
`check_code` and `confirm_first_code` serve the sign-in flows, which have no actor yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidCode, InvalidInput, PermissionDenied, TooManyAttempts
from casino_app.domain.identity import throttle as rules
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.tables import RecoveryCode, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.identity.accounts import users
from casino_app.services.identity.credentials import passwords, throttle
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.security import audit, crypto

_USERS = User.__table__  # type: ignore[attr-defined]
_CODES = RecoveryCode.__table__  # type: ignore[attr-defined]
WRONG_CODE = "That code is not right, has expired or was already used."
SECRET, PENDING = "totp_secret_enc", "totp_pending_enc"


@dataclass(frozen=True)
class Enrollment:
    secret: str
    uri: str
    qr_svg_data_uri: str


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int


def qr_data_uri(uri: str) -> str:
    """The otpauth URI as a QR code: an SVG rendered here, as a data: URI for an <img>."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000000", light="#ffffff"))


def _audit(session: Session, user: User, action: str, now: datetime, **details: object) -> None:
    audit.record(
        session,
        actor=users.audit_name(user),
        action=action,
        subject=f"user:{user.id}",
        details=details,
        now=now,
    )


# --- enrollment -------------------------------------------------------------------------------


@authz.guard("player.account")
def begin_enrollment(uow: UnitOfWork, actor: Actor, now: datetime) -> Enrollment:
    """Make the player a new pending secret (labelled with their email); it counts after a first code.

    Raises:
        InvalidInput: TOTP is already on.
    """
    return new_pending_secret(uow, actor.player_id(), now)


def new_pending_secret(uow: UnitOfWork, user_id: int, now: datetime) -> Enrollment:
    """A new pending secret for `user_id`, replacing any earlier one (an operator's first sign-in too).

    Raises:
        InvalidInput: TOTP is already on.
    """
    with uow:
        user = users.load(uow.session, user_id)
        if user.totp_enabled_at is not None:
            raise InvalidInput("Two-step verification is already on.")
        secret = totp.new_secret()
        crypto.seal_column(uow.context.keys, user, PENDING, secret)
        label = users.email_of(uow.context.keys, user)
        uow.session.add(user)
        uow.commit()
    uri = totp.provisioning_uri(secret, label)
    return Enrollment(secret, uri, qr_data_uri(uri))


@authz.guard("player.account")
def confirm_enrollment(uow: UnitOfWork, actor: Actor, code: str, now: datetime) -> tuple[str, ...]:
    """Turn the player's TOTP on with a first valid code; returns the 10 recovery codes (shown once).

    Raises:
        InvalidCode: wrong code or no pending enrollment.
        TooManyAttempts: more than 5 attempts in 5 minutes.
    """
    return confirm_first_code(uow, actor.player_id(), code, now)


def confirm_first_code(uow: UnitOfWork, user_id: int, code: str, now: datetime) -> tuple[str, ...]:
    """Turn TOTP on for `user_id` with a first code of the pending secret (enrollment, sign-in)."""
    _count_attempt(uow, user_id, now)
    with uow:
        user = users.load(uow.session, user_id)
        pending = crypto.open_column(uow.context.keys, user, PENDING)
        step = totp.match_step(pending, totp.clean_code(code), now, None) if pending else None
        if step is None:
            raise InvalidCode(WRONG_CODE)
        crypto.seal_column(uow.context.keys, user, SECRET, pending)
        user.totp_pending_enc = None
        user.totp_enabled_at, user.totp_last_step = now, step
        uow.session.add(user)
        codes = _replace_recovery_codes(uow.session, user_id, now)
        _audit(uow.session, user, "mfa.enroll", now)
        uow.commit()
    return codes


def _replace_recovery_codes(session: Session, user_id: int, now: datetime) -> tuple[str, ...]:
    session.execute(sa.delete(_CODES).where(_CODES.c.user_id == user_id))
    codes = tuple(totp.new_recovery_codes())
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=passwords.hash_secret(code), created_at=now))
    return codes


# --- checking codes ----------------------------------------------------------------------------


def _count_attempt(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    """Count one code attempt (committed on its own); refuse beyond 5 in 5 minutes."""
    key = throttle.code_key(user_id)
    with uow:
        counter = rules.current(throttle.lock(uow.session, key), rules.CODE_WINDOW, now)
        if rules.code_attempts_left(counter, now) <= 0:
            first = counter.first_failure_at or now
            wait = max(int((first + rules.CODE_WINDOW - now).total_seconds()) + 1, 1)
            raise TooManyAttempts(f"Too many codes entered. {rules.retry_text(wait)}", retry_after=wait)
        throttle.store(uow.session, key, rules.add_failure(counter, rules.CODE_WINDOW, now))
        uow.commit()


def check_code(uow: UnitOfWork, user_id: int, code: str, now: datetime) -> str:
    """Check a TOTP or recovery code of `user_id` and spend it; returns "totp" or "recovery".

    For the sign-in and unlock flows (and the actor services below). Every attempt counts
    toward the limit; a failure is audited.

    Raises:
        TooManyAttempts: the 5-per-5-minutes limit is reached (even for a right code).
        InvalidCode: wrong, expired, replayed or already used code, or TOTP is off.
    """
    _count_attempt(uow, user_id, now)
    with uow:
        user = users.load(uow.session, user_id)
        method = _spend_code(uow, user, code, now) if user.totp_enabled_at else ""
        if method:
            if method == "recovery":
                _audit(uow.session, user, "mfa.recovery_code_used", now)
            uow.commit()
            return method
    with uow:
        _audit(uow.session, users.load(uow.session, user_id), "mfa.code_failed", now)
        uow.commit()
    raise InvalidCode(WRONG_CODE)


def _spend_code(uow: UnitOfWork, user: User, code: str, now: datetime) -> str:
    digits = totp.clean_code(code)
    if digits:
        secret = crypto.open_column(uow.context.keys, user, SECRET)
        step = totp.match_step(secret, digits, now, user.totp_last_step)
        return "totp" if step is not None and _spend_step(uow.session, user, step) else ""
    recovery = totp.clean_recovery_code(code)
    return "recovery" if recovery and _spend_recovery(uow.session, user, recovery, now) else ""


def _spend_step(session: Session, user: User, step: int) -> bool:
    """Store the step as the last used one; False when a concurrent request used it first."""
    result = session.execute(
        sa.update(_USERS)
        .where(
            _USERS.c.id == user.id,
            sa.or_(_USERS.c.totp_last_step.is_(None), _USERS.c.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def _spend_recovery(session: Session, user: User, code: str, now: datetime) -> bool:
    rows = session.exec(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None))
    ).all()
    for row in rows:
        if passwords.verify(code, row.code_hash):
            result = session.execute(
                sa.update(_CODES).where(_CODES.c.id == row.id, _CODES.c.used_at.is_(None)).values(used_at=now)
            )
            return int(getattr(result, "rowcount", 0) or 0) == 1
    return False


# --- the player's own factor ----------------------------------------------------------------------


@authz.guard("player.account")
def step_up(uow: UnitOfWork, actor: Actor, code: str, now: datetime) -> str:
    """Confirm a sensitive action with a code; the actor's session counts as stepped up for 5 minutes.

    Raises:
        PermissionDenied: the session is not the actor's. InvalidCode, TooManyAttempts.
    """
    return _step_up_session(uow, actor, actor.player_id(), code, now)


@authz.guard("ops.dashboard.view")
def confirm_operator_code(uow: UnitOfWork, actor: Actor, code: str, now: datetime) -> str:
    """An operator confirms a sensitive back-office action (paying a withdrawal) with a fresh code.

    The operator's own session counts as stepped up for 5 minutes, as a player's does.

    Raises:
        PermissionDenied: not an operator, or the session is not theirs. InvalidCode, TooManyAttempts.
    """
    return _step_up_session(uow, actor, actor.person_id(), code, now)


def _step_up_session(uow: UnitOfWork, actor: Actor, user_id: int, code: str, now: datetime) -> str:
    with uow.reader() as r:
        session_id = sessions.own_session(r.session, actor).id
    assert session_id is not None
    method = check_code(uow, user_id, code, now)
    with uow:
        sessions.record_step_up(uow.session, session_id, now)
        uow.commit()
    return method


@authz.guard("player.account")
def disable(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    """Turn the player's TOTP off, after a step-up in their session.

    Raises:
        StepUpRequired: no code entered in the last 5 minutes.
        InvalidInput: back-office accounts must keep TOTP.
    """
    sessions.require_step_up(uow, actor, now)
    with uow:
        user = users.load(uow.session, actor.player_id())
        if user.role != Role.PLAYER:
            raise InvalidInput("Back-office accounts must keep two-step verification.")
        user.totp_secret_enc = user.totp_pending_enc = None
        user.totp_enabled_at = None
        uow.session.add(user)
        uow.session.execute(sa.delete(_CODES).where(_CODES.c.user_id == user.id))
        _audit(uow.session, user, "mfa.disable", now)
        uow.commit()


@authz.guard("player.account")
def regenerate_recovery_codes(uow: UnitOfWork, actor: Actor, now: datetime) -> tuple[str, ...]:
    """Replace all of the player's recovery codes (step-up required); returns the new ones, shown once."""
    sessions.require_step_up(uow, actor, now)
    with uow:
        user = users.load(uow.session, actor.player_id())
        if user.totp_enabled_at is None:
            raise InvalidInput("Turn on two-step verification first.")
        assert user.id is not None
        codes = _replace_recovery_codes(uow.session, user.id, now)
        _audit(uow.session, user, "mfa.recovery_codes_regenerated", now)
        uow.commit()
    return codes


@authz.guard("player.account")
def status(uow: UnitOfWork, actor: Actor) -> MfaStatus:
    """Whether the player's TOTP is on, and how many recovery codes are left."""
    with uow.reader() as r:
        return status_of(r.session, actor.player_id())


def status_of(session: Session, user_id: int) -> MfaStatus:
    """`status` of a user, read in the caller's session (the account page's view)."""
    user = users.load(session, user_id)
    left = session.exec(
        select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
    ).one()
    return MfaStatus(user.totp_enabled_at is not None, user.totp_enabled_at, int(left))


# --- the demo seed ------------------------------------------------------------------------------


def seeded_secret(uow: UnitOfWork, user_id: int) -> str:
    """The TOTP secret of a user, in demo mode only (the CLI prints the demo operator's).

    Raises:
        PermissionDenied: not in demo mode.
    """
    if not uow.context.settings.demo_mode:
        raise PermissionDenied("TOTP secrets are only shown in demo mode.")
    with uow.reader() as r:
        return crypto.open_column(uow.context.keys, users.load(r.session, user_id), SECRET)


def enroll_demo_secret(uow: UnitOfWork, user_id: int, secret: str, now: datetime) -> None:
    """Turn TOTP on with a given secret, no code needed (the demo seed only)."""
    with uow:
        user = users.load(uow.session, user_id)
        crypto.seal_column(uow.context.keys, user, SECRET, secret)
        user.totp_enabled_at = now
        user.totp_last_step = None
        uow.session.add(user)
        _audit(uow.session, user, "mfa.enroll", now, via="demo_seed")
        uow.commit()
