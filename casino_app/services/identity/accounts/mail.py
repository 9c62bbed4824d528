"""The mail outbox: messages are written in the same transaction as the change that sends them.

A relay delivers them (not part of the demo). In demo mode the mailbox page shows a signed-in
player their own mail, and nobody anyone else's: the messages carry live single-use links
(password reset, operator invitations), so reading another person's mail would take their
account. Recipient and body are personal data, so both are sealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import MailMessage
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import crypto

MAILBOX_LIMIT = 50
RESEND_AFTER = timedelta(seconds=60)

TEMPLATES: dict[str, tuple[str, str]] = {
    "verify_email": (
        "Confirm your email address",
        "Welcome to Kasyno Lotto.\n\nConfirm your email address by opening this link "
        "(valid for 30 minutes, once):\n{link}\n",
    ),
    "unlock": (
        "Your account was locked",
        "We locked your account after several failed sign-in attempts.\n\n"
        "If that was you, open this link to confirm your email and unlock it "
        "(valid for 30 minutes, once):\n{link}\n\nIf it was not you, also reset your password.\n",
    ),
    "reset_password": (
        "Reset your password",
        "Someone asked to reset the password of this account.\n\nChoose a new password here "
        "(valid for 30 minutes, once):\n{link}\n\nIf it was not you, ignore this message.\n",
    ),
    "reset_unknown": (
        "Reset your password",
        "Someone asked to reset the password of a Kasyno Lotto account at this address, but no "
        "account uses it. If it was you, perhaps you signed up with another address, or create "
        "an account here:\n{link}\n\nIf it was not you, ignore this message.\n",
    ),
    "change_email": (
        "Confirm your new email address",
        "Confirm that this is your new email address for Kasyno Lotto "
        "(valid for 30 minutes, once):\n{link}\n",
    ),
    "email_changed": (
        "Your email address was changed",
        "The email address of your Kasyno Lotto account was changed to {new_email}.\n"
        "If you did not do this, contact support at once.\n",
    ),
    "operator_invite": (
        "Your Kasyno Lotto back-office account",
        "An administrator created a back-office account for you (role: {role}).\n\n"
        "Choose your password here (valid for 30 minutes, once):\n{link}\n\n"
        "At your first sign-in you will set up an authenticator app.\n",
    ),
    "account_exists": (
        "You already have an account",
        "Someone (maybe you) tried to create a Kasyno Lotto account with this email address, "
        "which already has one. Nothing was changed.\n\nIf it was you, sign in here, or choose "
        '"Forgot your password?" there:\n{link}\n\nIf it was not you, ignore this message.\n',
    ),
    "security_notice": (
        "Security notice",
        "{text}\n",
    ),
}


@dataclass(frozen=True)
class MailView:
    id: int
    kind: str
    recipient: str
    subject: str
    body: str
    created_at: datetime


def enqueue(
    uow: UnitOfWork,
    *,
    kind: str,
    to: str,
    user_id: int | None,
    now: datetime,
    **values: str,
) -> int:
    """Add one message from a template to the outbox, in the caller's entered unit of work.

    Returns:
        The message id.
    """
    subject, body = TEMPLATES[kind]
    message = MailMessage(user_id=user_id, kind=kind, subject=subject, created_at=now)
    uow.session.add(message)
    uow.session.flush()
    assert message.id is not None
    crypto.seal_column(uow.context.keys, message, "recipient_enc", to)
    crypto.seal_column(uow.context.keys, message, "body_enc", body.format(**values))
    uow.session.add(message)
    return message.id


def _view(keys: KeyProvider, message: MailMessage) -> MailView:
    assert message.id is not None
    return MailView(
        message.id,
        message.kind,
        crypto.open_column(keys, message, "recipient_enc"),
        message.subject,
        crypto.open_column(keys, message, "body_enc"),
        message.created_at,
    )


def recently_sent(session: Session, user_id: int, kind: str, now: datetime) -> bool:
    """True when a message of `kind` went to this user in the last minute (no mail bombing)."""
    found = session.exec(
        select(MailMessage.id).where(
            MailMessage.user_id == user_id,
            MailMessage.kind == kind,
            MailMessage.created_at > now - RESEND_AFTER,
        )
    ).first()
    return found is not None


@authz.guard("player.account")
def recent(uow: UnitOfWork, actor: Actor, limit: int = MAILBOX_LIMIT) -> tuple[MailView, ...]:
    """The signed-in player's own mail, newest first: the demo mailbox, in demo mode only.

    Nobody sees another person's mail, and operators (whose invitations and resets carry
    back-office access) have no mailbox at all.

    Raises:
        PermissionDenied: not a signed-in player (audited), or the deployment is not in demo mode.
    """
    if not uow.context.settings.demo_mode:
        raise PermissionDenied("The demo mailbox is only available in demo mode.")
    with uow.reader() as r:
        rows = r.session.exec(
            select(MailMessage)
            .where(MailMessage.user_id == actor.player_id())
            .order_by(col(MailMessage.id).desc())
            .limit(max(1, min(limit, 200)))
        ).all()
        return tuple(_view(uow.context.keys, m) for m in rows)
