"""Every API error leaves as RFC 9457 problem+json with its own status, and is documented so.

- Framework errors (a body that is not valid UTF-8 or JSON, a wrong method, an unknown path under
  `/api/`) keep their status (400, 405 with an `Allow` header, 404) instead of becoming a 500 or
  the app's HTML 404 page.
- `problem_responses(...)` declares the problem+json answers of a route for the OpenAPI schema;
  `documented_openapi` replaces FastAPI's default 422 (`HTTPValidationError`, application/json)
  with the problem the API really sends, so the schema lists every status and media type.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://kasyno.example/problems/"
MAX_ID = 2**63 - 1  # the largest row id the databases store; bigger path ids are refused as 422
_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT", "OPTIONS")
_log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    423: "Locked",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    423: "locked",
    429: "too_many_requests",
    500: "internal_error",
}


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with the stable `code` clients switch on."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    code: str
    detail: str
    errors: list[FieldProblem] | None = None
    retry_after: int | None = None


def problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    """A problem+json response (401 names the bearer realm; `retry_after` becomes `Retry-After`)."""
    body = {"type": TYPE_BASE + code, "title": TITLES.get(status, "Error"), "status": status, "code": code}
    body.update(detail=detail, **extra)
    headers = {"WWW-Authenticate": 'Bearer realm="kasyno"'} if status == 401 else {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def from_http(err: StarletteHTTPException) -> JSONResponse:
    """A framework error (bad body, wrong method ...) as a problem with its own status."""
    status = err.status_code
    detail = err.detail if isinstance(err.detail, str) else TITLES.get(status, "Error")
    response = problem(status, CODES.get(status, "error"), detail)
    for name, value in (err.headers or {}).items():
        response.headers[name] = value
    return response


def from_validation(err: RequestValidationError) -> JSONResponse:
    """422 with one line per invalid field."""
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": str(e.get("msg", ""))}
        for e in err.errors()
    ]
    return problem(422, "invalid_input", "The request is not valid.", errors=fields)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for FastAPI: each status answered with a problem+json `Problem`."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {"description": TITLES.get(status, "Error"), "content": {MEDIA_TYPE: {"schema": ref}}}
        for status in statuses
    }


def documented_openapi(api: FastAPI) -> dict[str, Any]:
    """The app's schema with problem+json 422s and the `Problem` component."""
    if api.openapi_schema is not None:
        return api.openapi_schema
    schema = FastAPI.openapi(api)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(_problem_components())
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = problem_responses(422)[422]
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    api.openapi_schema = schema
    return schema


def _problem_components() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {**defs, "Problem": schema}


async def _http_error(_: Request, err: Exception) -> Response:
    assert isinstance(err, StarletteHTTPException)
    return from_http(err)


async def _validation_error(_: Request, err: Exception) -> Response:
    assert isinstance(err, RequestValidationError)
    return from_validation(err)


async def _server_error(request: Request, _: Exception) -> Response:
    _log.exception("unhandled error in %s %s", request.method, request.url.path)
    return problem(500, "internal_error", "Something went wrong on our side.")


def _unmatched(api: FastAPI):
    """The last `/api/` route: 405 with `Allow` when the path exists for other methods, else 404."""

    def answers(path: str, method: str) -> bool:
        scope = {"type": "http", "path": path, "method": method, "root_path": ""}
        # Not the catch-all itself, and not a mount: Reflex mounts the whole app at "" behind us.
        return any(
            route.matches(scope)[0] == Match.FULL
            for route in api.router.routes
            if getattr(route, "endpoint", None) is not unmatched and not isinstance(route, Mount)
        )

    async def unmatched(request: Request) -> Response:
        allowed = [m for m in _METHODS if m != "OPTIONS" and answers(request.url.path, m)]
        if allowed:
            allow = ", ".join(allowed)
            response = problem(405, "method_not_allowed", f"This resource answers {allow}.")
            response.headers["Allow"] = allow
            return response
        return problem(404, "not_found", "There is no such API resource.")

    return unmatched


def install(api: FastAPI) -> None:
    """Problem+json handlers for the whole API and the catch-all for unmatched `/api/` requests.

    Call it after every router is included: the catch-all must be the last route.
    """
    api.add_exception_handler(StarletteHTTPException, _http_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(Exception, _server_error)
    api.add_api_route("/api/{rest:path}", _unmatched(api), methods=list(_METHODS), include_in_schema=False)
    api.openapi = lambda: documented_openapi(api)  # type: ignore[method-assign]
