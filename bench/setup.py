"""Benchmark databases: a fresh migrated database per engine, seeded with funded wallets."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config

from alembic import command
from casino_app import bootstrap
from casino_app.adapters.keys import LocalKeyring
from casino_app.config import Settings
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import User
from casino_app.persistence.types import UtcDateTime
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice.seed import LOTTO_649 as LOTTO
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameSpec
from casino_app.services.money import ledger

SEED = Actor.system("bench")
FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {"pays": 2}, 1, 100_00)

ROOT = Path(__file__).resolve().parent.parent
FUND = 100_000_00
ACCOUNTS = sa.table(
    "accounts", *(sa.column(c) for c in ("code", "owner_id", "kind", "currency", "shard", "balance"))
)


def cash_accounts(count: int, balance: int) -> list[dict[str, object]]:
    """Rows of the cash accounts of players 1..count, each holding `balance` (EUR)."""
    return [
        {
            "code": ledger.account_code("player_cash", "EUR", i),
            "owner_id": i,
            "kind": "player_cash",
            "currency": "EUR",
            "shard": 0,
            "balance": balance,
        }
        for i in range(1, count + 1)
    ]


PG_URL = os.environ.get(
    "CASINO_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/casino_bench"
)
_KEYS = Path(tempfile.mkdtemp(prefix="casino-bench-keys-")) / "keyring.json"


def bench_uow(db: Database, shards: int = 8) -> UnitOfWork:
    """A unit of work over `db` from a wiring with `shards` house shards (no scheduler, temp keys)."""
    settings = Settings(db_url=db.url, house_shards=shards, scheduler_enabled=False)
    return bootstrap.build(settings, database=db, keys=LocalKeyring(_KEYS)).uow()


def fresh_database(engine: str) -> str:
    if engine == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="casino-bench-")) / "bench.db"
        url = f"sqlite:///{path}"
    else:
        url = PG_URL
        admin = sa.create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    return url


def _user_rows(n: int, now: datetime) -> list[dict[str, object]]:
    """Rows for the users table filled from its live schema (needed columns only)."""
    table = User.__table__  # type: ignore[attr-defined]
    rows = []
    for i in range(1, n + 1):
        row: dict[str, object] = {"id": i, "role": "player", "currency": "EUR"}
        for c in table.columns:
            if c.name in row or c.nullable or c.default is not None or c.server_default is not None:
                continue
            py = c.type.python_type if hasattr(c.type, "impl") is False else c.type.impl.python_type
            if py is str:
                row[c.name] = f"bench{i}-{c.name}"[: getattr(c.type, "length", None) or 64]
            elif py is date:
                row[c.name] = date(1990, 1, 1)
            elif py is datetime:
                row[c.name] = now
            elif py is bool:
                row[c.name] = False
            else:
                row[c.name] = 0
        rows.append(row)
    return rows


def seed(url: str, wallets: int) -> dict[str, object]:
    """Lotto and an instant game with an open round each, `wallets` funded players, 1,024 house shards."""
    db = Database(url)
    now = datetime.now(UTC)
    lotto, flip = (catalog.ensure_game(bench_uow(db, 1024), SEED, spec, now) for spec in (LOTTO, FLIP))
    with db.write_engine.begin() as conn:
        conn.execute(User.__table__.insert(), _user_rows(wallets, now))  # type: ignore[attr-defined]
        game_id = lotto.id
        for game in (lotto, flip):
            conn.execute(
                sa.text(
                    "INSERT INTO rounds (game_id, game_version, code, status, opened_at, closes_at, draw_at) "
                    "VALUES (:g, 1, 'bench', 'open', :o, :c, :d)"
                ).bindparams(*(sa.bindparam(n, type_=UtcDateTime()) for n in ("o", "c", "d"))),
                {
                    "g": game.id,
                    "o": now,
                    "c": now + timedelta(days=1),
                    "d": now + timedelta(days=1, minutes=1),
                },
            )
        acc = ACCOUNTS
        conn.execute(acc.insert(), cash_accounts(wallets, FUND))
        conn.execute(
            acc.insert(),
            [
                {
                    "code": "provider_clearing:bench:EUR",
                    "owner_id": None,
                    "kind": "provider_clearing",
                    "currency": "EUR",
                    "shard": 0,
                    "balance": -FUND * wallets,
                }
            ],
        )
        ids = dict(conn.execute(sa.text("SELECT code, id FROM accounts")).all())
        rounds = dict(
            conn.execute(sa.text("SELECT g.code, r.id FROM rounds r JOIN games g ON g.id = r.game_id")).all()
        )
        txn = sa.table(
            "ledger_transactions",
            sa.column("kind"),
            sa.column("idempotency_key"),
            sa.column("request_hash"),
            sa.column("reference"),
            sa.column("actor"),
            sa.column("reason"),
            sa.column("created_at"),
        )
        conn.execute(
            txn.insert(),
            [
                {
                    "kind": "deposit",
                    "idempotency_key": f"fund-{i}",
                    "request_hash": "-",
                    "reference": "",
                    "actor": "bench",
                    "reason": "",
                    "created_at": now,
                }
                for i in range(1, wallets + 1)
            ],
        )
        txn_ids = dict(
            conn.execute(
                sa.text("SELECT idempotency_key, id FROM ledger_transactions WHERE kind = 'deposit'")
            ).all()
        )
        ent = sa.table(
            "ledger_entries",
            sa.column("transaction_id"),
            sa.column("account_id"),
            sa.column("amount"),
            sa.column("currency"),
            sa.column("balance_after"),
        )
        clearing, running, rows = ids["provider_clearing:bench:EUR"], 0, []
        for i in range(1, wallets + 1):
            running -= FUND
            t = txn_ids[f"fund-{i}"]
            rows += [
                {
                    "transaction_id": t,
                    "account_id": ids[ledger.account_code("player_cash", "EUR", i)],
                    "amount": FUND,
                    "currency": "EUR",
                    "balance_after": FUND,
                },
                {
                    "transaction_id": t,
                    "account_id": clearing,
                    "amount": -FUND,
                    "currency": "EUR",
                    "balance_after": running,
                },
            ]
        conn.execute(ent.insert(), rows)
    cash = [ids[ledger.account_code("player_cash", "EUR", i)] for i in range(1, wallets + 1)]
    # Fresh statistics, so the first runs do not pay for the bulk load (autovacuum, cold plans).
    with db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if db.dialect == "postgresql" else "ANALYZE")
    db.dispose()
    return {
        "game_id": game_id,
        "round": rounds["lotto649"],
        "flip_round": rounds["flip"],
        "cash": cash,
        "house": ids["house_revenue:lotto649:EUR"],
    }
