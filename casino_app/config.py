"""Typed settings read from the environment when the wiring is built (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'data' / 'casino.db'}"
DEFAULT_KEYRING = ROOT / "data" / "keyring.json"
DEFAULT_ORIGINS = "http://localhost:3000,http://127.0.0.1:3000"


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class SecuritySettings:
    """Web hygiene and the security job."""

    check_interval_seconds: int = 300
    api_max_body_bytes: int = 64 * 1024
    max_body_bytes: int = 1024 * 1024
    force_hsts: bool = False
    hsts_max_age: int = 63_072_000


@dataclass(frozen=True)
class IdentitySettings:
    """Accounts and sessions: where emailed links point, session lifetimes."""

    public_url: str = "http://localhost:3000"
    session_idle_seconds: int = 15 * 60
    session_absolute_seconds: int = 12 * 3600


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every value has a safe default for `make run`."""

    db_url: str = DEFAULT_DB_URL
    redis_url: str | None = None
    demo_mode: bool = True
    scheduler_enabled: bool = True
    scheduler_tick_seconds: int = 2
    draw_interval_seconds: int | None = None
    sales_close_seconds: int = 60
    house_shards: int = 8
    stake_cash_first: bool = True
    cors_origins: tuple[str, ...] = tuple(DEFAULT_ORIGINS.split(","))
    keyring_path: Path = DEFAULT_KEYRING
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = env.get("CASINO_CORS_ORIGINS", DEFAULT_ORIGINS)
    return tuple(o.strip() for o in raw.split(",") if o.strip())


def load_security_settings(env: Mapping[str, str] | None = None) -> SecuritySettings:
    """`CASINO_SECURITY_CHECK_SECONDS`, `CASINO_*_MAX_BODY_BYTES`, `CASINO_FORCE_HSTS`."""
    env = os.environ if env is None else env
    return SecuritySettings(
        check_interval_seconds=_int(env, "CASINO_SECURITY_CHECK_SECONDS", 300),
        api_max_body_bytes=_int(env, "CASINO_API_MAX_BODY_BYTES", 64 * 1024),
        max_body_bytes=_int(env, "CASINO_MAX_BODY_BYTES", 1024 * 1024),
        force_hsts=_bool(env, "CASINO_FORCE_HSTS", False),
        hsts_max_age=_int(env, "CASINO_HSTS_MAX_AGE", 63_072_000),
    )


def load_identity_settings(env: Mapping[str, str] | None = None) -> IdentitySettings:
    """`CASINO_PUBLIC_URL` (default: the first allowed origin) and `CASINO_SESSION_*`."""
    env = os.environ if env is None else env
    first_origin = next(iter(_origins(env)), "http://localhost:3000")
    return IdentitySettings(
        public_url=env.get("CASINO_PUBLIC_URL") or first_origin,
        session_idle_seconds=_int(env, "CASINO_SESSION_IDLE_SECONDS", 15 * 60),
        session_absolute_seconds=_int(env, "CASINO_SESSION_ABSOLUTE_SECONDS", 12 * 3600),
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `REFLEX_*` and `CASINO_*` environment variables."""
    env = os.environ if env is None else env
    interval = env.get("CASINO_DRAW_INTERVAL_SECONDS")
    keyring = env.get("CASINO_KEYRING_PATH", "").strip()
    return Settings(
        db_url=env.get("REFLEX_DB_URL") or DEFAULT_DB_URL,
        redis_url=env.get("REFLEX_REDIS_URL") or None,
        demo_mode=_bool(env, "CASINO_DEMO_MODE", True),
        scheduler_enabled=_bool(env, "CASINO_SCHEDULER", True),
        scheduler_tick_seconds=_int(env, "CASINO_SCHEDULER_TICK_SECONDS", 2),
        draw_interval_seconds=int(interval) if interval else None,
        sales_close_seconds=_int(env, "CASINO_SALES_CLOSE_SECONDS", 60),
        house_shards=max(1, _int(env, "CASINO_HOUSE_SHARDS", 8)),
        stake_cash_first=_bool(env, "CASINO_STAKE_CASH_FIRST", True),
        cors_origins=_origins(env),
        keyring_path=Path(keyring).expanduser().resolve() if keyring else DEFAULT_KEYRING,
        identity=load_identity_settings(env),
        security=load_security_settings(env),
    )
