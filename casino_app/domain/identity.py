"""Registration rules that need no I/O: email shape, password length, minimum age."""

from __future__ import annotations

import re
from datetime import date

from casino_app.domain.errors import InvalidEmail, Underage, WeakPassword

MIN_AGE = 18
MIN_PASSWORD = 12
MAX_PASSWORD = 128
MAX_EMAIL = 254
_EMAIL = re.compile(
    r"^[^@\s<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)


def normalize_email(raw: str) -> str:
    """Trim and lower-case the address, or raise `InvalidEmail`."""
    email = (raw or "").strip().lower()
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise InvalidEmail("Enter a valid email address, such as name@example.com.")
    return email


def check_password(password: str) -> str:
    """Length rules only (no composition rules, never truncated)."""
    if len(password or "") < MIN_PASSWORD:
        raise WeakPassword(f"Use at least {MIN_PASSWORD} characters for your password.")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"Use at most {MAX_PASSWORD} characters for your password.")
    return password


def age_on(birth: date, today: date) -> int:
    """Whole years between `birth` and `today`."""
    before_birthday = (today.month, today.day) < (birth.month, birth.day)
    return today.year - birth.year - int(before_birthday)


def check_age(birth: date, today: date, minimum: int = MIN_AGE) -> date:
    """Raise `Underage` unless the person is at least `minimum` years old today."""
    if birth > today:
        raise Underage("The date of birth is in the future.")
    if age_on(birth, today) < minimum:
        raise Underage(f"You must be at least {minimum} years old to play.")
    return birth
