"""Scheduling tables: leases so one worker runs each job."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from casino_app.persistence.types import UtcDateTime


class JobLease(SQLModel, table=True):
    """A lease so that exactly one worker runs the scheduled jobs."""

    __tablename__ = "job_leases"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=128)
    expires_at: datetime = Field(sa_type=UtcDateTime)
