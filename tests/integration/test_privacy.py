"""Player data: a full JSON download, and erasure that pseudonymizes but keeps the ledger (issue 4)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.domain.errors import DomainError, InvalidInput, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance import privacy
from casino_app.services.compliance.rg.dto import SetLimit
from casino_app.services.compliance.rg.exclusion import periods as exclusion
from casino_app.services.compliance.rg.limits import setting as limits
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.identity.accounts import preferences, users
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.identity.sessions import signin
from casino_app.services.money import ledger, transfers
from casino_app.services.payments.deposits import deposits
from casino_app.services.security import audit
from tests.support import PASSWORD, count_rows, registration

EMAIL = "jan.kowalski@example.com"


def _player(uow: UnitOfWork, now: datetime, deposit_minor: int = 0) -> UserView:
    cmd = registration(EMAIL, full_name="Jan Kowalski", phone="+48 600 100 200", country="PL")
    user = registering.register_player(uow, cmd, now)
    if deposit_minor:
        dep = deposits.Deposit(f"order-{user.id}", deposit_minor, user.currency, APPROVE_TOKEN)
        deposits.deposit(uow, Actor.player(user.id), dep, now)
    return user


def _spend_all(uow: UnitOfWork, user: UserView, now: datetime, minor: int) -> None:
    for i in range(minor // 1_00):
        cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6 + i), 1_00, f"req-{i}")
        lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def test_the_download_holds_profile_money_bets_and_no_secrets(
    uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    user = _player(uow, now, deposit_minor=10_00)
    _spend_all(uow, user, now, 2_00)
    data = privacy.export_player_data(uow, Actor.player(user.id), now)
    assert data["format"] == "kasyno-player-data/3"
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
    assert len(data["bets"]) == 2 and data["bets"][0]["game"]
    assert "auth.register" in {a["action"] for a in data["activity"]}
    assert [(n["kind"], n["details"]["amount_minor"]) for n in data["inbox"]] == [
        ("deposit_confirmed", 10_00)
    ]
    text = json.dumps(data)
    for secret in ("password", "totp_secret", "token", "$argon2"):
        assert secret not in text


def test_only_players_have_a_self_service_download_and_a_refusal_is_audited(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    op = registering.create_operator(
        uow, Actor.system(), "boss@example.com", "Back-Office-Secret-2026", "admin", now
    )
    for actor in (Actor.operator(op.id, "admin"), Actor.anonymous(), Actor.system()):
        with pytest.raises(PermissionDenied):
            privacy.export_player_data(uow, actor, now)
        with pytest.raises(PermissionDenied):
            privacy.erase_player(uow, actor, reason="request", now=now)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 6
    assert count_rows(db, "audit_log", "action LIKE 'privacy.%'") == 0


def test_the_download_is_audited_in_the_same_transaction(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    user = _player(uow, now, deposit_minor=10_00)
    text = privacy.download_player_data(uow, Actor.player(user.id), now)
    assert json.loads(text)["profile"]["email"] == EMAIL
    assert count_rows(db, "audit_log", f"action = 'privacy.exported' AND actor = 'player:{user.id}'") == 1


def test_erasure_is_refused_while_money_is_in_the_account(uow: UnitOfWork, now: datetime) -> None:
    user = _player(uow, now, deposit_minor=5_00)
    me = Actor.player(user.id)
    transfers.grant_bonus(uow, Actor.system(), user.id, 1_00, "EUR", "bonus-1", now)
    assert privacy.erasure_blockers(uow, me) == ["€5.00 cash", "€1.00 bonus"]
    with pytest.raises(InvalidInput, match="balance"):
        privacy.erase_player(uow, me, reason="request", now=now)
    assert privacy.export_player_data(uow, me, now)["profile"]["full_name"] == "Jan Kowalski"
    assert {a["kind"] for a in privacy.export_player_data(uow, me, now)["accounts"]} == {
        "player_cash",
        "player_bonus",
    }


def test_erasure_pseudonymizes_personal_data_and_keeps_the_ledger(
    uow: UnitOfWork, db: Database, games: dict[str, Round], now: datetime
) -> None:
    user = _player(uow, now, deposit_minor=5_00)
    me = Actor.player(user.id)
    _spend_all(uow, user, now, 5_00)
    with db.read_engine.connect() as conn:
        ledger_before = conn.execute(sa.text("SELECT COUNT(*) FROM ledger_entries")).scalar_one()
    cleared = privacy.erase_player(uow, me, reason="GDPR art. 17", now=now)
    assert cleared >= 3

    data = privacy.export_player_data(uow, me, now)
    profile = data["profile"]
    assert profile["status"] == "erased"
    assert (profile["email"], profile["full_name"], profile["birth_date"], profile["phone"]) == (
        "",
        "",
        "",
        "",
    )
    assert len(data["bets"]) == 5 and data["payments"]  # kept for legal retention
    assert data["inbox"] == []  # notices are no record: gone with the person
    with db.read_engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": user.id}).mappings().one()
        assert conn.execute(sa.text("SELECT COUNT(*) FROM ledger_entries")).scalar_one() == ledger_before
        mail = conn.execute(
            sa.text("SELECT COUNT(*) FROM mail_outbox WHERE user_id = :id AND body_enc IS NOT NULL"),
            {"id": user.id},
        ).scalar_one()
    assert row["full_name_enc"] is None and row["phone_index"] is None and mail == 0
    assert row["email_index"] != users.email_index(uow.context.keys, EMAIL)
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
    me = Actor.player(user.id)
    privacy.erase_player(uow, me, reason="request by email", now=now)
    with pytest.raises(DomainError):
        signin.authenticate(uow, EMAIL, PASSWORD, now)
    again = registering.register_player(uow, registration(EMAIL), now)
    assert again.id != user.id
    assert privacy.erase_player(uow, me, reason="twice", now=now) == 0


def test_the_download_holds_the_responsible_gaming_history_and_preferences(
    uow: UnitOfWork, now: datetime
) -> None:
    user = _player(uow, now)
    me = Actor.player(user.id)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 200_00), now)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 120_00), now)
    preferences.update_preferences(uow, me, now, language="pl", time_zone="Europe/Warsaw")
    exclusion.take_time_out(uow, me, timedelta(hours=24), now)

    data = privacy.export_player_data(uow, me, now)

    rg = data["responsible_gaming"]
    assert [(c["limit"], c["to_minor"]) for c in rg["limit_changes"]] == [
        ("deposit_day", 200_00),
        ("deposit_day", 120_00),
    ]
    assert [(b["kind"], b["ends_at"]) for b in rg["breaks_and_exclusions"]] == [
        ("timeout", (now + timedelta(hours=24)).isoformat())
    ]
    assert data["preferences"] == {"language": "pl", "time_zone": "Europe/Warsaw", "favourite_games": []}
