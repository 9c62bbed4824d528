"""The CSRF token of a browser session: an HMAC of the session's id, never a credential alone.

A page's script sends it (header `X-CSRF-Token`) beside the HttpOnly session cookie when it calls
the API itself (the offline ticket queue). Another site cannot read it (same-origin policy) and
it is worth nothing without the cookie; a new session has a new token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

HEADER = "X-CSRF-Token"
_PURPOSE = b"kasyno-csrf/1"


def csrf_key(index_key: bytes) -> bytes:
    """The CSRF key derived from the server's blind-index key (one purpose per derived key)."""
    return hmac.new(index_key, _PURPOSE, hashlib.sha256).digest()


def csrf_token(key: bytes, session_id: int) -> str:
    """The token bound to one browser session."""
    mac = hmac.new(key, f"session:{session_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_matches(key: bytes, session_id: int, presented: str) -> bool:
    """Whether `presented` is this session's token (compared in constant time)."""
    return hmac.compare_digest(csrf_token(key, session_id).encode(), presented.strip().encode())
