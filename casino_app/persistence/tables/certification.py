"""RNG certification reports: when, which code, and the figures (published on the fairness page)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.persistence.types import UtcDateTime


class RngReport(SQLModel, table=True):
    """One `rng report` run: the battery's and the chi-square lines as JSON, append-only by use."""

    __tablename__ = "rng_reports"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
    code_version: str = Field(max_length=64)
    sequences: int
    bits_per_sequence: int
    mapped_samples: int = Field(sa_type=sa.BigInteger)
    passed: bool
    duration_ms: int = Field(sa_type=sa.BigInteger)
    figures: str = Field(sa_type=sa.Text)  # JSON: {"seed_commitment", "battery": [...], "mapped": [...]}
