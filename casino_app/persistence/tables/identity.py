"""Identity tables: sessions, API tokens, recovery codes, email tokens, the mail outbox, throttles.

Secrets are stored only as hashes: session and API tokens and email-link tokens as SHA-256
(they carry 256 random bits), recovery codes as argon2id. Personal data in `*_enc` columns is
sealed with `casino_app.services.crypto` (AES-256-GCM bound to table, column and row id).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.identity.vocabulary import Role, UserStatus
from casino_app.persistence.types import UtcDateTime, check_in


class User(SQLModel, table=True):
    """A player or an operator. Personal data is sealed in `*_enc` columns (see services.crypto);
    the email is found through its blind index."""

    __tablename__ = "users"
    __table_args__ = (
        check_in("role", Role, "ck_users_role"),
        check_in("status", UserStatus, "ck_users_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email_index: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    email_enc: str | None = Field(default=None, sa_type=sa.Text)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="player", max_length=32)
    status: str = Field(default="active", max_length=16)
    full_name_enc: str | None = Field(default=None, sa_type=sa.Text)
    birth_date_enc: str | None = Field(default=None, sa_type=sa.Text)
    address_enc: str | None = Field(default=None, sa_type=sa.Text)
    phone_enc: str | None = Field(default=None, sa_type=sa.Text)
    phone_index: str | None = Field(default=None, max_length=64, index=True)
    country: str = Field(default="", max_length=2)
    currency: str = Field(default="EUR", max_length=3)
    terms_version: str = Field(default="", max_length=16)
    privacy_version: str = Field(default="", max_length=16)
    consent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    email_verified_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)
    created_by: str = Field(default="", max_length=64)
    password_changed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_login_ip: str = Field(default="", max_length=64)
    previous_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    previous_login_ip: str = Field(default="", max_length=64)
    totp_secret_enc: str | None = Field(default=None, sa_type=sa.Text)
    totp_pending_enc: str | None = Field(default=None, sa_type=sa.Text)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)


class UserSession(SQLModel, table=True):
    """A signed-in browser tab ("browser") or a mobile refresh-token family ("api")."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(default="browser", max_length=16)
    token_hash: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=255)
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    idle_seconds: int
    step_up_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_reason: str = Field(default="", max_length=32)


class ApiToken(SQLModel, table=True):
    """A mobile access or refresh token; a refresh token is used once (`used_at`), then rotated."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="user_sessions.id", index=True)
    kind: str = Field(max_length=16)  # access | refresh
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class RecoveryCode(SQLModel, table=True):
    """One single-use second-factor recovery code, stored as an argon2id hash."""

    __tablename__ = "mfa_recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ActionToken(SQLModel, table=True):
    """A single-use emailed token: verify_email, reset_password, unlock or change_email (30 min)."""

    __tablename__ = "action_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(max_length=24)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    payload_enc: str | None = Field(default=None, sa_type=sa.Text)  # change_email: the new address
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class MailMessage(SQLModel, table=True):
    """Outgoing mail, written in the same transaction as the change that sends it."""

    __tablename__ = "mail_outbox"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    kind: str = Field(max_length=24)
    recipient_enc: str | None = Field(default=None, sa_type=sa.Text)
    subject: str = Field(max_length=200)
    body_enc: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class AuthThrottle(SQLModel, table=True):
    """Failure counts per key ("ip:..", "login:<email index>", "code:<user id>") and lockouts."""

    __tablename__ = "auth_throttles"

    key: str = Field(primary_key=True, max_length=96)
    failures: int = Field(default=0)
    first_failure_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_failure_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    locked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)


class PlayerPreference(SQLModel, table=True):
    """What a player chose: language, time zone, favourite games (empty: the browser's own)."""

    __tablename__ = "player_preferences"

    user_id: int = Field(primary_key=True, foreign_key="users.id")
    language: str = Field(default="", max_length=8)
    time_zone: str = Field(default="", max_length=64)
    favourite_games: str = Field(default="[]", sa_type=sa.Text)  # JSON list of game codes
    updated_at: datetime = Field(sa_type=UtcDateTime)
