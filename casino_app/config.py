"""Typed settings read from the environment when the wiring is built (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'data' / 'casino.db'}"
DEFAULT_KEYRING = ROOT / "data" / "keyring.json"
DEFAULT_PORT = 3000
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class ConfigError(ValueError):
    """A configuration the app refuses to start with; the message says what to change."""


def local_origins(port: int) -> tuple[str, ...]:
    """The origins of an app served on this machine's `port`."""
    return (f"http://localhost:{port}", f"http://127.0.0.1:{port}")


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw else default


def served_port(env: Mapping[str, str]) -> int:
    """The port the browser loads the app from.

    `reflex run --frontend-port N` passes it on as `REFLEX_FRONTEND_PORT`; `PORT` is what
    `PORT=8000 make run` sets (and what Reflex sets for its dev server).
    """
    for name in ("REFLEX_FRONTEND_PORT", "PORT"):
        raw = (env.get(name) or "").strip()
        if raw:
            if not raw.isdigit() or not 0 < int(raw) < 65536:
                raise ConfigError(f"{name}={raw!r} is not a port number.")
            return int(raw)
    return DEFAULT_PORT


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

    public_url: str = f"http://localhost:{DEFAULT_PORT}"
    session_idle_seconds: int = 15 * 60
    session_absolute_seconds: int = 12 * 3600
    registrations_per_ip_hour: int = 10  # self-registrations one client address may make


SANDBOX_PORT_OFFSET = 10  # the sandbox payment service listens on the app's port + 10 unless told


@dataclass(frozen=True)
class PaymentSettings:
    """Payment providers: the sandbox payment service and the status polling of pending payments."""

    sandbox_url: str = f"http://127.0.0.1:{DEFAULT_PORT + SANDBOX_PORT_OFFSET}"
    sandbox_api_key: str = "sk_sandbox_test"
    sandbox_webhook_secret: str = "whsec_sandbox_test"
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    retries: int = 2
    poll_after_seconds: int = 60  # a pending payment without news this long is asked about
    expire_after_seconds: int = 3600  # still pending at the provider after this: declined as abandoned
    poll_job_seconds: int = 30


@dataclass(frozen=True)
class PayoutSettings:
    """Withdrawals' payouts through providers, and reconciliation of providers with the ledger."""

    auto_approve_below_minor: int = 0  # a withdrawal below this pays without an operator; 0: never
    job_seconds: int = 30  # the payout job: resend approved payouts, poll the status of sent ones
    reconciliation_seconds: int = 3600  # how often each provider is reconciled
    reconciliation_window_seconds: int = 86_400  # how far back each run compares
    reconciliation_settle_seconds: int = 300  # the newest minutes are left to webhooks and polling


@dataclass(frozen=True)
class StripeSettings:
    """The Stripe-compatible card provider; registered only when a secret key is configured."""

    api_url: str = "https://api.stripe.com"
    api_key: str = ""
    webhook_secret: str = ""


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every value has a safe default for `make run`."""

    db_url: str = DEFAULT_DB_URL
    redis_url: str | None = None
    demo_mode: bool = False  # on only when asked for (`make run` asks): see docs/SECURITY.md
    scheduler_enabled: bool = True
    scheduler_tick_seconds: int = 2
    draw_interval_seconds: int | None = None
    sales_close_seconds: int = 60
    house_shards: int = 8
    stake_cash_first: bool = True
    slot_spin_interval_ms: int = 2_500  # profile: minimum time between slot spins (RTS 14E)
    round_completion_seconds: int = 86_400  # profile: an unfinished instant round settles after it
    rg_profile: str = ""  # pin one responsible-gaming profile (GB, MT, SE, DE, ON); "": by country
    rg_job_seconds: int = 900  # how often markers of harm are evaluated and unconfirmed raises expire
    port: int = DEFAULT_PORT
    cors_origins: tuple[str, ...] = local_origins(DEFAULT_PORT)
    keyring_path: Path = DEFAULT_KEYRING
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    payments: PaymentSettings = field(default_factory=PaymentSettings)
    payouts: PayoutSettings = field(default_factory=PayoutSettings)
    stripe: StripeSettings = field(default_factory=StripeSettings)


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """`CASINO_CORS_ORIGINS`, or this machine's origins on the served port."""
    raw = env.get("CASINO_CORS_ORIGINS") or ",".join(local_origins(served_port(env)))
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
    """`CASINO_PUBLIC_URL` (default: the first allowed origin), `CASINO_SESSION_*`,
    `CASINO_REGISTRATIONS_PER_IP_HOUR`."""
    env = os.environ if env is None else env
    first_origin = next(iter(_origins(env)), local_origins(served_port(env))[0])
    return IdentitySettings(
        public_url=env.get("CASINO_PUBLIC_URL") or first_origin,
        session_idle_seconds=_int(env, "CASINO_SESSION_IDLE_SECONDS", 15 * 60),
        session_absolute_seconds=_int(env, "CASINO_SESSION_ABSOLUTE_SECONDS", 12 * 3600),
        registrations_per_ip_hour=_int(env, "CASINO_REGISTRATIONS_PER_IP_HOUR", 10),
    )


def load_payment_settings(env: Mapping[str, str] | None = None) -> PaymentSettings:
    """`CASINO_SANDBOX_URL` (default: 127.0.0.1 on `CASINO_SANDBOX_PORT`, else the app's port + 10),
    `CASINO_SANDBOX_API_KEY`, `CASINO_SANDBOX_WEBHOOK_SECRET`, `CASINO_PAYMENT_*`."""
    env = os.environ if env is None else env
    port = _int(env, "CASINO_SANDBOX_PORT", served_port(env) + SANDBOX_PORT_OFFSET)
    defaults = PaymentSettings()
    return PaymentSettings(
        sandbox_url=env.get("CASINO_SANDBOX_URL") or f"http://127.0.0.1:{port}",
        sandbox_api_key=env.get("CASINO_SANDBOX_API_KEY") or defaults.sandbox_api_key,
        sandbox_webhook_secret=env.get("CASINO_SANDBOX_WEBHOOK_SECRET") or defaults.sandbox_webhook_secret,
        read_timeout=float(env.get("CASINO_PAYMENT_READ_TIMEOUT") or defaults.read_timeout),
        poll_after_seconds=_int(env, "CASINO_PAYMENT_POLL_AFTER_SECONDS", defaults.poll_after_seconds),
        expire_after_seconds=_int(env, "CASINO_PAYMENT_EXPIRE_AFTER_SECONDS", defaults.expire_after_seconds),
        poll_job_seconds=max(5, _int(env, "CASINO_PAYMENT_POLL_JOB_SECONDS", defaults.poll_job_seconds)),
    )


def load_payout_settings(env: Mapping[str, str] | None = None) -> PayoutSettings:
    """`CASINO_PAYOUT_AUTO_APPROVE_BELOW_MINOR`, `CASINO_PAYOUT_JOB_SECONDS`, `CASINO_RECONCILIATION_*`."""
    env = os.environ if env is None else env
    d = PayoutSettings()
    return PayoutSettings(
        auto_approve_below_minor=max(0, _int(env, "CASINO_PAYOUT_AUTO_APPROVE_BELOW_MINOR", 0)),
        job_seconds=max(5, _int(env, "CASINO_PAYOUT_JOB_SECONDS", d.job_seconds)),
        reconciliation_seconds=max(60, _int(env, "CASINO_RECONCILIATION_SECONDS", d.reconciliation_seconds)),
        reconciliation_window_seconds=_int(
            env, "CASINO_RECONCILIATION_WINDOW_SECONDS", d.reconciliation_window_seconds
        ),
        reconciliation_settle_seconds=_int(
            env, "CASINO_RECONCILIATION_SETTLE_SECONDS", d.reconciliation_settle_seconds
        ),
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `REFLEX_*` and `CASINO_*` environment variables."""
    env = os.environ if env is None else env
    interval = env.get("CASINO_DRAW_INTERVAL_SECONDS")
    keyring = env.get("CASINO_KEYRING_PATH", "").strip()
    return Settings(
        db_url=env.get("REFLEX_DB_URL") or DEFAULT_DB_URL,
        redis_url=env.get("REFLEX_REDIS_URL") or None,
        demo_mode=_bool(env, "CASINO_DEMO_MODE", False),
        scheduler_enabled=_bool(env, "CASINO_SCHEDULER", True),
        scheduler_tick_seconds=_int(env, "CASINO_SCHEDULER_TICK_SECONDS", 2),
        draw_interval_seconds=int(interval) if interval else None,
        sales_close_seconds=_int(env, "CASINO_SALES_CLOSE_SECONDS", 60),
        house_shards=max(1, _int(env, "CASINO_HOUSE_SHARDS", 8)),
        stake_cash_first=_bool(env, "CASINO_STAKE_CASH_FIRST", True),
        rg_profile=env.get("CASINO_RG_PROFILE", "").strip().upper(),
        rg_job_seconds=max(30, _int(env, "CASINO_RG_JOB_SECONDS", 900)),
        port=served_port(env),
        cors_origins=_origins(env),
        keyring_path=Path(keyring).expanduser().resolve() if keyring else DEFAULT_KEYRING,
        identity=load_identity_settings(env),
        security=load_security_settings(env),
        payments=load_payment_settings(env),
        payouts=load_payout_settings(env),
        stripe=StripeSettings(
            api_url=env.get("CASINO_STRIPE_API_URL") or StripeSettings.api_url,
            api_key=env.get("CASINO_STRIPE_API_KEY", ""),
            webhook_secret=env.get("CASINO_STRIPE_WEBHOOK_SECRET", ""),
        ),
    )


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased ("" when it has none)."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def require_own_origin(settings: Settings) -> None:
    """Refuse a configuration under which the app's own pages could not connect.

    The public URL (where emailed links point, the origin players load the app from) must be
    an allowed origin, or the event websocket answers its own pages 403; and a public URL on
    this machine must use the port the app serves on.

    Raises:
        ConfigError: naming the setting to change.
    """
    public = settings.identity.public_url
    own = origin_of(public)
    allowed = {origin_of(o) for o in settings.cors_origins}
    if not own:
        raise ConfigError(f"CASINO_PUBLIC_URL={public!r} is not an absolute http(s) URL.")
    if own not in allowed:
        raise ConfigError(
            f"The app's own origin {own} is not in CASINO_CORS_ORIGINS ({', '.join(settings.cors_origins)}):"
            " its pages could not connect. Add it, or unset CASINO_CORS_ORIGINS to allow this machine's"
            f" origins on port {settings.port}."
        )
    parts = urlsplit(own)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.hostname is not None and _is_loopback(parts.hostname) and port != settings.port:
        raise ConfigError(
            f"CASINO_PUBLIC_URL/CASINO_CORS_ORIGINS point at {own}, but the app serves on port"
            f" {settings.port}. Unset them to derive both from the port, or set them to port {settings.port}."
        )


def _is_loopback(host: str) -> bool:
    return host.lower() in LOOPBACK_HOSTS
