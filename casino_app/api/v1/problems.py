"""RFC 9457 problem+json for every v1 error, with the domain error's stable `code`.

`ProblemRoute` converts errors raised while handling a v1 request (validation included), so
the rest of the API keeps its own error handling.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from casino_app.domain import errors

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://kasyno.example/problems/"
_log = logging.getLogger(__name__)

# The most specific class wins (checked in order).
STATUS: tuple[tuple[type[errors.DomainError], int], ...] = (
    (errors.TooManyAttempts, 429),
    (errors.AccountLocked, 423),
    (errors.InvalidCode, 401),
    (errors.SecondFactorRequired, 401),
    (errors.InvalidCredentials, 401),
    (errors.InvalidToken, 401),
    (errors.SessionExpired, 401),
    (errors.StepUpRequired, 403),
    (errors.PermissionDenied, 403),
    (errors.NotFound, 404),
    (errors.EmailTaken, 409),
    (errors.InvalidInput, 422),
)
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    422: "Unprocessable content",
    423: "Locked",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body = {"type": TYPE_BASE + code, "title": TITLES.get(status, "Error"), "status": status, "code": code}
    body.update(detail=detail, **extra)
    headers = {"WWW-Authenticate": 'Bearer realm="kasyno"'} if status == 401 else {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def from_domain(err: errors.DomainError) -> JSONResponse:
    status = next((s for cls, s in STATUS if isinstance(err, cls)), 400)
    extra = {"retry_after": err.retry_after} if isinstance(err, errors.TooManyAttempts) else {}
    return problem(status, err.code, err.message, **extra)


def from_validation(err: RequestValidationError) -> JSONResponse:
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": str(e.get("msg", ""))}
        for e in err.errors()
    ]
    return problem(422, "invalid_input", "The request is not valid.", errors=fields)


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
            except Exception:
                _log.exception("unhandled error in %s %s", request.method, request.url.path)
                return problem(500, "internal_error", "Something went wrong on our side.")

        return handle
