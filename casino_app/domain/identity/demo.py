"""The published demo logins (README, `make run`): they sign in only while demo mode is on.

Their passwords are public, so outside demo mode a sign-in with these addresses is refused
like a wrong password (the same answer, counted and audited), whatever the database holds.
"""

from __future__ import annotations

DEMO_PLAYER = ("demo@kasyno.example", "lucky-numbers-2026")
DEMO_OPERATOR = ("ops@kasyno.example", "back-office-2026")
DEMO_EMAILS = frozenset({DEMO_PLAYER[0], DEMO_OPERATOR[0]})


def signs_in(normalized_email: str, *, demo_mode: bool) -> bool:
    """False for a published demo login outside demo mode; True for every other address."""
    return demo_mode or normalized_email not in DEMO_EMAILS
