"""The password policy: 12..128 characters, no composition rules, not common, not the email or brand."""

from __future__ import annotations

import pytest

from casino_app.domain.errors import WeakPassword
from casino_app.domain.identity import passwords
from casino_app.services.identity.credentials import passwords as hashing


def test_the_bundled_list_holds_the_10000_most_common_passwords() -> None:
    common = passwords.common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "1q2w3e4r5t6y"} <= common


@pytest.mark.parametrize("password", ["1q2w3e4r5t6y", "123qweasdzxc", "QWERTY123456", "leavemealone"])
def test_a_common_password_is_refused_in_any_case(password: str) -> None:
    with pytest.raises(WeakPassword, match="too common"):
        passwords.check_password(password)


def test_no_composition_rules_a_long_lower_case_phrase_is_fine() -> None:
    phrase = "purple elephants dance quietly"
    assert passwords.check_password(phrase) == phrase


def test_password_is_never_truncated_or_stripped() -> None:
    padded = "  spaces around me  "
    assert passwords.check_password(padded) == padded
    long = "a-long-passphrase-" * 7  # 126 characters
    assert passwords.check_password(long) == long


@pytest.mark.parametrize(("length", "hint"), [(11, "at least 12"), (129, "at most 128")])
def test_length_limits(length: int, hint: str) -> None:
    with pytest.raises(WeakPassword, match=hint):
        passwords.check_password("x7" * (length // 2) + "x" * (length % 2))


@pytest.mark.parametrize("password", ["JohnSmith-1984!!", "my john.smith password", "xx-JOHN_SMITH-xx"])
def test_password_containing_the_email_local_part_is_refused(password: str) -> None:
    with pytest.raises(WeakPassword, match="email"):
        passwords.check_password(password, email="john.smith@example.com")


@pytest.mark.parametrize("password", ["i love kasyno lotto", "KASYNO-winner-2026", "kasynolotto!!!!"])
def test_password_containing_the_brand_is_refused(password: str) -> None:
    with pytest.raises(WeakPassword, match="name of this site"):
        passwords.check_password(password)


def test_a_very_short_local_part_does_not_refuse_everything() -> None:
    assert passwords.check_password("jolly good fellow", email="jo@example.com")


def test_hashes_are_argon2id_with_owasp_parameters_and_verify() -> None:
    stored = hashing.hash_secret("correct-horse-battery")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hashing.verify("correct-horse-battery", stored)
    assert not hashing.verify("correct-horse-batterY", stored)
    assert not hashing.verify("anything", "not-a-hash")


def test_a_hash_with_old_parameters_is_replaced_at_verification() -> None:
    from passlib.context import CryptContext

    weak = CryptContext(schemes=["argon2"], argon2__type="ID", argon2__memory_cost=1024, argon2__time_cost=1)
    old_hash = weak.hash("correct-horse-battery")
    ok, new_hash = hashing.verify_and_update("correct-horse-battery", old_hash)
    assert ok and new_hash is not None
    assert new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hashing.verify_and_update("correct-horse-battery", new_hash) == (True, None)


def test_the_dummy_verification_runs_the_same_argon2_work_as_a_real_one(monkeypatch) -> None:
    """Equal cost by construction (no stopwatch): same scheme, same parameters, one verify."""
    real = hashing.hash_secret("correct-horse-battery")
    dummy = hashing._dummy_hash()
    assert real.rsplit("$", 2)[0] == dummy.rsplit("$", 2)[0]  # "$argon2id$v=19$m=...,t=...,p=..."
    verified: list[str] = []
    original = hashing.HASHER.verify
    monkeypatch.setattr(hashing.HASHER, "verify", lambda s, h: verified.append(h) or original(s, h))
    hashing.burn_time("wrong-password-123")
    assert verified == [dummy]
