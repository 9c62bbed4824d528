"""TOTP second factor: enrollment with a QR code, code checks with a replay guard, recovery codes.

Mandatory for operators, optional for players. A code is accepted once (the last used
time step is stored); at most 5 attempts per 5 minutes count, even when the sixth is right.
The secret is sealed in `users.totp_secret_enc`; recovery codes are stored as argon2id hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidCode, InvalidInput, NotFound, TooManyAttempts
from casino_app.domain.identity import throttle as rules
from casino_app.domain.identity import totp
from casino_app.persistence.tables import RecoveryCode, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity import passwords, sessions, throttle
from casino_app.services.security import audit, crypto

_USERS = User.__table__  # type: ignore[attr-defined]
_CODES = RecoveryCode.__table__  # type: ignore[attr-defined]
WRONG_CODE = "That code is not right, has expired or was already used."


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


def actor_of(user: User) -> str:
    return f"{'player' if user.role == 'player' else 'operator'}:{user.id}"


def _seal_secret(user_id: int, column: str, secret: str) -> str:
    return crypto.seal(secret, table="users", column=column, row_id=user_id)


def _secret(user: User, column: str = "totp_secret_enc") -> str:
    token = getattr(user, column)
    if not token:
        return ""
    assert user.id is not None
    return crypto.unseal(token, table="users", column=column, row_id=user.id)


def qr_data_uri(uri: str) -> str:
    """The otpauth URI as a QR code: an SVG rendered here, as a data: URI for an <img>."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000000", light="#ffffff"))


def begin_enrollment(uow: UnitOfWork, user_id: int, account_label: str, now: datetime) -> Enrollment:
    """Make a new pending secret (replacing any earlier pending one); it counts after a first code.

    Raises:
        InvalidInput: TOTP is already on.
    """
    with uow:
        user = _user(uow.session, user_id)
        if user.totp_enabled_at is not None:
            raise InvalidInput("Two-step verification is already on.")
        secret = totp.new_secret()
        user.totp_pending_enc = _seal_secret(user_id, "totp_pending_enc", secret)
        uow.session.add(user)
        uow.commit()
    uri = totp.provisioning_uri(secret, account_label)
    return Enrollment(secret, uri, qr_data_uri(uri))


def confirm_enrollment(uow: UnitOfWork, user_id: int, code: str, now: datetime) -> tuple[str, ...]:
    """Turn TOTP on with a first valid code; returns the 10 recovery codes (shown once).

    Raises:
        InvalidCode: wrong code or no pending enrollment.
        TooManyAttempts: more than 5 attempts in 5 minutes.
    """
    _count_attempt(uow, user_id, now)
    with uow:
        user = _user(uow.session, user_id)
        pending = _secret(user, "totp_pending_enc")
        step = totp.match_step(pending, totp.clean_code(code), now, None) if pending else None
        if step is None:
            raise InvalidCode(WRONG_CODE)
        user.totp_secret_enc = _seal_secret(user_id, "totp_secret_enc", pending)
        user.totp_pending_enc = None
        user.totp_enabled_at = now
        user.totp_last_step = step
        uow.session.add(user)
        codes = _replace_recovery_codes(uow.session, user_id, now)
        audit.record(
            uow.session,
            actor=actor_of(user),
            action="mfa.enroll",
            subject=f"user:{user_id}",
            details={},
            now=now,
        )
        uow.commit()
    return codes


def _replace_recovery_codes(session: Session, user_id: int, now: datetime) -> tuple[str, ...]:
    session.execute(sa.delete(_CODES).where(_CODES.c.user_id == user_id))
    codes = tuple(totp.new_recovery_codes())
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=passwords.hash_secret(code), created_at=now))
    return codes


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Unknown user.")
    return user


def _count_attempt(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    """Count one code attempt (committed on its own); refuse beyond 5 in 5 minutes."""
    key = throttle.code_key(user_id)
    with uow:
        counter = rules.current(throttle.lock(uow.session, key), rules.CODE_WINDOW, now)
        if rules.code_attempts_left(counter, now) <= 0:
            first = counter.first_failure_at or now
            wait = int((first + rules.CODE_WINDOW - now).total_seconds()) + 1
            wait = max(wait, 1)
            raise TooManyAttempts(f"Too many codes entered. {rules.retry_text(wait)}", retry_after=wait)
        throttle.store(uow.session, key, rules.add_failure(counter, rules.CODE_WINDOW, now))
        uow.commit()


def check_code(uow: UnitOfWork, user_id: int, code: str, now: datetime) -> str:
    """Check a TOTP or recovery code and spend it; returns "totp" or "recovery".

    Every attempt counts toward the limit; a failure is audited.

    Raises:
        TooManyAttempts: the 5-per-5-minutes limit is reached (even for a right code).
        InvalidCode: wrong, expired, replayed or already used code, or TOTP is off.
    """
    _count_attempt(uow, user_id, now)
    with uow:
        user = _user(uow.session, user_id)
        method = _spend_code(uow.session, user, code, now) if user.totp_enabled_at else ""
        if method:
            if method == "recovery":
                _audit(uow.session, user, "mfa.recovery_code_used", now)
            uow.commit()
            return method
    with uow:
        _audit(uow.session, _user(uow.session, user_id), "mfa.code_failed", now)
        uow.commit()
    raise InvalidCode(WRONG_CODE)


def _audit(session: Session, user: User, action: str, now: datetime, **details: object) -> None:
    audit.record(
        session, actor=actor_of(user), action=action, subject=f"user:{user.id}", details=details, now=now
    )


def _spend_code(session: Session, user: User, code: str, now: datetime) -> str:
    digits = totp.clean_code(code)
    if digits:
        step = totp.match_step(_secret(user), digits, now, user.totp_last_step)
        return "totp" if step is not None and _spend_step(session, user, step) else ""
    recovery = totp.clean_recovery_code(code)
    return "recovery" if recovery and _spend_recovery(session, user, recovery, now) else ""


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


def step_up(uow: UnitOfWork, user_id: int, session_id: int, code: str, now: datetime) -> str:
    """Confirm a sensitive action with a code; the session counts as stepped up for 5 minutes."""
    method = check_code(uow, user_id, code, now)
    with uow:
        sessions.record_step_up(uow.session, session_id, now)
        uow.commit()
    return method


def disable(uow: UnitOfWork, user_id: int, session_id: int, now: datetime) -> None:
    """Turn TOTP off (players only), after a step-up in this session.

    Raises:
        StepUpRequired: no code entered in the last 5 minutes.
        InvalidInput: operators must keep TOTP.
    """
    sessions.require_step_up(uow, session_id, now)
    with uow:
        user = _user(uow.session, user_id)
        if user.role != "player":
            raise InvalidInput("Back-office accounts must keep two-step verification.")
        user.totp_secret_enc = user.totp_pending_enc = None
        user.totp_enabled_at = None
        uow.session.add(user)
        uow.session.execute(sa.delete(_CODES).where(_CODES.c.user_id == user_id))
        _audit(uow.session, user, "mfa.disable", now)
        uow.commit()


def regenerate_recovery_codes(
    uow: UnitOfWork, user_id: int, session_id: int, now: datetime
) -> tuple[str, ...]:
    """Replace all recovery codes (step-up required); returns the new ones, shown once."""
    sessions.require_step_up(uow, session_id, now)
    with uow:
        user = _user(uow.session, user_id)
        if user.totp_enabled_at is None:
            raise InvalidInput("Turn on two-step verification first.")
        codes = _replace_recovery_codes(uow.session, user_id, now)
        _audit(uow.session, user, "mfa.recovery_codes_regenerated", now)
        uow.commit()
    return codes


def status(uow: UnitOfWork, user_id: int) -> MfaStatus:
    with uow.reader() as r:
        user = _user(r.session, user_id)
        left = r.session.exec(
            select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
        ).one()
    return MfaStatus(user.totp_enabled_at is not None, user.totp_enabled_at, int(left))


def seeded_secret(uow: UnitOfWork, user_id: int) -> str:
    """The TOTP secret of a user (demo mode only: the CLI prints the demo operator's)."""
    with uow.reader() as r:
        return _secret(_user(r.session, user_id))


def enroll_demo_secret(uow: UnitOfWork, user_id: int, secret: str, now: datetime) -> None:
    """Turn TOTP on with a given secret, no code needed (the demo seed only)."""
    with uow:
        user = _user(uow.session, user_id)
        user.totp_secret_enc = _seal_secret(user_id, "totp_secret_enc", secret)
        user.totp_enabled_at = now
        user.totp_last_step = None
        uow.session.add(user)
        _audit(uow.session, user, "mfa.enroll", now, via="demo_seed")
        uow.commit()
