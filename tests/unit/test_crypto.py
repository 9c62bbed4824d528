"""Field-level envelope encryption and blind indexes (issue 4: personal data)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casino_app import bootstrap
from casino_app.adapters.keys import LocalKeyring
from casino_app.config import DEFAULT_KEYRING, Settings
from casino_app.domain.errors import KeyUnavailable, TamperedData
from casino_app.persistence.db import Database
from casino_app.persistence.tables import User
from casino_app.services.security import crypto
from tests.support import make_wiring

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WHERE = {"table": "users", "column": "full_name_enc", "row_id": 7}


@pytest.fixture
def keys(tmp_path: Path) -> LocalKeyring:
    return LocalKeyring(tmp_path / "keyring.json")


def test_tests_never_use_the_repository_keyring(test_keyring: LocalKeyring) -> None:
    assert test_keyring.path != DEFAULT_KEYRING
    default = make_wiring(Database("sqlite:///:memory:"))  # a test wiring without keys named
    assert isinstance(default.keys, LocalKeyring) and default.keys.path != DEFAULT_KEYRING


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_encryption_round_trip_for_any_text(test_keyring: LocalKeyring, value: str) -> None:
    token = crypto.seal(value, keys=test_keyring, **WHERE)
    assert crypto.unseal(token, keys=test_keyring, **WHERE) == value


def test_each_record_gets_its_own_data_key_and_nonce(keys: LocalKeyring) -> None:
    a = crypto.seal("Jan Kowalski", keys=keys, **WHERE)
    b = crypto.seal("Jan Kowalski", keys=keys, **WHERE)
    assert a != b
    assert a.split(".")[2] != b.split(".")[2]  # wrapped DEK
    assert "Kowalski" not in a


def test_keyring_is_created_on_first_use_with_owner_only_permissions(keys: LocalKeyring) -> None:
    assert not keys.path.exists()
    crypto.seal("x", keys=keys, **WHERE)
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600
    assert keys.current_version() == 1


@pytest.mark.parametrize("part", [2, 3, 4])
def test_a_tampered_ciphertext_is_refused(keys: LocalKeyring, part: int) -> None:
    token = crypto.seal("1990-01-01", keys=keys, **WHERE)
    pieces = token.split(".")
    raw = crypto._unb64(pieces[part])
    pieces[part] = crypto._b64(bytes([raw[0] ^ 1]) + raw[1:])
    with pytest.raises(TamperedData):
        crypto.unseal(".".join(pieces), keys=keys, **WHERE)


@pytest.mark.parametrize(
    "binding",
    [
        {"table": "payments", "column": "full_name_enc", "row_id": 7},
        {"table": "users", "column": "phone_enc", "row_id": 7},
        {"table": "users", "column": "full_name_enc", "row_id": 8},
    ],
)
def test_a_value_moved_to_another_table_column_or_row_is_refused(
    keys: LocalKeyring, binding: dict[str, object]
) -> None:
    token = crypto.seal("+48 600 000 000", keys=keys, **WHERE)
    with pytest.raises(TamperedData):
        crypto.unseal(token, keys=keys, **binding)  # type: ignore[arg-type]


@pytest.mark.parametrize("token", ["", "garbage", "e1.1.a.b", "e2.1.AA.AA.AA", "e1.x.AA.AAAAAAAAAAAAAAAA.AA"])
def test_a_malformed_token_is_refused(keys: LocalKeyring, token: str) -> None:
    with pytest.raises(TamperedData):
        crypto.unseal(token, keys=keys, **WHERE)


def test_rewrap_changes_only_the_wrapped_key_and_old_versions_stay_readable(keys: LocalKeyring) -> None:
    old = crypto.seal("PL61109010140000071219812874", keys=keys, **WHERE)
    v2 = keys.create_version(NOW)
    assert crypto.unseal(old, keys=keys, **WHERE) == "PL61109010140000071219812874"
    new = crypto.rewrap(old, v2, keys=keys)
    assert crypto.key_version(new) == v2
    assert new.split(".")[3:] == old.split(".")[3:]  # nonce and ciphertext untouched
    assert crypto.unseal(new, keys=keys, **WHERE) == "PL61109010140000071219812874"


def test_a_retired_version_cannot_be_read_and_the_current_one_cannot_be_retired(
    keys: LocalKeyring,
) -> None:
    old = crypto.seal("secret", keys=keys, **WHERE)
    v2 = keys.create_version(NOW)
    with pytest.raises(KeyUnavailable):
        keys.retire_version(v2, NOW)
    keys.retire_version(1, NOW)
    with pytest.raises(KeyUnavailable):
        crypto.unseal(old, keys=keys, **WHERE)
    assert [v.active for v in keys.versions()] == [False, True]


def test_another_process_rotating_is_seen_without_restart(keys: LocalKeyring) -> None:
    crypto.seal("x", keys=keys, **WHERE)
    other = LocalKeyring(keys.path)  # stands in for `keys rotate` in another process
    v2 = other.create_version(NOW)
    assert keys.current_version() == v2
    token = crypto.seal("y", keys=keys, **WHERE)
    assert crypto.unseal(token, keys=other, **WHERE) == "y"


def test_blind_index_is_stable_keyed_and_purpose_bound(keys: LocalKeyring, tmp_path: Path) -> None:
    a = crypto.blind_index("demo@kasyno.example", purpose="email", keys=keys)
    assert a == crypto.blind_index("demo@kasyno.example", purpose="email", keys=keys)
    assert len(a) == 64 and a != crypto.blind_index("demo@kasyno.example", purpose="phone", keys=keys)
    keys.create_version(NOW)
    assert a == crypto.blind_index("demo@kasyno.example", purpose="email", keys=keys)
    stranger = LocalKeyring(tmp_path / "other.json")
    assert a != crypto.blind_index("demo@kasyno.example", purpose="email", keys=stranger)


def test_the_wiring_builds_its_keyring_at_the_configured_path(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", keyring_path=tmp_path / "ring.json")
    wiring = bootstrap.build(settings)
    try:
        assert isinstance(wiring.keys, LocalKeyring) and wiring.keys.path == tmp_path / "ring.json"
        assert wiring.uow().context.keys is wiring.keys
    finally:
        wiring.dispose()


def test_a_sealed_column_is_bound_to_its_table_row_and_column(keys: LocalKeyring) -> None:
    alice, bob = (
        User(id=1, email_index="a", password_hash="x"),
        User(id=2, email_index="b", password_hash="x"),
    )
    crypto.seal_column(keys, alice, "full_name_enc", "Alice Kowalska")
    assert alice.full_name_enc is not None and alice.full_name_enc.startswith("e1.")
    token = alice.full_name_enc
    plain = crypto.unseal(token, table="users", column="full_name_enc", row_id=1, keys=keys)
    assert plain == "Alice Kowalska"
    assert crypto.open_column(keys, alice, "full_name_enc") == "Alice Kowalska"
    bob.full_name_enc, bob.phone_enc = alice.full_name_enc, alice.full_name_enc
    with pytest.raises(TamperedData):
        crypto.open_column(keys, bob, "full_name_enc")  # another row
    alice.phone_enc = alice.full_name_enc
    with pytest.raises(TamperedData):
        crypto.open_column(keys, alice, "phone_enc")  # another column
    crypto.seal_column(keys, alice, "phone_enc", "")
    assert alice.phone_enc is None and crypto.open_column(keys, alice, "phone_enc") == ""


def test_sealing_needs_a_flushed_row_and_a_sealed_column(keys: LocalKeyring) -> None:
    with pytest.raises(ValueError, match="after the flush"):
        crypto.seal_column(keys, User(email_index="a", password_hash="x"), "full_name_enc", "x")
    with pytest.raises(ValueError, match="no sealed column"):
        crypto.seal_column(keys, User(id=1, email_index="a", password_hash="x"), "country", "PL")
