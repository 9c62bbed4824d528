"""Operational endpoints: health for load balancers and probes."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from casino_app.api.errors import problem_responses
from casino_app.persistence.db import Database


class Health(BaseModel):
    status: str
    database: bool


router = APIRouter(prefix="/api", tags=["ops"], responses=problem_responses(413, 500))


def _database_ok(database: Database) -> bool:
    try:
        with database.read_engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
async def health(request: Request) -> JSONResponse:
    """200 when the app and its database answer, 503 (`degraded`) when the database does not."""
    ok = await asyncio.to_thread(_database_ok, request.app.state.wiring.database)
    return JSONResponse(
        {"status": "ok" if ok else "degraded", "database": ok}, status_code=200 if ok else 503
    )
