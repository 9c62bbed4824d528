"""Single-use emailed tokens (verify email, unlock, reset password, change email): 30 minutes, hashed.

Links point at `settings.identity.public_url` of the wiring; an optional payload (the new
address of an email change) is sealed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import InvalidToken
from casino_app.persistence.tables import ActionToken
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity.accounts import mail
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.security import crypto

LIFETIME = timedelta(minutes=30)
# Asking again within a minute sends nothing new (no mail bombing through the forms).
RESEND_AFTER = timedelta(seconds=60)
PATHS = {
    "verify_email": "/verify-email",
    "unlock": "/verify-email",
    "change_email": "/verify-email",
    "reset_password": "/reset-password",
    "operator_invite": "/reset-password",
}
_TOKENS = ActionToken.__table__  # type: ignore[attr-defined]
INVALID = "This link is no longer valid: it expired, was already used or was replaced. Ask for a new one."


def link(public_url: str, purpose: str, token: str) -> str:
    """The absolute link that carries a token (the page moves it out of the URL at once)."""
    return f"{public_url.rstrip('/')}{PATHS[purpose]}?token={token}"


def recently_sent(session: Session, user_id: int, purpose: str, now: datetime) -> bool:
    """True when an unused token of this purpose was made in the last minute."""
    found = session.exec(
        select(ActionToken.id).where(
            ActionToken.user_id == user_id,
            ActionToken.purpose == purpose,
            col(ActionToken.used_at).is_(None),
            ActionToken.created_at > now - RESEND_AFTER,
        )
    ).first()
    return found is not None


def new_link_token() -> str:
    """A fresh raw link token (256 random bits)."""
    return sessions.new_token()


def issue(
    uow: UnitOfWork, user_id: int, purpose: str, now: datetime, payload: str = "", *, raw: str = ""
) -> str:
    """Store a token (as its hash) in the caller's entered unit of work; returns the raw token.

    Args:
        raw: a token made beforehand with `new_link_token` (a new one by default).
    """
    raw = raw or new_link_token()
    row = ActionToken(
        user_id=user_id,
        purpose=purpose,
        token_hash=sessions.token_hash(raw),
        created_at=now,
        expires_at=now + LIFETIME,
    )
    if not payload:  # one plain insert, no ORM flush (a reset request's only extra work)
        uow.session.execute(sa.insert(_TOKENS).values(row.model_dump(exclude={"id"})))
        return raw
    uow.session.add(row)
    uow.session.flush()
    crypto.seal_column(uow.context.keys, row, "payload_enc", payload)
    uow.session.add(row)
    return raw


def send_link(
    uow: UnitOfWork,
    user_id: int,
    to: str,
    purpose: str,
    now: datetime,
    *,
    payload: str = "",
    template: str = "",
    raw: str = "",
    **values: str,
) -> None:
    """Issue a token and put the mail carrying its link in the outbox (same transaction)."""
    stored_purpose = "reset_password" if purpose == "operator_invite" else purpose
    raw = issue(uow, user_id, stored_purpose, now, payload, raw=raw)
    public_url = uow.context.settings.identity.public_url
    mail.enqueue(
        uow,
        kind=template or purpose,
        to=to,
        user_id=user_id,
        now=now,
        link=link(public_url, purpose, raw),
        **values,
    )


def spend(session: Session, raw: str, purposes: tuple[str, ...], now: datetime) -> ActionToken:
    """Use a token once.

    Raises:
        InvalidToken: unknown, of another purpose, expired or already used.
    """
    row = session.exec(select(ActionToken).where(ActionToken.token_hash == sessions.token_hash(raw))).first()
    if row is None or row.purpose not in purposes or row.used_at is not None or row.expires_at <= now:
        raise InvalidToken(INVALID)
    result = session.execute(
        sa.update(_TOKENS).where(_TOKENS.c.id == row.id, _TOKENS.c.used_at.is_(None)).values(used_at=now)
    )
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        raise InvalidToken(INVALID)
    return row


def peek(session: Session, raw: str, purposes: tuple[str, ...], now: datetime) -> ActionToken:
    """Check a token without using it (to validate a form before the slow password hash)."""
    row = session.exec(select(ActionToken).where(ActionToken.token_hash == sessions.token_hash(raw))).first()
    if row is None or row.purpose not in purposes or row.used_at is not None or row.expires_at <= now:
        raise InvalidToken(INVALID)
    return row


def payload(keys: KeyProvider, row: ActionToken) -> str:
    """The token's sealed payload ("" when it has none)."""
    return crypto.open_column(keys, row, "payload_enc")


def revoke_unused(session: Session, user_id: int, purpose: str, now: datetime) -> None:
    """Older unused links of this purpose stop working when a new one is sent."""
    session.execute(
        sa.update(_TOKENS)
        .where(_TOKENS.c.user_id == user_id, _TOKENS.c.purpose == purpose, _TOKENS.c.used_at.is_(None))
        .values(used_at=now)
    )
