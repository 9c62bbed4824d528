"""Blind indexes of excluded people's emails and phones, kept apart from their accounts.

A time-out or exclusion stores keyed HMACs (`crypto.blind_index`, a purpose of their own, so
they match no column of `users`) of the normalized email and phone with the block's end.
Registration refuses a match while the block lasts. The rows name no account, so an erasure
(services/compliance/privacy.py) leaves them in place, and they reveal nothing by themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.compliance.vocabulary import IdentifierKind
from casino_app.persistence.tables import RgExcludedIdentifier, User
from casino_app.services.identity.accounts import users
from casino_app.services.security import crypto

_PURPOSE = {IdentifierKind.EMAIL: "rg_excluded_email", IdentifierKind.PHONE: "rg_excluded_phone"}


def digest(keys: KeyProvider, kind: IdentifierKind, normalized: str) -> str:
    """The blind index of a normalized email (lower case) or phone (E.164)."""
    return crypto.blind_index(normalized, purpose=_PURPOSE[kind], keys=keys)


def _identifiers(keys: KeyProvider, user: User) -> list[tuple[IdentifierKind, str]]:
    found = [(IdentifierKind.EMAIL, users.email_of(keys, user).strip().lower())]
    phone = crypto.open_column(keys, user, "phone_enc") if user.phone_enc else ""
    if phone:
        found.append((IdentifierKind.PHONE, phone))
    return found


def remember(s: Session, keys: KeyProvider, user: User, until: datetime | None, now: datetime) -> int:
    """Keep the player's identifiers until `until` (None: for good); a longer block extends them."""
    stored = 0
    for kind, value in _identifiers(keys, user):
        if not value:
            continue
        key = digest(keys, kind, value)
        row = s.exec(
            select(RgExcludedIdentifier).where(
                RgExcludedIdentifier.kind == kind, RgExcludedIdentifier.digest == key
            )
        ).first()
        if row is None:
            row = RgExcludedIdentifier(kind=kind, digest=key, until=until, created_at=now)
        elif row.until is not None:
            row.until = None if until is None else max(row.until, until)
        s.add(row)
        stored += 1
    return stored


def blocked_until(
    s: Session, keys: KeyProvider, email: str, phone: str, now: datetime
) -> tuple[bool, datetime | None]:
    """Whether a normalized email or phone belongs to a block still in force, and until when."""
    wanted = [digest(keys, IdentifierKind.EMAIL, email)]
    if phone:
        wanted.append(digest(keys, IdentifierKind.PHONE, phone))
    rows = s.exec(select(RgExcludedIdentifier).where(col(RgExcludedIdentifier.digest).in_(wanted))).all()
    live = [r for r in rows if r.until is None or r.until > now]
    if not live:
        return False, None
    if any(r.until is None for r in live):
        return True, None
    return True, max(r.until for r in live if r.until is not None)
