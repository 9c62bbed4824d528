"""TOTP codes: RFC 6238 steps, one step either side, each code once; recovery code formats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from casino_app.domain.identity import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 3, 1, 12, 0, 10, tzinfo=UTC)


def _code(at: datetime) -> str:
    return pyotp.TOTP(SECRET).at(at)


def test_the_current_code_matches_its_step() -> None:
    assert totp.match_step(SECRET, _code(NOW), NOW, None) == totp.time_step(NOW)


@pytest.mark.parametrize("offset_s", [-30, 30])
def test_a_code_one_step_early_or_late_is_accepted(offset_s: int) -> None:
    at = NOW + timedelta(seconds=offset_s)
    assert totp.match_step(SECRET, _code(at), NOW, None) == totp.time_step(at)


@pytest.mark.parametrize("offset_s", [-60, 60, -3600])
def test_a_code_two_or_more_steps_away_is_refused(offset_s: int) -> None:
    assert totp.match_step(SECRET, _code(NOW + timedelta(seconds=offset_s)), NOW, None) is None


def test_a_used_step_cannot_be_replayed_and_an_earlier_one_neither() -> None:
    step = totp.time_step(NOW)
    assert totp.match_step(SECRET, _code(NOW), NOW, step) is None
    assert totp.match_step(SECRET, _code(NOW - timedelta(seconds=30)), NOW, step) is None
    assert totp.match_step(SECRET, _code(NOW + timedelta(seconds=30)), NOW, step) == step + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 56x"])
def test_malformed_codes_never_match(code: str) -> None:
    assert totp.clean_code(code) == ""
    assert totp.match_step(SECRET, code, NOW, None) is None


def test_codes_may_be_typed_with_spaces() -> None:
    assert totp.clean_code(" 123 456 ") == "123456"


def test_provisioning_uri_names_the_issuer_and_account() -> None:
    uri = totp.provisioning_uri(SECRET, "ops@kasyno.example")
    assert uri.startswith("otpauth://totp/Kasyno%20Lotto:ops%40kasyno.example?secret=")
    assert "issuer=Kasyno%20Lotto" in uri


def test_ten_recovery_codes_are_distinct_and_well_formed() -> None:
    codes = totp.new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    for code in codes:
        assert totp.clean_recovery_code(code) == code
        assert len(code) == 11 and code[5] == "-"


def test_recovery_codes_are_read_leniently() -> None:
    assert totp.clean_recovery_code(" abcde fghjk ") == "ABCDE-FGHJK"
    assert totp.clean_recovery_code("ABCDE-FGHJ") == ""
    assert totp.clean_recovery_code("ABCDE-FGHJ1") == ""  # 1 is not in the alphabet
