"""Operational endpoints: health for load balancers and probes."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from casino_app.persistence.db import Database

router = APIRouter(prefix="/api", tags=["ops"])


def _database_ok(database: Database) -> bool:
    try:
        with database.read_engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    ok = await asyncio.to_thread(_database_ok, request.app.state.wiring.database)
    return JSONResponse(
        {"status": "ok" if ok else "degraded", "database": ok}, status_code=200 if ok else 503
    )
