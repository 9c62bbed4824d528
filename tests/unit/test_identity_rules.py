"""Registration rules: email shape, password length (12..128), minimum age 18."""

from __future__ import annotations

from datetime import date

import pytest

from casino_app.domain.errors import InvalidEmail, Underage, WeakPassword
from casino_app.domain.identity import rules

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  Alice@Example.COM ", "alice@example.com"),
        ("bob.smith+tag@mail.example.co.uk", "bob.smith+tag@mail.example.co.uk"),
    ],
)
def test_email_is_trimmed_and_lower_cased(raw: str, normalized: str) -> None:
    assert rules.normalize_email(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "alice",
        "alice@",
        "@example.com",
        "alice@example",
        "a b@example.com",
        "alice@-example.com",
        "<alice>@example.com",
        "a@" + "x" * 250 + ".com",
    ],
)
def test_malformed_email_is_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        rules.normalize_email(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "\u202egnp.exe@example.com",  # right-to-left override: operators would read "exe.png"
        "eve\u200b@example.com",  # zero-width space
        "eve\u2066x\u2069@example.com",  # bidirectional isolates
        "eve\ufeff@example.com",  # byte-order mark
        "eve\u200f@example.com",  # right-to-left mark
        "eve\x00@example.com",
        "eve\x7f@example.com",
        "eve\u0085@example.com",  # a C1 control
        "eve\ue000@example.com",  # private use
    ],
    ids=["rlo", "zwsp", "isolates", "bom", "rlm", "nul", "del", "c1", "private-use"],
)
def test_invisible_and_bidirectional_characters_in_an_email_are_refused_like_in_names(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        rules.normalize_email(raw)


@pytest.mark.parametrize("length", [12, 13, 64, 128])
def test_password_of_12_to_128_characters_is_accepted(length: int) -> None:
    password = "p" * length
    assert rules.check_password(password) == password


@pytest.mark.parametrize(("length", "hint"), [(0, "at least 12"), (11, "at least 12"), (129, "at most 128")])
def test_password_shorter_than_12_or_longer_than_128_is_refused(length: int, hint: str) -> None:
    with pytest.raises(WeakPassword, match=hint):
        rules.check_password("p" * length)


def test_person_who_turns_18_today_may_register() -> None:
    assert rules.check_age(date(2008, 3, 1), TODAY) == date(2008, 3, 1)


def test_person_who_turns_18_tomorrow_may_not_register() -> None:
    with pytest.raises(Underage, match="at least 18"):
        rules.check_age(date(2008, 3, 2), TODAY)


def test_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(Underage, match="future"):
        rules.check_age(date(2026, 3, 2), TODAY)


def test_leap_day_birthday_counts_from_the_first_of_march() -> None:
    born = date(2008, 2, 29)
    with pytest.raises(Underage):
        rules.check_age(born, date(2026, 2, 28))
    assert rules.check_age(born, date(2026, 3, 1)) == born


def test_age_is_counted_in_whole_years() -> None:
    assert rules.age_on(date(2000, 6, 15), date(2026, 6, 14)) == 25
    assert rules.age_on(date(2000, 6, 15), date(2026, 6, 15)) == 26
