"""Public fairness data: the receipt-signing public key (also at a well-known URL) and the rules
of every instant game version, so receipts and rounds can be checked without trusting us.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel

from casino_app.api.errors import problem, problem_responses
from casino_app.domain.errors import DomainError
from casino_app.domain.games.vocabulary import GameKind
from casino_app.services.games import catalog, receipts

WELL_KNOWN = "/.well-known/kasyno-receipt-key.json"


class ReceiptKeyOut(BaseModel):
    algorithm: str
    public_key: str
    key_id: str


class GameRulesOut(BaseModel):
    code: str
    name: str
    version: int
    rules: dict[str, Any]


router = APIRouter(tags=["fairness"], responses=problem_responses(413, 500))
GameCode = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$", description="An instant game's code")]
Version = Annotated[int, Path(ge=1, le=1_000_000, description="A version of the game")]


def _key(request: Request) -> ReceiptKeyOut:
    key = receipts.receipt_key(request.app.state.wiring.uow())
    return ReceiptKeyOut(algorithm=key.algorithm, public_key=key.public_key, key_id=key.key_id)


@router.get(WELL_KNOWN, response_model=ReceiptKeyOut, include_in_schema=False)
async def well_known_receipt_key(request: Request) -> ReceiptKeyOut:
    return await asyncio.to_thread(_key, request)


@router.get("/api/fairness/receipt-key", response_model=ReceiptKeyOut)
async def receipt_key(request: Request) -> ReceiptKeyOut:
    """The Ed25519 public key that signs bet receipts (hex), also at /.well-known/kasyno-receipt-key.json."""
    return await asyncio.to_thread(_key, request)


def _rules(request: Request, code: str, version: int) -> GameRulesOut | None:
    try:
        game = catalog.game_facts(request.app.state.wiring.uow(), code, version)
    except DomainError:
        return None
    if game.kind != GameKind.INSTANT:
        return None
    return GameRulesOut(code=game.code, name=game.name, version=game.version, rules=dict(game.rules))


@router.get(
    "/api/fairness/games/{code}/versions/{version}",
    response_model=GameRulesOut,
    responses=problem_responses(404, 422),
)
async def game_rules(request: Request, code: GameCode, version: Version) -> Any:
    """An instant game version's rules (strips, paytable, limits): what its rounds were played under."""
    found = await asyncio.to_thread(_rules, request, code, version)
    if found is None:
        return problem(404, "not_found", "There is no such instant game version.")
    return found
