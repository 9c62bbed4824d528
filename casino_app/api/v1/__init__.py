"""The mobile REST API, version 1: `/api/v1/...`, bearer access tokens, RFC 9457 problem+json errors."""

from casino_app.api.v1 import bets as _bets  # noqa: F401  (registers /bets on the router)
from casino_app.api.v1.routes import router

__all__ = ["router"]
