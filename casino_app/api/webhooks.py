"""`POST /api/webhooks/{provider}`: payment providers tell us what happened.

The raw body goes to `services/payments/webhooks.receive_webhook` untouched (the signature is
over its exact bytes): signature first, then dedup by event id, then the payment's state machine.
Unknown provider 404; missing, wrong or stale signature 401 (nothing written); a body we cannot
read 400; an amount or currency that differs from the payment 422 (refused and alerted).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from casino_app.api.errors import problem, problem_responses
from casino_app.domain.errors import NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.errors import InvalidSignature, MalformedWebhook, WebhookMismatch
from casino_app.services.payments.deposits import webhooks

MAX_WEBHOOK_BYTES = 64 * 1024

router = APIRouter(tags=["webhooks"], responses=problem_responses(400, 401, 404, 413, 422, 500))
ProviderName = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,32}$", description="The provider's name")]


class WebhookAck(BaseModel):
    received: bool
    event_id: str
    outcome: str


@router.post("/api/webhooks/{provider}", response_model=WebhookAck)
async def receive(provider: ProviderName, request: Request) -> Response:
    """A provider's signed event (see docs/PAYMENTS.md for the signature scheme)."""
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        return problem(413, "payload_too_large", "A webhook is at most 64 KiB.")
    wiring = request.app.state.wiring
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        receipt = await asyncio.to_thread(
            webhooks.receive_webhook,
            wiring.uow(),
            Actor.system(f"webhook:{provider}"),
            provider,
            headers,
            body,
            wiring.now(),
        )
    except NotFound:
        return problem(404, "not_found", "There is no such payment provider.")
    except InvalidSignature as err:
        return problem(401, err.code, err.message)
    except MalformedWebhook as err:
        return problem(400, err.code, err.message)
    except WebhookMismatch as err:
        return problem(422, err.code, "The event does not match the payment; it was refused and reported.")
    return JSONResponse({"received": True, "event_id": receipt.event_id, "outcome": receipt.outcome})
