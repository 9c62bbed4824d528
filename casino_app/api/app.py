"""The FastAPI app mounted into Reflex through `api_transformer`."""

from __future__ import annotations

from fastapi import FastAPI

from casino_app.api import ops
from casino_app.api import v1 as api_v1


def create_api() -> FastAPI:
    api = FastAPI(title="Kasyno Lotto API", docs_url="/api/docs", openapi_url="/api/openapi.json")
    api.include_router(ops.router)
    api.include_router(api_v1.router)
    return api
