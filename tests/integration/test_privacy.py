"""Player data: a full JSON download, and erasure that pseudonymizes but keeps the ledger (issue 4)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN, SandboxProvider
from casino_app.domain.errors import DomainError, InvalidInput
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Draw
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance import privacy
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.identity import signin
from casino_app.services.money import ledger
from casino_app.services.payments import deposits
from casino_app.services.security import audit
from tests.support import PASSWORD, registration

EMAIL = "jan.kowalski@example.com"


def _player(uow: UnitOfWork, now: datetime, deposit_minor: int = 0) -> UserView:
    cmd = registration(EMAIL, full_name="Jan Kowalski", phone="+48 600 100 200", country="PL")
    user = signin.register_player(uow, cmd, now)
    if deposit_minor:
        dep = deposits.Deposit(user.id, f"order-{user.id}", deposit_minor, "EUR", APPROVE_TOKEN)
        deposits.deposit(uow, SandboxProvider(), dep, now)
    return user


def _spend_all(uow: UnitOfWork, user: UserView, now: datetime, minor: int) -> None:
    for i in range(minor // 1_00):
        cmd = lotto.PlaceLottoTicket(user.id, "lotto649", (1, 2, 3, 4, 5, 6 + i), 1_00, f"req-{i}")
        lotto.place_lotto_ticket(uow, cmd, now)


def test_the_download_holds_profile_money_tickets_and_no_secrets(
    uow: UnitOfWork, games: dict[str, Draw], now: datetime
) -> None:
    user = _player(uow, now, deposit_minor=10_00)
    _spend_all(uow, user, now, 2_00)
    data = privacy.export_player_data(uow, user.id, now)
    assert data["format"] == "kasyno-player-data/1"
    profile = data["profile"]
    assert (profile["email"], profile["full_name"], profile["birth_date"]) == (
        EMAIL,
        "Jan Kowalski",
        "1990-01-01",
    )
    assert profile["phone"].replace(" ", "").endswith("600100200")
    assert [a["amount"] for a in data["accounts"] if a["kind"] == "player_cash"] == ["8.00"]
    assert {t["kind"] for t in data["transactions"]} >= {"deposit", "stake"}
    assert [p["amount"] for p in data["payments"]] == ["10.00"]
    assert len(data["tickets"]) == 2 and data["tickets"][0]["game"]
    assert "auth.register" in {a["action"] for a in data["activity"]}
    text = json.dumps(data)
    for secret in ("password", "totp_secret", "token", "$argon2"):
        assert secret not in text


def test_only_players_have_a_self_service_download(uow: UnitOfWork, now: datetime) -> None:
    op = signin.create_operator(uow, "boss@example.com", "Back-Office-Secret-2026", "admin", now)
    with pytest.raises(DomainError):
        privacy.export_player_data(uow, op.id, now)


def test_erasure_is_refused_while_money_is_in_the_account(uow: UnitOfWork, now: datetime) -> None:
    user = _player(uow, now, deposit_minor=5_00)
    with pytest.raises(InvalidInput, match="balance"):
        privacy.erase_player(uow, user.id, actor=f"player:{user.id}", reason="request", now=now)
    assert privacy.export_player_data(uow, user.id, now)["profile"]["full_name"] == "Jan Kowalski"


def test_erasure_pseudonymizes_personal_data_and_keeps_the_ledger(
    uow: UnitOfWork, db: Database, games: dict[str, Draw], now: datetime
) -> None:
    user = _player(uow, now, deposit_minor=5_00)
    _spend_all(uow, user, now, 5_00)
    with db.read_engine.connect() as conn:
        ledger_before = conn.execute(sa.text("SELECT COUNT(*) FROM ledger_entries")).scalar_one()
    cleared = privacy.erase_player(uow, user.id, actor=f"player:{user.id}", reason="GDPR art. 17", now=now)
    assert cleared >= 3

    data = privacy.export_player_data(uow, user.id, now)
    profile = data["profile"]
    assert profile["status"] == "erased"
    assert (profile["email"], profile["full_name"], profile["birth_date"], profile["phone"]) == (
        "",
        "",
        "",
        "",
    )
    assert len(data["tickets"]) == 5 and data["payments"]  # kept for legal retention
    with db.read_engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": user.id}).mappings().one()
        assert conn.execute(sa.text("SELECT COUNT(*) FROM ledger_entries")).scalar_one() == ledger_before
        mail = conn.execute(
            sa.text("SELECT COUNT(*) FROM mail_outbox WHERE user_id = :id AND body_enc IS NOT NULL"),
            {"id": user.id},
        ).scalar_one()
    assert row["full_name_enc"] is None and row["phone_index"] is None and mail == 0
    assert row["email_index"] != signin.email_index(EMAIL)
    assert "jan" not in json.dumps({k: str(v) for k, v in row.items()}).lower()
    with uow.reader() as r:
        assert ledger.check_integrity(r.session) == []
        assert audit.verify(r.session).ok
        erased = r.session.execute(
            sa.text("SELECT actor, details FROM audit_log WHERE action = 'privacy.erased'")
        ).one()
    assert erased.actor == f"player:{user.id}" and "GDPR" in erased.details


def test_an_erased_player_cannot_sign_in_and_the_email_can_register_again(
    uow: UnitOfWork, now: datetime
) -> None:
    user = _player(uow, now)
    privacy.erase_player(uow, user.id, actor="operator:1", reason="request by email", now=now)
    with pytest.raises(DomainError):
        signin.authenticate(uow, EMAIL, PASSWORD, now)
    again = signin.register_player(uow, registration(EMAIL), now)
    assert again.id != user.id
    assert privacy.erase_player(uow, user.id, actor="operator:1", reason="twice", now=now) == 0
