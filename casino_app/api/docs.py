"""`/api/docs`: the API reference, served entirely by the app.

FastAPI's Swagger UI loads its script and styles from a CDN, which the app's own CSP
(`script-src 'self'`) refuses, so it never rendered. This page is plain HTML with one
same-origin script that renders `/api/openapi.json` with DOM calls.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

PAGE_DIR = Path(__file__).resolve().parent / "docs_page"
router = APIRouter(prefix="/api/docs", include_in_schema=False)


@cache
def _asset(name: str) -> bytes:
    return (PAGE_DIR / name).read_bytes()


@router.get("")
def docs_page() -> HTMLResponse:
    return HTMLResponse(_asset("index.html"))


@router.get("/docs.js")
def docs_script() -> Response:
    return Response(_asset("docs.js"), media_type="text/javascript; charset=utf-8")


@router.get("/docs.css")
def docs_styles() -> Response:
    return Response(_asset("docs.css"), media_type="text/css; charset=utf-8")
