"""Errors the sandbox API answers with (`{"error": {"type", "message", ...}}`) and body reading."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

MAX_BODY = 16 * 1024


class Problem(Exception):
    def __init__(self, status: int, kind: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": kind, "message": message, **extra}}


async def read_json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Problem(413, "invalid_request", "Body too large.")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise Problem(400, "invalid_request", "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise Problem(400, "invalid_request", "The body must be a JSON object.")
    return data


def field_of(data: dict[str, Any], name: str, kind: type, required: bool = True) -> Any:
    """`data[name]` of type `kind`; absent and optional: the type's empty value."""
    value = data.get(name)
    if value is None and not required:
        return kind()
    if not isinstance(value, kind) or isinstance(value, bool) or (kind is str and not value and required):
        raise Problem(400, "invalid_request", f"`{name}` is missing or not a {kind.__name__}.")
    return value
