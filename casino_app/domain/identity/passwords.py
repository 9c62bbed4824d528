"""The password policy (NIST SP 800-63B style): length, not common, not derived from the account.

No composition rules and no truncation. The common-password list is a bundled data file
(`common_passwords.txt` beside this module, the 10,000 most common passwords from zxcvbn's ranked list).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from casino_app.domain.errors import WeakPassword

MIN_PASSWORD = 12
MAX_PASSWORD = 128
BRAND_NAMES = ("kasyno", "kasynolotto", "kasyno lotto", "kasyno-lotto")
# A local part this short ("a@x.com") would refuse half of all passwords for no benefit.
MIN_LOCAL_PART = 3


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    text = resources.files("casino_app.domain.identity").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _fold(text: str) -> str:
    """Lower-case and drop separators so "Kasyno-Lotto" and "kasyno lotto" compare equal."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def check_password(password: str, *, email: str = "") -> str:
    """Return `password` unchanged when the policy accepts it.

    Args:
        password: the candidate, exactly as typed (never stripped or truncated).
        email: the account's normalized email; its local part may not appear in the password.

    Raises:
        WeakPassword: too short, too long, common, or contains the email's local part or the brand.
    """
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"Use at least {MIN_PASSWORD} characters for your password.")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"Use at most {MAX_PASSWORD} characters for your password.")
    if password.casefold() in common_passwords():
        raise WeakPassword("This password is too common. Choose one that is harder to guess.")
    folded = _fold(password)
    if any(_fold(brand) in folded for brand in BRAND_NAMES):
        raise WeakPassword("Your password may not contain the name of this site.")
    local = _fold(email.split("@", 1)[0]) if "@" in email else ""
    if len(local) >= MIN_LOCAL_PART and local in folded:
        raise WeakPassword("Your password may not contain your email address.")
    return password
