"""Helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from sqlmodel import col, select

from casino_app import bootstrap
from casino_app.adapters.clock import Clock, FixedClock
from casino_app.adapters.events import RecordingPublisher
from casino_app.adapters.keys import KeyProvider
from casino_app.config import Settings
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
FIXED_NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
SALES_CLOSE_S = 60
PASSWORD = "correct-horse-battery"


def registration(email: str, password: str = PASSWORD, birth: date = date(1990, 1, 1), **fields: str):
    """A complete, valid player registration (override any field by keyword)."""
    from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
    from casino_app.services.identity.accounts.registration import RegisterPlayer

    values = {
        "full_name": "Test Player",
        "country": "MT",
        "phone": "",
        "terms_version": TERMS_VERSION,
        "privacy_version": PRIVACY_VERSION,
        **fields,
    }
    return RegisterPlayer(email, password, birth, **values)


def alembic_config(url: str | None = None) -> Config:
    """The repository's alembic.ini, optionally pointed at `url`."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def count_rows(database: Database, table: str, where: str = "") -> int:
    """Rows in `table`, optionally filtered by a raw SQL condition."""
    sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
    with database.read_engine.connect() as conn:
        return int(conn.execute(sa.text(sql)).scalar_one())


def scalar(database: Database, sql: str, **params: object) -> object:
    """The single value a raw SQL query returns."""
    with database.read_engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def open_draws(uow: UnitOfWork, now: datetime) -> dict[str, Round]:
    """Per game code, the draw (round) that is selling at `now`."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Game.code, Round)
            .join(Round, col(Round.game_id) == Game.id)
            .where(Round.status == "open", col(Round.closes_at) > now)
            .order_by(col(Round.draw_at).desc())  # several may sell (multi-draw): the earliest wins
        ).all()
        return {code: draw for code, draw in rows}


def make_wiring(
    database: Database,
    *,
    clock: Clock | None = None,
    keys: KeyProvider | None = None,
    settings: Settings | None = None,
    **parts: object,
) -> bootstrap.Wiring:
    """A test's own wiring over `database` (keys: the session's test keyring unless given)."""
    if keys is None:
        from casino_app.adapters.keys import LocalKeyring

        keys = LocalKeyring(_TEST_KEYRING)
    return bootstrap.build(
        settings or Settings(db_url=database.url, demo_mode=True, scheduler_enabled=False),
        clock=clock or FixedClock(FIXED_NOW),
        database=database,
        keys=keys,
        events=RecordingPublisher(),
        **parts,  # type: ignore[arg-type]
    )


def _keyring_dir() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="casino-test-keys-"))


_TEST_KEYRING = _keyring_dir() / "keyring.json"


def outbox(uow: UnitOfWork) -> list[tuple[str, str, str]]:
    """Every outgoing message as (kind, recipient, body), newest first: the test's view of the relay.

    The app itself only ever shows a signed-in player their own mail (`mail.recent`).
    """
    from casino_app.persistence.tables import MailMessage
    from casino_app.services.security import crypto

    keys = uow.context.keys
    with uow.reader() as r:
        rows = r.session.exec(select(MailMessage).order_by(col(MailMessage.id).desc())).all()
        return [
            (m.kind, crypto.open_column(keys, m, "recipient_enc"), crypto.open_column(keys, m, "body_enc"))
            for m in rows
        ]


def mailed_token(uow: UnitOfWork, kind: str, to: str) -> str:
    """The token in the newest `kind` mail to `to`."""
    body = next(body for k, recipient, body in outbox(uow) if k == kind and recipient == to)
    return body.split("token=", 1)[1].split()[0]


def confirm_email(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    """Mark the user's email confirmed, as following the verification link does."""
    from casino_app.persistence.tables import User

    with uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        user.email_verified_at = now
        uow.session.add(user)
        uow.commit()


def stepped_up_operator(uow: UnitOfWork, role: str, now: datetime, email: str = "") -> Actor:
    """A real operator acting in a browser session that confirmed a TOTP code at `now`."""
    from casino_app.services.identity.accounts import registration
    from casino_app.services.identity.sessions import server as sessions

    created = registration.create_operator(
        uow, Actor.system("test"), email or f"{role}-{uuid.uuid4().hex[:8]}@ops.example", PASSWORD, role, now
    )
    with uow:
        _, session_id = sessions.open_browser_session(
            uow, created.id, sessions.ClientInfo("192.0.2.200"), now, step_up=True
        )
        uow.commit()
    return Actor.operator(created.id, role, session_id)
