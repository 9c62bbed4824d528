"""Registration rules that need no I/O: email, names, phone, country, age, consent versions."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from casino_app.domain.errors import (
    InvalidEmail,
    InvalidInput,
    TermsNotAccepted,
    Underage,
)
from casino_app.domain.identity.passwords import MAX_PASSWORD as MAX_PASSWORD
from casino_app.domain.identity.passwords import MIN_PASSWORD as MIN_PASSWORD
from casino_app.domain.identity.passwords import check_password as _check_password

MIN_AGE = 18
MAX_EMAIL = 254
MAX_FULL_NAME = 100
MAX_USER_AGENT = 255
TERMS_VERSION = "2026-01"
PRIVACY_VERSION = "2026-01"
ROLES = ("player", "support", "kyc_officer", "finance", "risk_compliance", "admin")
_EMAIL = re.compile(
    r"^[^@\s<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")

# Countries where the default profile accepts players (ISO 3166-1 alpha-2 -> English name).
COUNTRIES: dict[str, str] = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "CA": "Canada",
    "CH": "Switzerland",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IS": "Iceland",
    "IT": "Italy",
    "LI": "Liechtenstein",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MT": "Malta",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
}


def _has_invisible(text: str) -> bool:
    """Control, format (bidirectional overrides, zero-width), private-use or unassigned characters."""
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def normalize_email(raw: str) -> str:
    """Trim and lower-case the address, or raise `InvalidEmail`.

    Invisible and bidirectional characters are refused as in names: an operator must read
    the address as it is ("\u202egnp.exe@..." would show as "...@exe.png").
    """
    email = (raw or "").strip().lower()
    if len(email) > MAX_EMAIL or _has_invisible(email) or not _EMAIL.match(email):
        raise InvalidEmail("Enter a valid email address, such as name@example.com.")
    return email


def check_password(password: str, email: str = "") -> str:
    """The password policy (see `casino_app.domain.passwords`)."""
    return _check_password(password, email=email)


def clean_full_name(raw: str) -> str:
    """Collapse whitespace; refuse empty, oversized or control characters.

    Markup is not refused: a name is text and every view escapes it.
    """
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidInput("Enter your full name.")
    if len(name) > MAX_FULL_NAME:
        raise InvalidInput(f"Use at most {MAX_FULL_NAME} characters for your name.")
    if _has_invisible(name):
        raise InvalidInput("Your name contains characters we cannot accept.")
    return name


def normalize_phone(raw: str) -> str:
    """An optional phone number in E.164 form ("+48 601-234-567" -> "+48601234567"); "" when empty."""
    text = (raw or "").strip()
    if not text:
        return ""
    phone = _PHONE_SEPARATORS.sub("", text)
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if len(text) > 32 or not _E164.match(phone):
        raise InvalidInput("Enter your phone number with its country code, such as +44 20 7946 0000.")
    return phone


def check_country(raw: str) -> str:
    """An ISO 3166-1 alpha-2 code we accept players from."""
    code = (raw or "").strip().upper()
    if code not in COUNTRIES:
        raise InvalidInput("Choose the country you live in from the list.")
    return code


def check_consent(terms_version: str, privacy_version: str) -> None:
    """Both the current terms and the current privacy notice must be accepted."""
    if terms_version != TERMS_VERSION or privacy_version != PRIVACY_VERSION:
        raise TermsNotAccepted("Accept the terms and the privacy notice to create an account.")


def age_on(birth: date, today: date) -> int:
    """Whole years between `birth` and `today`."""
    before_birthday = (today.month, today.day) < (birth.month, birth.day)
    return today.year - birth.year - int(before_birthday)


def check_age(birth: date, today: date, minimum: int = MIN_AGE) -> date:
    """Raise `Underage` unless the person is at least `minimum` years old today."""
    if birth > today:
        raise Underage("The date of birth is in the future.")
    if birth.year < today.year - 130:
        raise InvalidInput("Check the year of your date of birth.")
    if age_on(birth, today) < minimum:
        raise Underage(f"You must be at least {minimum} years old to play.")
    return birth
