"""Typed settings read from the environment (no reflex import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'data' / 'casino.db'}"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every value has a safe default for `make run`."""

    db_url: str
    redis_url: str | None
    demo_mode: bool
    scheduler_enabled: bool
    scheduler_tick_seconds: int
    draw_interval_seconds: int | None
    sales_close_seconds: int
    house_shards: int
    stake_cash_first: bool
    cors_origins: tuple[str, ...]


def load_settings() -> Settings:
    """Read settings from `REFLEX_*` and `CASINO_*` environment variables."""
    origins = os.environ.get("CASINO_CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")
    interval = os.environ.get("CASINO_DRAW_INTERVAL_SECONDS")
    return Settings(
        db_url=os.environ.get("REFLEX_DB_URL") or DEFAULT_DB_URL,
        redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
        demo_mode=_bool("CASINO_DEMO_MODE", True),
        scheduler_enabled=_bool("CASINO_SCHEDULER", True),
        scheduler_tick_seconds=_int("CASINO_SCHEDULER_TICK_SECONDS", 2),
        draw_interval_seconds=int(interval) if interval else None,
        sales_close_seconds=_int("CASINO_SALES_CLOSE_SECONDS", 60),
        house_shards=_int("CASINO_HOUSE_SHARDS", 8),
        stake_cash_first=_bool("CASINO_STAKE_CASH_FIRST", True),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
    )


@dataclass(frozen=True)
class SecuritySettings:
    """Web hygiene and security-job settings (issue 4)."""

    check_interval_seconds: int
    api_max_body_bytes: int
    max_body_bytes: int
    force_hsts: bool
    hsts_max_age: int


def load_security_settings() -> SecuritySettings:
    """Read `CASINO_SECURITY_*` / `CASINO_*_MAX_BODY_BYTES` from the environment."""
    return SecuritySettings(
        check_interval_seconds=_int("CASINO_SECURITY_CHECK_SECONDS", 300),
        api_max_body_bytes=_int("CASINO_API_MAX_BODY_BYTES", 64 * 1024),
        max_body_bytes=_int("CASINO_MAX_BODY_BYTES", 1024 * 1024),
        force_hsts=_bool("CASINO_FORCE_HSTS", False),
        hsts_max_age=_int("CASINO_HSTS_MAX_AGE", 63_072_000),
    )


@dataclass(frozen=True)
class IdentitySettings:
    """Accounts and sessions (issue 4): where emailed links point, session lifetimes."""

    public_url: str
    session_idle_seconds: int
    session_absolute_seconds: int


def load_identity_settings() -> IdentitySettings:
    """Read `CASINO_PUBLIC_URL` (default: the first CORS origin) and `CASINO_SESSION_*`."""
    origins = os.environ.get("CASINO_CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")
    first_origin = next((o.strip() for o in origins.split(",") if o.strip()), "http://localhost:3000")
    return IdentitySettings(
        public_url=os.environ.get("CASINO_PUBLIC_URL") or first_origin,
        session_idle_seconds=_int("CASINO_SESSION_IDLE_SECONDS", 15 * 60),
        session_absolute_seconds=_int("CASINO_SESSION_ABSOLUTE_SECONDS", 12 * 3600),
    )
