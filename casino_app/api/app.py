"""The FastAPI app mounted into Reflex through `api_transformer`."""

from __future__ import annotations

from fastapi import FastAPI

from casino_app.api import browser_session, docs, errors, fairness, ops, webhooks
from casino_app.api import v1 as api_v1
from casino_app.bootstrap import Wiring


def create_api(wiring: Wiring) -> FastAPI:
    """The API over `wiring` (routes reach it through `deps.get_wiring`).

    Errors are problem+json everywhere (`errors.install`, last: its catch-all answers 404/405
    for any unmatched `/api/` request); the reference at `/api/docs` needs no CDN.
    """
    api = FastAPI(
        title="Kasyno Lotto API",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    api.state.wiring = wiring
    api.include_router(ops.router)
    api.include_router(api_v1.router)
    api.include_router(browser_session.router)
    api.include_router(docs.router)
    api.include_router(fairness.router)
    api.include_router(webhooks.router)
    errors.install(api)
    return api
