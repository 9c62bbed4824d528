"""TOTP (RFC 6238) codes and recovery codes: formats, matching with a replay guard.

A code is accepted in the current 30-second step or one step either side (`valid_window=1`),
and only when its step is later than the last step already used, so each code works once.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

import pyotp

ISSUER = "Kasyno Lotto"
STEP_SECONDS = 30
VALID_WINDOW = 1
DIGITS = 6
RECOVERY_CODES = 10
# 10 characters of base32 (50 bits); shown as XXXXX-XXXXX.
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_RECOVERY_LENGTH = 10
_CODE = re.compile(r"^\d{6}$")
_RECOVERY = re.compile(r"^[A-Z2-9]{10}$")


def new_secret() -> str:
    """A random base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def clean_code(raw: str) -> str:
    """Digits only ("123 456" -> "123456"); "" when it is not six digits."""
    code = "".join((raw or "").split())
    return code if _CODE.match(code) else ""


def time_step(now: datetime) -> int:
    """The 30-second step `now` falls in."""
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The code for one time step (tests and the demo use it to act as the authenticator)."""
    return pyotp.TOTP(secret).generate_otp(step)


def match_step(secret: str, code: str, now: datetime, last_used_step: int | None) -> int | None:
    """The time step `code` belongs to, or None when it is wrong, too old, or already used.

    Args:
        secret: the base32 secret.
        code: six digits (already cleaned).
        now: the current time.
        last_used_step: the step of the last accepted code (replay guard), if any.
    """
    if not _CODE.match(code or ""):
        return None
    totp = pyotp.TOTP(secret)
    current = time_step(now)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        # Compare every candidate so that timing does not reveal which step matched.
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    if found is None or (last_used_step is not None and found <= last_used_step):
        return None
    return found


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """`count` random single-use codes, formatted XXXXX-XXXXX."""
    return [_format_recovery(_random_recovery()) for _ in range(count)]


def _random_recovery() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))


def _format_recovery(raw: str) -> str:
    return f"{raw[:5]}-{raw[5:]}"


def clean_recovery_code(raw: str) -> str:
    """The canonical form of a typed recovery code ("abcde fghjk" -> "ABCDE-FGHJK"); "" if malformed."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    return _format_recovery(text) if _RECOVERY.match(text) else ""
