"""The FastAPI app mounted into Reflex through `api_transformer`."""

from __future__ import annotations

from fastapi import FastAPI

from casino_app.api import ops
from casino_app.api import v1 as api_v1
from casino_app.bootstrap import Wiring


def create_api(wiring: Wiring) -> FastAPI:
    """The API over `wiring` (routes reach it through `deps.get_wiring`)."""
    api = FastAPI(title="Kasyno Lotto API", docs_url="/api/docs", openapi_url="/api/openapi.json")
    api.state.wiring = wiring
    api.include_router(ops.router)
    api.include_router(api_v1.router)
    return api
