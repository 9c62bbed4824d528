"""Reflex configuration; the database URL, port and origins come from the same settings as the services.

Loading it checks that the app's own origin is allowed (`require_own_origin`), so `reflex run`
refuses a configuration whose pages could not connect before it builds anything.
"""

from pathlib import Path

import reflex as rx

from casino_app.config import load_settings, require_own_origin

settings = load_settings()
require_own_origin(settings)
_local_bun = Path(__file__).parent / ".tools" / "node_modules" / "bun" / "bin" / "bun.exe"

config = rx.Config(
    app_name="casino_app",
    db_url=settings.db_url,
    redis_url=settings.redis_url,
    frontend_port=settings.port,
    deploy_url=settings.identity.public_url,
    cors_allowed_origins=list(settings.cors_origins),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(appearance="dark", accent_color="amber", gray_color="sand", radius="large")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    **({"bun_path": _local_bun} if _local_bun.exists() else {}),
)
