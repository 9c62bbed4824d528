"""Security benchmark: field encryption, key rotation, audit append and verify rates.

Usage:
    .venv/bin/python bench/security.py                    # SQLite and PostgreSQL
    .venv/bin/python bench/security.py --engine sqlite --rows 5000 --records 5000

Runs on fresh databases (SQLite in a temp dir; PostgreSQL database `casino_bench_security`,
URL from CASINO_BENCH_POSTGRES_URL's server) with a throwaway keyring. Prints:
  - seal / unseal / blind_index per second (one core, no database);
  - key rotation: values re-wrapped per second through `keys rotate` (batches of 500);
  - audit append: records per second, one record per committed transaction, 1 and 8 writers;
  - audit verify: records per second over the whole chain.
This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ledger import fresh_database  # noqa: E402
from casino_app import bootstrap  # noqa: E402
from casino_app.adapters.keys import LocalKeyring  # noqa: E402
from casino_app.config import Settings  # noqa: E402
from casino_app.domain.identity.actor import Actor  # noqa: E402
from casino_app.persistence.db import Database  # noqa: E402
from casino_app.services.security import audit, crypto, key_management  # noqa: E402

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
KEYS = LocalKeyring(Path(tempfile.mkdtemp(prefix="bench-keys-")) / "keyring.json")
BENCH = Actor.system("bench")
META = sa.MetaData()
SEALED = sa.Table(
    "bench_sealed",
    META,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name_enc", sa.Text),
    sa.Column("iban_enc", sa.Text),
)


def rate(label: str, n: int, fn: Callable[[], None], unit: str = "ops") -> float:
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    per_s = n / elapsed
    print(f"  {label:<46} {per_s:>12,.0f} {unit}/s  ({n:,} in {elapsed:.2f} s)")
    return per_s


def bench_crypto(n: int) -> None:
    print("crypto (one core)")
    where = {"table": "users", "column": "full_name_enc", "row_id": 42, "keys": KEYS}
    tokens: list[str] = []
    rate(
        "seal (AES-256-GCM + key wrap)",
        n,
        lambda: tokens.extend(crypto.seal("Jan Kowalski", **where) for _ in range(n)),
    )
    rate("unseal", n, lambda: [crypto.unseal(t, **where) for t in tokens] and None)
    rate(
        "blind_index (HMAC-SHA256)",
        n,
        lambda: (
            [crypto.blind_index(f"p{i}@example.com", purpose="email", keys=KEYS) for i in range(n)] and None
        ),
    )
    rate("rewrap (data key only)", n, lambda: [crypto.rewrap(t, 1, keys=KEYS) for t in tokens] and None)


def _wiring(db: Database) -> bootstrap.Wiring:
    settings = Settings(db_url=db.url, scheduler_enabled=False)
    return bootstrap.build(settings, database=db, keys=KEYS)


def bench_rotation(db: Database, rows: int) -> None:
    META.create_all(db.write_engine)
    with db.write_engine.begin() as conn:
        conn.execute(
            SEALED.insert(),
            [
                {
                    "id": i,
                    "name_enc": crypto.seal(
                        f"Player {i}", table="bench_sealed", column="name_enc", row_id=i, keys=KEYS
                    ),
                    "iban_enc": crypto.seal(
                        f"PL{i:026d}", table="bench_sealed", column="iban_enc", row_id=i, keys=KEYS
                    ),
                }
                for i in range(1, rows + 1)
            ],
        )
    tables = [(SEALED, [SEALED.c.name_enc, SEALED.c.iban_enc])]
    report: list[key_management.RotationReport] = []
    uow = _wiring(db).uow()
    rate(
        f"keys rotate ({rows:,} rows, 2 sealed columns)",
        2 * rows,
        lambda: report.append(key_management.rotate(uow, BENCH, NOW, batch_size=500, tables=tables)),
        "values",
    )
    assert report[0].rewrapped == 2 * rows


def _append(db: Database, n: int, who: str) -> None:
    wiring = _wiring(db)
    for i in range(n):
        uow = wiring.uow()
        with uow:
            audit.record(
                uow.session, actor=who, action="bench.op", subject=f"user:{i}", details={"i": i}, now=NOW
            )
            uow.commit()


def bench_audit(db: Database, records: int) -> None:
    rate(
        "audit append, 1 writer (1 record per commit)", records, lambda: _append(db, records, "w0"), "records"
    )
    per = records // 8

    def eight() -> None:
        threads = [threading.Thread(target=_append, args=(db, per, f"w{w}")) for w in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    rate("audit append, 8 writers (serialized per chain)", per * 8, eight, "records")
    total = records + per * 8
    with _wiring(db).uow().reader() as r:
        out: list[audit.ChainReport] = []
        rate("audit verify (whole chain)", total, lambda: out.append(audit.verify(r.session)), "records")
    assert out[0].ok and out[0].checked >= total, out[0]  # plus the rotation's own records


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=4_000)
    parser.add_argument("--crypto", type=int, default=20_000)
    args = parser.parse_args()
    bench_crypto(args.crypto)
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    for engine in engines:
        db = Database(fresh_database(engine))
        print(f"{engine}")
        bench_rotation(db, args.rows)
        bench_audit(db, args.records)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
