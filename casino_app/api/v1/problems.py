"""RFC 9457 problem+json for every v1 error, with the domain error's stable `code`.

`ProblemRoute` converts errors raised while handling a v1 request (validation and framework
errors included, each with its own status) into problems; `RESPONSES` documents them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from casino_app.api.errors import from_http, from_validation, problem, problem_responses
from casino_app.domain import errors

_log = logging.getLogger(__name__)


class IdempotencyKeyMissing(errors.InvalidInput):
    """A money route was called without its `Idempotency-Key` header."""

    code = "idempotency_key_required"


class IdempotencyKeyMalformed(errors.InvalidInput):
    """The `Idempotency-Key` header is not 8 to 64 letters, digits, `.`, `_`, `:` or `-`."""

    code = "invalid_idempotency_key"


class CsrfRejected(errors.PermissionDenied):
    """A cookie-authenticated call without the app's own Origin or its session's CSRF token."""

    code = "csrf_rejected"


# The most specific class wins (checked in order); any other domain error is a 400.
STATUS: tuple[tuple[type[errors.DomainError], int], ...] = (
    (errors.TooManyAttempts, 429),
    (errors.AccountLocked, 423),
    (errors.InvalidCode, 401),
    (errors.SecondFactorRequired, 401),
    (errors.InvalidCredentials, 401),
    (errors.InvalidToken, 401),
    (errors.SessionExpired, 401),
    (errors.StepUpRequired, 403),
    (errors.EmailNotVerified, 403),
    (errors.PermissionDenied, 403),
    (errors.NotFound, 404),
    (errors.EmailTaken, 409),
    # Responsible gaming: a break, an exclusion or a limit refuses; a due reality check waits.
    (errors.PlayBlocked, 403),
    (errors.LimitExceeded, 403),
    (errors.RealityCheckDue, 409),
    # Bets: a draw that stopped selling (the next one is named), a key reused for another body.
    (errors.DrawClosed, 409),
    (errors.IdempotencyConflict, 409),
    (IdempotencyKeyMissing, 400),
    (IdempotencyKeyMalformed, 400),
    (errors.InvalidInput, 422),
)
# Every status a v1 route can answer with a problem: the domain's, framework errors (400, 413
# from the body limit) and our own failures (500).
STATUSES = tuple(sorted({400, 413, 422, 500, *(status for _, status in STATUS)}))
RESPONSES = problem_responses(*STATUSES)


def from_domain(err: errors.DomainError) -> JSONResponse:
    status = next((s for cls, s in STATUS if isinstance(err, cls)), 400)
    extra: dict[str, object] = (
        {"retry_after": err.retry_after} if isinstance(err, errors.TooManyAttempts) else {}
    )
    if isinstance(err, errors.DrawClosed):
        extra = {"next_draw_id": err.next_draw_id}
    return problem(status, err.code, err.message, **extra)


class ProblemRoute(APIRoute):
    """An APIRoute whose errors leave as problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.DomainError as err:
                return from_domain(err)
            except RequestValidationError as err:
                return from_validation(err)
            except HTTPException as err:
                return from_http(err)
            except Exception:
                _log.exception("unhandled error in %s %s", request.method, request.url.path)
                return problem(500, "internal_error", "Something went wrong on our side.")

        return handle
