"""Security tables: the hash-chained audit log, signed daily heads, key rotation cursors, alerts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.persistence.types import UtcDateTime


class AuditRecord(SQLModel, table=True):
    """One audit record; append-only (triggers refuse UPDATE and DELETE).

    `hash` = SHA-256 over the canonical JSON of (seq, ts_ms, actor, action, subject, details,
    prev_hash); `prev_hash` is the previous record's hash, so the records form a chain.
    """

    __tablename__ = "audit_log"

    seq: int = Field(sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64, index=True)
    subject: str = Field(max_length=255)
    details: str = Field(sa_type=sa.Text)  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain head at the end of a UTC day, signed with Ed25519; append-only."""

    __tablename__ = "audit_heads"

    day: date = Field(primary_key=True)
    seq: int = Field(sa_type=sa.BigInteger)
    hash: str = Field(max_length=64)
    signature: str = Field(max_length=128)  # hex, 64 bytes
    public_key: str = Field(max_length=64)  # hex, 32 bytes
    signed_at: datetime = Field(sa_type=UtcDateTime)


class KeyRotation(SQLModel, table=True):
    """A rotation's cursor per encrypted table: re-wrapping resumes after `last_id`."""

    __tablename__ = "key_rotations"
    __table_args__ = (sa.UniqueConstraint("version", "table_name", name="uq_key_rotations_version_table"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int
    table_name: str = Field(max_length=64)
    last_id: int = Field(default=0, sa_type=sa.BigInteger)
    rewrapped: int = Field(default=0, sa_type=sa.BigInteger)
    status: str = Field(default="running", max_length=16)  # running | done
    started_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class SecurityAlert(SQLModel, table=True):
    """An alert for operators (audit chain broken, key rotation due); one open alert per kind."""

    __tablename__ = "security_alerts"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    severity: str = Field(default="warning", max_length=16)  # warning | critical
    message: str = Field(max_length=500)
    raised_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
