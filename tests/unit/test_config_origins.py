"""Origins, the CSP's websocket sources and emailed links follow the port the app serves on,
and the app refuses to start when its own origin is not allowed."""

from __future__ import annotations

import pytest

from casino_app.api.security import SecurityMiddleware, security_middleware
from casino_app.config import ConfigError, load_settings, require_own_origin


async def _app(scope, receive, send) -> None:  # pragma: no cover - never called
    raise AssertionError


def test_the_defaults_follow_port_so_port_8000_make_run_can_connect() -> None:
    settings = load_settings({"PORT": "8000"})
    assert settings.port == 8000
    assert settings.cors_origins == ("http://localhost:8000", "http://127.0.0.1:8000")
    assert settings.identity.public_url == "http://localhost:8000"
    require_own_origin(settings)
    middleware = security_middleware(_app, settings=settings)
    assert isinstance(middleware, SecurityMiddleware)
    assert "ws://localhost:8000" in middleware.ws_sources


def test_reflex_run_frontend_port_wins_over_port() -> None:
    settings = load_settings({"REFLEX_FRONTEND_PORT": "4100", "PORT": "8000"})
    assert settings.port == 4100 and settings.identity.public_url == "http://localhost:4100"


def test_without_a_port_the_app_serves_on_3000() -> None:
    settings = load_settings({})
    assert settings.port == 3000
    assert settings.cors_origins == ("http://localhost:3000", "http://127.0.0.1:3000")


def test_explicit_origins_and_public_url_still_win() -> None:
    env = {"PORT": "8000", "CASINO_CORS_ORIGINS": "https://casino.example", "CASINO_PUBLIC_URL": ""}
    settings = load_settings(env)
    assert settings.cors_origins == ("https://casino.example",)
    assert settings.identity.public_url == "https://casino.example"
    require_own_origin(settings)  # behind a proxy the local port is not the public one


def test_the_startup_check_refuses_a_public_url_that_is_not_an_allowed_origin() -> None:
    env = {"CASINO_CORS_ORIGINS": "https://casino.example", "CASINO_PUBLIC_URL": "https://www.casino.example"}
    settings = load_settings(env)
    with pytest.raises(ConfigError, match=r"own origin https://www\.casino\.example is not in"):
        require_own_origin(settings)
    with pytest.raises(ConfigError):
        security_middleware(_app, settings=settings)


def test_the_startup_check_refuses_origins_left_on_port_3000_when_serving_on_8000() -> None:
    env = {"PORT": "8000", "CASINO_CORS_ORIGINS": "http://localhost:3000,http://127.0.0.1:3000"}
    with pytest.raises(ConfigError, match="serves on port 8000"):
        require_own_origin(load_settings(env))


def test_a_port_that_is_not_a_number_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="PORT='80a'"):
        load_settings({"PORT": "80a"})
