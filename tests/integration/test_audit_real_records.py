"""`audit verify` catches tampering with records the services really wrote, of every action (issue 14.16).

A scenario drives the real services until the log holds at least one record of every action
the code base writes; then each of those records is edited in the database (past the
append-only trigger, as an attacker with database access would) and `verify` must name
exactly that record. The action list is read from the source (`action=` and `_audit(...)`
literals in `casino_app/services`), so a new action without a driver here fails the suite.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from casino_app.adapters.clock import FixedClock
from casino_app.adapters.keys import LocalKeyring
from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import DomainError
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import RgPlayer
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.backoffice import operators, seed
from casino_app.services.compliance import privacy
from casino_app.services.games import catalog, lotto, rng_health
from casino_app.services.games.certification import records, run
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto.draws import cancellation
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.accounts import preferences, registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.identity.sessions import api_tokens, signin
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import ledger, transfers
from casino_app.services.payments import reconciliation
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.services.security import audit, key_management, security_checks
from tests.support import PASSWORD, ROOT, confirm_email, mailed_token, make_wiring, open_draws, scalar
from tests.support import registration as player_form

SERVICES = ROOT / "casino_app" / "services"
DOTTED = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Actions built from a template, with every value the template takes.
TEMPLATES = {"withdrawal.{}": {"withdrawal.paid", "withdrawal.rejected"}}
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
    "postgresql": ["DROP FUNCTION casino_audit_refuse_change() CASCADE"],
}
SHELL = Actor.system("test")
HOME = ClientInfo("198.51.100.60", "Firefox")
NEW_PASSWORD = "another-long-secret-42"


# --- the actions the code base writes -------------------------------------------------------


def _template(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _actions_in(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg and kw.arg.endswith("action"):
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    yield kw.value.value
                elif isinstance(kw.value, ast.JoinedStr):
                    yield _template(kw.value)
        if "audit" in _callee(node):  # helpers such as `_audit(session, user, "auth.unlock", now)`
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and DOTTED.match(arg.value):
                    yield arg.value


def actions_the_code_writes() -> set[str]:
    """Every audit action written under casino_app/services, templates expanded (unknown ones kept)."""
    found: set[str] = set()
    for path in sorted(SERVICES.rglob("*.py")):
        for action in _actions_in(ast.parse(path.read_text("utf-8"))):
            found |= TEMPLATES.get(action, {action})
    return found


def test_the_scan_finds_the_actions_services_write_including_templates_and_helpers() -> None:
    found = actions_the_code_writes()
    assert {"withdrawal.request", "withdrawal.paid", "auth.login", "auth.unlock", "game.created"} <= found
    assert not {a for a in found if "{}" in a}, "a new action template: add its values to TEMPLATES"
    assert all(DOTTED.match(a) for a in found), sorted(found)


# --- one record of every action, written by the real services -------------------------------


@dataclass
class World:
    wiring: Wiring
    clock: FixedClock
    db: Database

    def uow(self) -> UnitOfWork:
        return self.wiring.uow()

    def tick(self, minutes: float = 1) -> datetime:
        return self.clock.advance(minutes=minutes)

    @property
    def now(self) -> datetime:
        return self.clock.now()


def _session(world: World, user_id: int, role: str = "player", *, step_up: bool = True) -> Actor:
    with world.uow() as u:
        _, session_id = sessions.open_browser_session(u, user_id, HOME, world.now, step_up=step_up)
        u.commit()
    return (
        Actor.player(user_id, session_id) if role == "player" else Actor.operator(user_id, role, session_id)
    )


def _player(world: World, email: str, deposit_minor: int = 0) -> int:
    user = registration.register_player(world.uow(), player_form(email), world.now, HOME)  # auth.register
    assert user is not None
    if deposit_minor:  # payment.deposit
        cmd = deposits.Deposit(f"order-{email}", deposit_minor, "EUR", APPROVE_TOKEN)
        deposits.deposit(world.uow(), Actor.player(user.id), cmd, world.now)
    return user.id


def _accounts(world: World, admin: Actor) -> None:
    """auth.register(_existing), operator_created, login(_failed), lockout, unlock, email_verified, resets."""
    for _ in range(2):  # the second time the address is taken
        registration.register_player(world.uow(), player_form("alice@example.com"), world.now, HOME)
    operators.invite_operator(world.uow(), admin, "invitee@example.com", "support", world.now)
    for _ in range(3):
        with pytest.raises(DomainError):
            signin.verify_password(world.uow(), "alice@example.com", "wrong-password-1", world.tick(), HOME)
    accounts.confirm_email_link(
        world.uow(), mailed_token(world.uow(), "unlock", "alice@example.com"), world.now
    )
    signin.authenticate(world.uow(), "alice@example.com", PASSWORD, world.tick(), HOME)
    accounts.request_password_reset(world.uow(), "alice@example.com", world.tick(), HOME)
    token = mailed_token(world.uow(), "reset_password", "alice@example.com")
    accounts.reset_password(world.uow(), token, NEW_PASSWORD, world.tick())


def _self_service(world: World, user_id: int) -> None:
    """step_up_failed, password_change(_failed), email_change_requested, email_changed, session_revoke."""
    me = _session(world, user_id, step_up=False)
    with pytest.raises(DomainError):
        accounts.step_up_with_password(world.uow(), me, "wrong-password-1", world.tick())
    accounts.step_up_with_password(world.uow(), me, PASSWORD, world.tick())
    with pytest.raises(DomainError):
        accounts.change_password(world.uow(), me, "wrong-password-1", NEW_PASSWORD, world.tick())
    accounts.change_password(world.uow(), me, PASSWORD, NEW_PASSWORD, world.tick())
    accounts.request_email_change(world.uow(), me, "bob-new@example.com", world.now)
    accounts.confirm_email_link(
        world.uow(), mailed_token(world.uow(), "change_email", "bob-new@example.com"), world.now
    )
    other = _session(world, user_id)
    sessions.revoke(world.uow(), me, other.session_id or 0, world.tick())


def _preferences_and_a_refused_sign_in(world: World, user_id: int) -> None:
    """preferences.change; auth.login_refused (a player on a break signs in)."""
    preferences.update_preferences(world.uow(), Actor.player(user_id), world.tick(), language="pl")
    carol = _player(world, "carol@example.com")
    confirm_email(world.uow(), carol, world.now)
    # The break as the RG service leaves it (its own rg.* records are that service's tests' business).
    with world.uow() as u:
        u.session.add(
            RgPlayer(
                user_id=carol,
                block_kind="timeout",
                block_until=world.now + timedelta(hours=24),
                updated_at=world.now,
            )
        )
        u.commit()
    proof = signin.verify_password(world.uow(), "carol@example.com", PASSWORD, world.tick(), HOME)
    with pytest.raises(DomainError):
        signin.sign_in(world.uow(), proof, world.tick(), HOME)


def _second_factor(world: World, user_id: int) -> None:
    """mfa.enroll, code_failed, recovery_code_used, recovery_codes_regenerated, disable; refresh_reuse."""
    me = _session(world, user_id, step_up=False)
    enrollment = mfa.begin_enrollment(world.uow(), me, world.now)
    codes = mfa.confirm_enrollment(
        world.uow(), me, totp.code_at(enrollment.secret, totp.time_step(world.now)), world.now
    )
    with pytest.raises(DomainError):
        mfa.step_up(world.uow(), me, "000000", world.tick())
    mfa.step_up(world.uow(), me, codes[0], world.tick())
    mfa.regenerate_recovery_codes(world.uow(), me, world.now)
    mfa.disable(world.uow(), me, world.now)
    with world.uow() as u:
        pair = api_tokens.open_api_session(u, user_id, HOME, world.now)
        u.commit()
    api_tokens.refresh_tokens(world.uow(), pair.refresh_token, world.tick())
    with pytest.raises(DomainError):
        api_tokens.refresh_tokens(world.uow(), pair.refresh_token, world.tick())


def _money(world: World, user_id: int) -> None:
    """withdrawal.request/paid/rejected, ledger.transfer, bonus.grant, wallet.exchange, ledger.reversal."""
    confirm_email(world.uow(), user_id, world.now)
    me = _session(world, user_id)
    paid = withdrawals.request_withdrawal(world.uow(), me, 5_00, "wd-paid", world.now)
    rejected = withdrawals.request_withdrawal(world.uow(), me, 5_00, "wd-rejected", world.now)
    finance = _operator(world, "finance@ops.example", "finance")
    withdrawals.resolve_withdrawal(world.uow(), finance, paid.id, "paid", now=world.now)
    withdrawals.resolve_withdrawal(
        world.uow(), finance, rejected.id, "rejected", now=world.now, reason="card"
    )
    cancelled = withdrawals.request_withdrawal(world.uow(), me, 1_00, "wd-cancelled", world.now)
    withdrawals.cancel_withdrawal(world.uow(), me, cancelled.id, world.now)  # withdrawal.cancelled
    # reconciliation.resolved: the demo provider keeps real time, so its log misses this March's deposit
    hour = timedelta(hours=1)
    reconciliation.reconcile(world.uow(), SHELL, "demo", world.now + hour, since=world.now - 2 * hour)
    item = reconciliation.open_items(world.uow(), finance)[0]
    reconciliation.resolve_item(world.uow(), finance, item.id, "checked with the provider", world.now)
    with world.uow() as u:
        cash = ledger.player_cash_account(u.session, user_id, "EUR")
        house = ledger.ensure_account(u.session, kind="house_revenue", currency="EUR", owner="audit-test")
        u.commit()
    moved = transfers.transfer(
        world.uow(), SHELL, transfers.Transfer(cash, house, 1_00, "EUR", "t-1"), world.now
    )
    transfers.reverse_transaction(world.uow(), finance, moved.id, world.now, reason="duplicate charge")
    transfers.grant_bonus(world.uow(), SHELL, user_id, 1_00, "EUR", "bonus-1", world.now)
    transfers.exchange(world.uow(), me, 1_00, "EUR", "PLN", "4.25", "fx-1", world.now)


def _operator(world: World, email: str, role: str) -> Actor:
    created = registration.create_operator(world.uow(), SHELL, email, PASSWORD, role, world.now)
    return _session(world, created.id, role)


def _games(world: World, admin: Actor, user_id: int) -> None:
    """game.created, game.version_published, draw.run_now, bet.void, round.void, authz.denied(_repeated)."""
    seed.seed_games(world.uow(), world.now)
    draws.schedule(world.uow(), world.now)
    catalog.publish_version(world.uow(), admin, replace(seed.QUICK_535, max_stake=50_00), world.now)
    player = Actor.player(user_id)
    for code, key in (("lotto649", "t-void"), ("quick535", "t-round")):
        selection = (1, 2, 3, 4, 5, 6) if code == "lotto649" else (1, 2, 3, 4, 5)
        lotto.place_lotto_ticket(
            world.uow(), player, lotto.PlaceLottoTicket(code, selection, 1_00, key), world.now
        )
    risk = _operator(world, "risk@ops.example", "risk_compliance")
    bet_id = int(scalar(world.db, "SELECT id FROM bets WHERE idempotency_key LIKE '%t-void%'"))
    settlement.void_bet(world.uow(), risk, bet_id, "terminal malfunction", world.now)
    round_id = open_draws(world.uow(), world.now)["quick535"].id
    settlement.void_round(world.uow(), risk, round_id or 0, "draw machine failure", world.now)
    draws.run_draw_now(world.uow(), admin, "lotto649", world.now)
    for _ in range(2):
        with pytest.raises(DomainError):
            authz.enforce(world.uow(), player, "ops.players.view", source="tab:audit-test")
    world.tick(minutes=2)
    authz.flush_denials(world.uow())


def _draws_and_rng(world: World, admin: Actor) -> None:
    """draw.cancel, rng.report_recorded, rng.self_test_failed."""
    draw = open_draws(world.uow(), world.now)["lotto649"]
    cancellation.cancel_draw(world.uow(), admin, draw.id or 0, "draw machine failure", world.tick())
    report = run.run_report(sequences=2, bits=4_096, count=500, seed="5a" * 32)
    records.record_report(world.uow(), admin, report, "test", world.tick())
    with pytest.MonkeyPatch.context() as stuck:  # a stuck OS RNG while a draw is due
        stuck.setattr(rng_health, "os_entropy", lambda n: bytes(n))
        stuck.setattr(rng_health, "_draw_due", lambda uow, now: True)
        assert not rng_health.check_before_draw(world.uow(), SHELL, world.tick()).healthy


def _privacy_and_keys(world: World, admin: Actor) -> None:
    """privacy.exported/erased, keys.rotation_started/finished/retired, audit.chain_broken/ok."""
    leaver = _player(world, "leaver@example.com")
    privacy.download_player_data(world.uow(), Actor.player(leaver), world.now)
    privacy.erase_player(world.uow(), Actor.player(leaver), reason="GDPR art. 17", now=world.now)
    key_management.rotate(world.uow(), admin, world.tick())
    key_management.retire(world.uow(), admin, 1, world.now)
    original = _row(world.db, 1)
    _tamper(world.db, 1, {"subject": "user:forged"})
    security_checks.run_checks(world.uow(), admin, world.tick())
    _tamper(world.db, 1, {"subject": original["subject"]})
    security_checks.run_checks(world.uow(), admin, world.tick())


def _refused_webhook(world: World, user_id: int) -> None:
    """payment.webhook_refused: a signed sandbox event whose amount is not its payment's."""
    from casino_app.domain.payments.errors import WebhookMismatch
    from casino_app.domain.payments.signatures import signature_header
    from casino_app.persistence.tables import Payment, PaymentAttempt
    from casino_app.services.payments.deposits import webhooks

    with world.uow() as u:
        payment = Payment(
            order_id="order-mismatch",
            user_id=user_id,
            provider="sandbox",
            amount=10_00,
            currency="EUR",
            status="pending",
            created_at=world.now,
        )
        u.session.add(payment)
        u.session.flush()
        u.session.add(
            PaymentAttempt(
                payment_id=payment.id,
                attempt_id="order-mismatch:1",
                provider="sandbox",
                status="pending",
                created_at=world.now,
                updated_at=world.now,
            )
        )
        u.commit()
    data = {
        "id": "pay_1",
        "attempt_id": "order-mismatch:1",
        "order_id": "order-mismatch",
        "direction": "deposit",
        "status": "succeeded",
        "amount_minor": 99_99,
        "currency": "EUR",
        "created": world.now.timestamp(),
    }
    body = json.dumps(
        {"id": "evt_1", "type": "deposit.succeeded", "sequence": 2, "created": 0, "data": data}
    ).encode()
    secret = world.wiring.settings.payments.sandbox_webhook_secret
    headers = {"sandbox-signature": signature_header(secret, int(world.now.timestamp()), body)}
    with pytest.raises(WebhookMismatch):
        webhooks.receive_webhook(
            world.uow(), Actor.system("webhook:sandbox"), "sandbox", headers, body, world.now
        )


def _write_every_action(world: World) -> None:
    admin_user = registration.create_operator(
        world.uow(), SHELL, "admin@ops.example", PASSWORD, "admin", world.now
    )
    mfa.enroll_demo_secret(world.uow(), admin_user.id, totp.new_secret(), world.now)
    admin = _session(world, admin_user.id, "admin")
    _accounts(world, admin)
    bob = _player(world, "bob@example.com", deposit_minor=50_00)
    _self_service(world, bob)
    _preferences_and_a_refused_sign_in(world, bob)
    _second_factor(world, bob)
    _money(world, bob)
    _refused_webhook(world, bob)
    _games(world, admin, bob)
    _draws_and_rng(world, admin)
    _privacy_and_keys(world, admin)
    # A repeated action last: cutting the tail is the signed daily heads' job, not the chain walk's.
    signin.authenticate(world.uow(), "alice@example.com", NEW_PASSWORD, world.tick(), HOME)


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    """Every action written once or more, on the test's database, with a private keyring (keys rotate)."""
    clock = FixedClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    wiring = make_wiring(db, clock=clock, keys=LocalKeyring(tmp_path / "keyring.json"))
    built = World(wiring, clock, db)
    _unlock_triggers(db)
    _write_every_action(built)
    return built


# --- tampering --------------------------------------------------------------------------------


def _unlock_triggers(db: Database) -> None:
    with db.write_engine.begin() as conn:
        for sql in DROP_TRIGGERS[db.dialect]:
            conn.execute(sa.text(sql))


def _row(db: Database, seq: int) -> dict[str, Any]:
    with db.read_engine.connect() as conn:
        return dict(
            conn.execute(sa.text("SELECT * FROM audit_log WHERE seq = :s"), {"s": seq}).mappings().one()
        )


def _tamper(db: Database, seq: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{column} = :{column}" for column in values)
    with db.write_engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE audit_log SET {sets} WHERE seq = :seq"), {**values, "seq": seq})


def _verify(world: World) -> audit.ChainReport:
    with world.uow().reader() as r:
        return audit.verify(r.session)


def _first_of_each_action(db: Database) -> dict[str, int]:
    with db.read_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT action, MIN(seq) FROM audit_log GROUP BY action")).all()
    return {str(action): int(seq) for action, seq in rows}


def _edits(row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One forged value per field an attacker would change."""
    details = json.loads(row["details"])
    return {
        "details": {
            "details": json.dumps({**details, "tampered": True}, sort_keys=True, separators=(",", ":"))
        },
        "actor": {"actor": "operator:999"},
        "subject": {"subject": row["subject"] + "x"},
        "action": {"action": "test.forged"},
    }


def test_the_scenario_writes_every_action_the_code_base_writes(world: World) -> None:
    """The meta-check: an action added to the services without a driver above fails here."""
    written = set(_first_of_each_action(world.db))
    assert written == actions_the_code_writes(), {
        "written but not found in the code": sorted(written - actions_the_code_writes()),
        "in the code but not driven here": sorted(actions_the_code_writes() - written),
    }
    assert _verify(world).ok


def test_editing_any_field_of_a_real_record_of_any_action_is_named_by_verify(world: World) -> None:
    missed: list[str] = []
    for action, seq in sorted(_first_of_each_action(world.db).items()):
        original = _row(world.db, seq)
        for field, values in _edits(original).items():
            _tamper(world.db, seq, values)
            finding = _verify(world).finding
            if finding is None or (finding.seq, finding.kind) != (seq, "edited"):
                missed.append(f"{action} #{seq} {field}: {finding}")
            _tamper(world.db, seq, {column: original[column] for column in values})
        assert _verify(world).ok, action
    assert not missed, missed


def test_deleting_a_real_record_of_any_action_is_named_by_verify(world: World) -> None:
    firsts = _first_of_each_action(world.db)
    assert max(firsts.values()) < _verify(world).head_seq  # none of them is the tail
    for action, seq in sorted(firsts.items()):
        original = _row(world.db, seq)
        with world.db.write_engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_log WHERE seq = :s"), {"s": seq})
        finding = _verify(world).finding
        assert finding is not None and (finding.seq, finding.kind) == (seq, "deleted"), action
        columns = ", ".join(original)
        with world.db.write_engine.begin() as conn:
            conn.execute(
                sa.text(f"INSERT INTO audit_log ({columns}) VALUES ({', '.join(':' + c for c in original)})"),
                original,
            )
        assert _verify(world).ok, action
