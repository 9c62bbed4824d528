"""`keys rotate`: a new KEK version, every record re-wrapped in batches, resumable after a crash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from casino_app.adapters.keys import LocalKeyring
from casino_app.domain.errors import KeyStillInUse, KeyUnavailable, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.security import audit, crypto, key_management
from tests.support import count_rows, make_wiring

ROWS = 23
META = sa.MetaData()
NOTES = sa.Table(
    "secret_notes",
    META,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note_enc", sa.Text),
    sa.Column("iban_enc", sa.Text),
)
TABLES = [(NOTES, [NOTES.c.note_enc, NOTES.c.iban_enc])]
SHELL = Actor.system("test")


class Crash(Exception):
    pass


@pytest.fixture
def keys(tmp_path: Path) -> LocalKeyring:
    return LocalKeyring(tmp_path / "keyring.json")


@pytest.fixture
def uow(db: Database, keys: LocalKeyring) -> UnitOfWork:
    """Units of work on a wiring with this test's own keyring (rotation adds versions to it)."""
    return make_wiring(db, keys=keys).uow()


@pytest.fixture
def notes(db: Database, keys: LocalKeyring) -> dict[int, tuple[str, str | None]]:
    """ROWS sealed rows (every third without an IBAN) in a throwaway table."""
    META.create_all(db.write_engine)
    plain = {i: (f"note {i} żółw", None if i % 3 == 0 else f"PL{i:026d}") for i in range(1, ROWS + 1)}
    with db.write_engine.begin() as conn:
        for i, (note, iban) in plain.items():
            conn.execute(
                NOTES.insert().values(
                    id=i,
                    note_enc=crypto.seal(note, table="secret_notes", column="note_enc", row_id=i, keys=keys),
                    iban_enc=None
                    if iban is None
                    else crypto.seal(iban, table="secret_notes", column="iban_enc", row_id=i, keys=keys),
                )
            )
    return plain


def _read(db: Database, keys: LocalKeyring) -> dict[int, tuple[str, str | None, int]]:
    with db.read_engine.connect() as conn:
        rows = conn.execute(sa.select(NOTES).order_by(NOTES.c.id)).all()
    out = {}
    for row in rows:
        note = crypto.unseal(row.note_enc, table="secret_notes", column="note_enc", row_id=row.id, keys=keys)
        iban = (
            None
            if row.iban_enc is None
            else crypto.unseal(
                row.iban_enc, table="secret_notes", column="iban_enc", row_id=row.id, keys=keys
            )
        )
        out[row.id] = (note, iban, crypto.key_version(row.note_enc))
    return out


def _rotate(uow: UnitOfWork, keys: LocalKeyring, now: datetime, **kw: Any) -> key_management.RotationReport:
    assert uow.context.keys is keys
    return key_management.rotate(uow, SHELL, now, batch_size=5, tables=TABLES, **kw)


def test_rotation_rewraps_every_record_and_values_stay_readable(
    uow: UnitOfWork, db: Database, keys: LocalKeyring, notes: dict[int, Any], now: datetime
) -> None:
    before = {}
    with db.read_engine.connect() as conn:
        before = {r.id: r.note_enc for r in conn.execute(sa.select(NOTES))}
    report = _rotate(uow, keys, now)
    assert (report.version, report.resumed) == (2, False)
    assert report.rewrapped == ROWS + sum(1 for _, iban in notes.values() if iban)
    after = _read(db, keys)
    assert {i: (n, b) for i, (n, b, _) in after.items()} == notes
    assert {v for *_, v in after.values()} == {2}
    with db.read_engine.connect() as conn:
        for r in conn.execute(sa.select(NOTES)):
            assert r.note_enc.split(".")[3:] == before[r.id].split(".")[3:]  # ciphertext untouched
    assert key_management.records_using(uow, SHELL, 1, TABLES) == {}


def test_rotation_interrupted_after_a_batch_resumes_where_it_stopped(
    uow: UnitOfWork, db: Database, keys: LocalKeyring, notes: dict[int, Any], now: datetime
) -> None:
    def crash_after_first_batch(table: str, last_id: int) -> None:
        raise Crash(f"{table} up to {last_id}")

    with pytest.raises(Crash, match="up to 5"):
        _rotate(uow, keys, now, after_batch=crash_after_first_batch)
    mid = _read(db, keys)
    assert [i for i, (*_, v) in mid.items() if v == 2] == [1, 2, 3, 4, 5]
    assert key_management.status(uow, SHELL, now).running_rotation == 2
    with pytest.raises(KeyStillInUse, match="secret_notes"):
        key_management.retire(uow, SHELL, 1, now, tables=TABLES)

    batches: list[int] = []
    report = _rotate(uow, keys, now + timedelta(minutes=1), after_batch=lambda _t, last: batches.append(last))
    assert (report.version, report.resumed) == (2, True)
    assert batches == [10, 15, 20, 23]  # starts after the committed cursor, not from the top
    assert keys.current_version() == 2  # resuming does not create yet another version
    after = _read(db, keys)
    assert {v for *_, v in after.values()} == {2}
    assert {i: (n, b) for i, (n, b, _) in after.items()} == notes
    with uow.reader() as r:
        cursor = key_management._cursor(r.session, 2, "secret_notes")
        assert cursor is not None and (cursor.status, cursor.last_id) == ("done", ROWS)
        assert cursor.rewrapped == ROWS + sum(1 for _, iban in notes.values() if iban)
        assert audit.verify(r.session).ok
    assert key_management.status(uow, SHELL, now).running_rotation is None


def test_old_versions_stay_readable_until_retired_and_retire_refuses_while_in_use(
    uow: UnitOfWork, db: Database, keys: LocalKeyring, notes: dict[int, Any], now: datetime
) -> None:
    keys.create_version(now)  # a new version without re-wrapping: v1 records stay readable
    assert _read(db, keys)[1][2] == 1
    with pytest.raises(KeyStillInUse):
        key_management.retire(uow, SHELL, 1, now, tables=TABLES)
    _rotate(uow, keys, now)  # rotates to v3
    assert key_management.retire_old(uow, SHELL, now) == [1, 2]
    with pytest.raises(KeyUnavailable):
        key_management.retire(uow, SHELL, keys.current_version(), now, tables=TABLES)
    assert [v.active for v in keys.versions()] == [False, False, True]
    assert {v for *_, v in _read(db, keys).values()} == {3}


def test_a_row_resealed_by_the_app_during_rotation_is_not_overwritten(
    uow: UnitOfWork, db: Database, keys: LocalKeyring, notes: dict[int, Any], now: datetime
) -> None:
    def app_writes_row_9(_table: str, last_id: int) -> None:
        if last_id == 5:
            token = crypto.seal(
                "changed by the app", table="secret_notes", column="note_enc", row_id=9, keys=keys
            )
            with db.write_engine.begin() as conn:
                conn.execute(NOTES.update().where(NOTES.c.id == 9).values(note_enc=token))

    _rotate(uow, keys, now, after_batch=app_writes_row_9)
    assert _read(db, keys)[9] == ("changed by the app", notes[9][1], 2)


def test_rotation_is_due_after_90_days(uow: UnitOfWork, keys: LocalKeyring, now: datetime) -> None:
    created = keys.versions()[-1].created_at
    assert not key_management.status(uow, SHELL, created + timedelta(days=89)).rotation_due
    due = key_management.status(uow, SHELL, created + timedelta(days=90))
    assert due.rotation_due and due.age_days == 90


def test_discovery_finds_the_sealed_personal_data_columns() -> None:
    found = {t.name: {c.name for c in cols} for t, cols in key_management.sealed_tables()}
    assert {"full_name_enc", "birth_date_enc", "email_enc", "totp_secret_enc"} <= found["users"]


def test_rotation_covers_registered_players(
    uow: UnitOfWork, db: Database, keys: LocalKeyring, register: Callable[..., UserView], now: datetime
) -> None:
    players = [register(f"p{i}@example.com") for i in range(3)]
    report = key_management.rotate(uow, SHELL, now, batch_size=2)
    assert "users" in report.tables
    with db.read_engine.connect() as conn:
        tokens = conn.execute(sa.text("SELECT id, email_enc FROM users WHERE email_enc IS NOT NULL")).all()
    assert tokens and {crypto.key_version(t) for _, t in tokens} == {report.version}
    by_id = {i: t for i, t in tokens}
    for p in players:
        if p.id in by_id:
            token = by_id[p.id]
            assert crypto.unseal(token, table="users", column="email_enc", row_id=p.id, keys=keys) == p.email


def test_only_security_admins_manage_keys_and_a_refusal_is_audited(
    uow: UnitOfWork, db: Database, keys: LocalKeyring, notes: dict[int, Any], now: datetime
) -> None:
    for actor in (Actor.operator(3, "finance", 1), Actor.player(4, 2)):
        with pytest.raises(PermissionDenied):
            key_management.rotate(uow, actor, now, tables=TABLES)
        with pytest.raises(PermissionDenied):
            key_management.retire_old(uow, actor, now)
    assert keys.current_version() == 1 and {v for *_, v in _read(db, keys).values()} == {1}
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 4
    assert count_rows(db, "audit_log", "action LIKE 'keys.%'") == 0
