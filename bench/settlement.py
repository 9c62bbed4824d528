"""Lotto settlement at scale: a draw of N ticket lines settled through the production path.

Usage:
    .venv/bin/python bench/settlement.py                                  # both engines, 1,000,000 lines
    .venv/bin/python bench/settlement.py --engine postgres --lines 10000000 --baseline-lines 20000
    .venv/bin/python bench/settlement.py --engine sqlite --lines 200000 --profile

A fresh database per engine (bench/setup.py: SQLite in a temp dir; PostgreSQL `casino_bench`,
URL from CASINO_BENCH_POSTGRES_URL) with the Lotto 6/49 game at the default 8 house shards, a
funded wallet per player, and two draws whose tickets are seeded in bulk (not timed): the bets,
their stake transactions (player cash -> the player's house shard) and entries, the cached
balances and the RG usage rows exactly as the stake path leaves them; every line is a random
6 of 49, so the winners are the ones chance gives. Then, timed:

- **production**: `draws.close_sales` (close, the Merkle root of the tickets), `draws.draw_due`
  (the RNG self-test, the draw) and `draws.settle_due`, one transaction per draw
  (`lotto/settlement/money.py`): the prize tickets found by an SQL scan and classified, every
  other ticket settled lost in one UPDATE (`lotto/settlement/classification.py`), the figures and
  jackpot fixed (`lotto/settlement/jackpot.py`), the prize tickets paid by the bet engine set-based
  (`engine.settlement.settle_all_in`), the draw marked settled with one inbox notice per player
  (`lotto/settlement/recording.py`); each of these is timed;
- **baseline** on the smaller draw (`--baseline-lines`): a per-ticket ORM loop, one transaction
  per ticket (load the bet with the ORM, classify its lines in Python, `ledger.post` its win,
  update the bet), the straightforward implementation; lines/s make the ratio per line.

It ends with the ledger check on the settled database and exits non-zero on any finding. SQL
time per statement kind is measured with SQLAlchemy cursor events; `--profile` adds cProfile's
top functions of the production path. Figures: docs/PERFORMANCE.md. Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import ACCOUNTS, SEED, _user_rows, bench_uow, cash_accounts, fresh_database
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.lotto import parse_lines
from casino_app.domain.games.vocabulary import BetStatus, RoundStatus
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.persistence import inbox
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Account, Bet, DrawSettlement, Game, Round, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice.seed import LOTTO_649
from casino_app.services.common import parse_numbers
from casino_app.services.games import catalog
from casino_app.services.games.engine import settlement
from casino_app.services.games.engine.stake import house_shard, new_public_id
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.draws import record as draw_record
from casino_app.services.games.lotto.settlement import classification, jackpot
from casino_app.services.games.lotto.settlement import money as draw_settlement
from casino_app.services.games.lotto.settlement import recording as draw_results
from casino_app.services.money import ledger, ledger_reports

FUND = 1_000_000_00
CHUNK = 100_000
SHARDS = 8
_BETS = Bet.__table__  # type: ignore[attr-defined]
_ROUNDS = Round.__table__  # type: ignore[attr-defined]
# settle_due's two steps and their parts, timed by wrapping the functions they call (nothing else)
SETTLE = "settlement: classified, figures, prize tickets paid, draw SETTLED (settle_draw)"
RECORD = "then: the other tickets written lost, players noted (record_outcomes)"
STEPS = {SETTLE: (draw_settlement, "settle_draw"), RECORD: (draw_results, "record_outcomes")}
PARTS = {
    "  find and classify the prize tickets (SQL scan of every line)": (classification, "prize_candidates"),
    "  figures and jackpot": (jackpot, "fix_figures_in"),
    "  engine pays the prize tickets": (settlement, "settle_all_in"),
    "  draw marked settled": (draw_results, "mark_settled_in"),
    "  every other ticket written lost (UPDATEs by id range)": (classification, "record_losers"),
    "  one notice per player (INSERT ... SELECT)": (inbox, "record_draw_settled"),
}


# ---------------------------------------------------------------- seeding (not timed)


class Seeder:
    """Bulk rows of players, deposits and tickets, consistent with the ledger."""

    def __init__(self, db: Database, now: datetime, players: int, rnd: random.Random) -> None:
        self.db, self.now, self.players, self.rnd = db, now, players, rnd
        self.pg = db.dialect == "postgresql"
        with db.read_engine.connect() as conn:
            self.ids: dict[str, int] = dict(conn.execute(sa.text("SELECT code, id FROM accounts")).all())
            self.next_txn = (
                int(
                    conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM ledger_transactions")).scalar_one()
                )
                + 1
            )
            self.next_bet = (
                int(conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM bets")).scalar_one()) + 1
            )
        self.cash: dict[int, int] = defaultdict(lambda: FUND)  # player cash after each stake
        self.house = {
            s: int(self.ids_balance(ledger.account_code(AccountKind.HOUSE_REVENUE, "EUR", LOTTO_649.code, s)))
            for s in range(SHARDS)
        }
        self.stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") + ("+00" if self.pg else "")

    def ids_balance(self, code: str) -> int:
        with self.db.read_engine.connect() as conn:
            return int(
                conn.execute(
                    sa.text("SELECT balance FROM accounts WHERE code = :c"), {"c": code}
                ).scalar_one()
            )

    def _raw(self) -> Any:
        return self.db.write_engine.raw_connection()

    def _write(self, raw: Any, table: str, cols: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.pg:
            text = "".join("\t".join("\\N" if v is None else str(v) for v in r) + "\n" for r in rows)
            with raw.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                cp.write(text.encode())
        else:
            marks = ", ".join("?" * len(rows[0]))
            raw.cursor().executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)

    def _begin(self, raw: Any) -> list[str]:
        """Bulk mode: PostgreSQL skips triggers and FK checks (replica role); SQLite drops its
        insert triggers on bets (returned, recreated after) and its FK checks."""
        if self.pg:
            try:
                raw.cursor().execute("SET session_replication_role = replica")
            except Exception:
                raw.rollback()
            return []
        cur = raw.cursor()
        cur.execute("PRAGMA foreign_keys=OFF")
        triggers = [
            r[0]
            for r in cur.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bets' AND sql LIKE '%INSERT ON bets%'"
            )
        ]
        for name in cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bets' AND sql LIKE '%INSERT ON bets%'"
        ).fetchall():
            cur.execute(f"DROP TRIGGER {name[0]}")
        cur.execute("BEGIN IMMEDIATE")
        return triggers

    def _end(self, raw: Any, triggers: list[str]) -> None:
        cur = raw.cursor()
        if self.pg:
            raw.commit()
            cur.execute("SET session_replication_role = origin")
            raw.commit()
            return
        cur.execute("COMMIT")
        for sql in triggers:
            cur.execute(sql)
        cur.execute("PRAGMA foreign_keys=ON")

    def players_and_deposits(self) -> None:
        with self.db.write_engine.begin() as conn:
            conn.execute(User.__table__.insert(), _user_rows(self.players, self.now))  # type: ignore[attr-defined]
            clearing_row = {
                "code": "provider_clearing:bench:EUR",
                "owner_id": None,
                "kind": "provider_clearing",
                "currency": "EUR",
                "shard": 0,
                "balance": 0,
            }
            conn.execute(ACCOUNTS.insert(), [*cash_accounts(self.players, 0), clearing_row])
            self.ids = dict(conn.execute(sa.text("SELECT code, id FROM accounts")).all())
        clearing = self.ids["provider_clearing:bench:EUR"]
        txns, entries, running = [], [], 0
        for i in range(1, self.players + 1):
            t = self._txn_id()
            running -= FUND
            txns.append((t, "deposit", f"fund-{i}", "-", "", "bench", "", self.stamp))
            entries += [
                (t, self.ids[ledger.account_code("player_cash", "EUR", i)], FUND, "EUR", FUND),
                (t, clearing, -FUND, "EUR", running),
            ]
        raw = self._raw()
        try:
            triggers = self._begin(raw)
            self._write(raw, "ledger_transactions", _TXN_COLS, txns)
            self._write(raw, "ledger_entries", _ENTRY_COLS, entries)
            self._end(raw, triggers)
        finally:
            raw.close()

    def _txn_id(self) -> int:
        self.next_txn += 1
        return self.next_txn - 1

    def tickets(self, round_id: int, game_id: int, lines: int, per_ticket: int) -> int:
        """`lines` random lines on tickets of `per_ticket` lines for random players; how many tickets."""
        balance, house = (
            self.cash,
            self.house,
        )  # running balances across calls (cached ones are set in finish)
        price = int(LOTTO_649.rules["line_price"])
        pool, rnd, made, tickets = range(1, 50), self.rnd, 0, 0
        raw = self._raw()
        try:
            triggers = self._begin(raw)
            while made < lines:
                txns, entries, bets = [], [], []
                for _ in range(min(CHUNK, lines - made) // per_ticket or 1):
                    n = min(per_ticket, lines - made)
                    made, tickets = made + n, tickets + 1
                    user = rnd.randint(1, self.players)
                    selection = "|".join(",".join(map(str, sorted(rnd.sample(pool, 6)))) for _ in range(n))
                    stake, t, b, shard = price * n, self._txn_id(), self.next_bet, house_shard(user, SHARDS)
                    self.next_bet += 1
                    public = new_public_id()
                    balance[user] -= stake
                    house[shard] += stake
                    txns.append(
                        (t, "stake", f"stake:{user}:bench-{b}", "-", public, f"player:{user}", "", self.stamp)
                    )
                    cash_id = self.ids[ledger.account_code("player_cash", "EUR", user)]
                    house_id = self.ids[
                        ledger.account_code(AccountKind.HOUSE_REVENUE, "EUR", LOTTO_649.code, shard)
                    ]
                    entries += [
                        (t, cash_id, -stake, "EUR", balance[user]),
                        (t, house_id, stake, "EUR", house[shard]),
                    ]
                    bets.append(
                        (
                            b,
                            public,
                            round_id,
                            user,
                            game_id,
                            1,
                            "EUR",
                            stake,
                            0,
                            0,
                            0,
                            "pending",
                            selection,
                            "",
                            f"bench-{b}",
                            t,
                            self.stamp,
                        )
                    )
                self._write(raw, "ledger_transactions", _TXN_COLS, txns)
                self._write(raw, "ledger_entries", _ENTRY_COLS, entries)
                self._write(raw, "bets", _BET_COLS, bets)
            self._end(raw, triggers)
        finally:
            raw.close()
        return tickets

    def finish(self) -> None:
        """Cached balances from the entries, RG usage from the bets, sequences, fresh statistics."""
        hour = (
            "date_trunc('hour', created_at, 'UTC')"
            if self.pg
            else "strftime('%Y-%m-%d %H:00:00.000000', created_at)"
        )
        with self.db.write_engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE accounts SET balance = x.total FROM (SELECT account_id, SUM(amount) AS total "
                    "FROM ledger_entries GROUP BY account_id) x WHERE accounts.id = x.account_id"
                )
            )
            conn.execute(
                sa.text(
                    f"INSERT INTO rg_usage (user_id, currency, hour, staked, won) SELECT user_id, currency, {hour}, "
                    f"SUM(stake), 0 FROM bets GROUP BY user_id, currency, {hour}"
                )
            )
            if self.pg:
                for table in ("ledger_transactions", "bets"):
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                        )
                    )
        with self.db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if self.pg else "ANALYZE")


_TXN_COLS = "id, kind, idempotency_key, request_hash, reference, actor, reason, created_at"
_ENTRY_COLS = "transaction_id, account_id, amount, currency, balance_after"
_BET_COLS = (
    "id, public_id, round_id, user_id, game_id, game_version, currency, stake, stake_bonus, win, "
    "win_bonus, status, selection, result, idempotency_key, stake_transaction_id, created_at"
)


def new_draw(uow: UnitOfWork, code: str, opened: datetime, closes: datetime) -> int:
    with uow:
        game = uow.session.exec(select(Game).where(Game.code == LOTTO_649.code)).one()
        draw = draw_record.create_draw_in(uow, game, code, opened, closes, closes + timedelta(minutes=1))
        uow.commit()
        assert draw.id is not None
        return draw.id


# ---------------------------------------------------------------- SQL time per statement kind


class SqlTimer:
    def __init__(self, db: Database) -> None:
        self.on = False
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for engine in {db.write_engine, db.read_engine}:
            event.listen(engine, "before_cursor_execute", self._before)
            event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if not self.on:
            return
        key = re.sub(r"\s+", " ", statement)
        key = re.sub(r"\(.*", "(...", key)[:72] + (" [many]" if many else "")
        s = self.stats[key]
        s[0] += 1
        s[1] += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())

    def total(self) -> float:
        return sum(s[1] for s in self.stats.values())

    def top(self, n: int = 12) -> list[tuple[str, int, float]]:
        rows = sorted(self.stats.items(), key=lambda kv: -kv[1][1])[:n]
        return [(k, int(v[0]), v[1]) for k, v in rows]


# ---------------------------------------------------------------- the two settlements


def production(uow: UnitOfWork, closes: datetime, profile: bool) -> tuple[dict[str, float], str]:
    """close_sales, draw_due, settle_due as the draw cycle runs them; seconds per step and part."""
    steps: dict[str, float] = {}
    wrapped = {**STEPS, **PARTS}
    originals = {name: getattr(module, attr) for name, (module, attr) in wrapped.items()}

    def timed(name: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    prof = cProfile.Profile() if profile else None
    for name, (module, attr) in wrapped.items():
        setattr(module, attr, timed(name, originals[name]))  # a timing wrapper, nothing else
    try:
        if prof:
            prof.enable()
        t = time.perf_counter()
        draws.close_sales(uow, closes)
        steps["close + ticket root"] = time.perf_counter() - t
        t = time.perf_counter()
        drawn = draws.draw_due(uow, closes + timedelta(minutes=1))
        steps["RNG self-test + draw"] = time.perf_counter() - t
        assert drawn == 1, drawn
        t = time.perf_counter()
        draws.settle_due(uow, closes + timedelta(minutes=1, seconds=1))
        steps["settle_due"] = time.perf_counter() - t
    finally:
        for name, (module, attr) in wrapped.items():
            setattr(module, attr, originals[name])
        if prof:
            prof.disable()
    money = [n for n in list(PARTS)[:4]]
    steps["  the rest of the settlement (claim, commit)"] = steps.get(SETTLE, 0.0) - sum(
        steps.get(n, 0.0) for n in money
    )
    steps["  the rest of the recording (commits)"] = steps.get(RECORD, 0.0) - sum(
        steps.get(n, 0.0) for n in list(PARTS)[4:]
    )
    report = ""
    if prof:
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(r"casino_app|sqlalchemy/(orm/session|engine/base)", 30)
        report = out.getvalue()
    return steps, report


def orm_baseline(uow: UnitOfWork, draw_id: int, now: datetime) -> float:
    """One transaction per ticket: ORM load, Python classification, `ledger.post`, ORM update."""
    with uow.reader() as r:
        outcome = r.session.exec(select(Round.outcome).where(Round.id == draw_id)).one()
        ids = [
            i
            for (i,) in r.session.execute(
                sa.select(_BETS.c.id)
                .where(_BETS.c.round_id == draw_id, _BETS.c.status == BetStatus.PENDING)
                .order_by(_BETS.c.id)
            )
        ]
    table = jackpot.prize_table(catalog.game_facts(uow, LOTTO_649.code, 1))
    numbers = list(parse_numbers(outcome or ""))
    lock = uow.dialect == "postgresql"
    t = time.perf_counter()
    for bet_id in ids:
        with uow:
            s = uow.session
            q = select(Bet).where(Bet.id == bet_id)
            bet = s.exec(q.with_for_update() if lock else q).one()
            lines = prizes.classify(table, parse_lines(bet.selection), bet.stake, numbers)
            win = sum(line.fixed_win for line in lines)
            txn = None
            if win:
                shard = house_shard(bet.user_id, SHARDS)
                house = s.exec(
                    select(Account.id).where(
                        Account.code
                        == ledger.account_code(AccountKind.HOUSE_REVENUE, bet.currency, LOTTO_649.code, shard)
                    )
                ).one()
                cash = s.exec(
                    select(Account.id).where(
                        Account.code == ledger.account_code("player_cash", bet.currency, bet.user_id)
                    )
                ).one()
                txn = ledger.post(
                    s,
                    kind=TransactionKind.WIN,
                    idempotency_key=f"win:{bet.id}",
                    request={"bet": bet.id, "win": win},
                    postings=[ledger.Posting(int(house or 0), -win), ledger.Posting(int(cash or 0), win)],
                    currency=bet.currency,
                    now=now,
                    reference=bet.public_id,
                ).id
            bet.status = BetStatus.WIN if win else BetStatus.LOSE
            bet.win, bet.result = win, ",".join(str(line.matches) for line in lines)
            bet.settle_transaction_id, bet.settled_at = txn, now
            s.add(bet)
            uow.commit()
    elapsed = time.perf_counter() - t
    with uow:  # the draw is done: drawn -> settled, as settle_due leaves it
        uow.session.execute(
            sa.update(_ROUNDS)
            .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.status == RoundStatus.DRAWN)
            .values(status=RoundStatus.SETTLED, settled_at=now)
        )
        uow.commit()
    return elapsed


def winners(uow: UnitOfWork, draw_id: int) -> tuple[int, int]:
    with uow.reader() as r:
        won = r.session.execute(
            sa.select(sa.func.count()).where(_BETS.c.round_id == draw_id, _BETS.c.status == BetStatus.WIN)
        ).scalar_one()
        fig = r.session.exec(select(DrawSettlement).where(DrawSettlement.draw_id == draw_id)).first()
    return int(won), int(fig.jackpot_won) if fig else 0


# ---------------------------------------------------------------- one engine


def bench_engine(
    engine: str, lines: int, base_lines: int, per_ticket: int, players: int, profile: bool
) -> dict[str, Any]:
    url = fresh_database(engine)
    db = Database(url)
    uow = bench_uow(db, SHARDS)
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    catalog.ensure_game(uow, SEED, LOTTO_649, t0)
    base_id = new_draw(uow, "bench-base", t0, t0 + timedelta(hours=1)) if base_lines else 0
    main_id = new_draw(uow, "bench-main", t0, t0 + timedelta(hours=2))
    with uow.reader() as r:
        game_id = int(r.session.exec(select(Game.id).where(Game.code == LOTTO_649.code)).one() or 0)
    seeder = Seeder(db, t0 + timedelta(minutes=1), players, random.Random(20261201))
    t = time.perf_counter()
    seeder.players_and_deposits()
    base_tickets = seeder.tickets(base_id, game_id, base_lines, per_ticket) if base_lines else 0
    tickets = seeder.tickets(main_id, game_id, lines, per_ticket)
    seeder.finish()
    seeded = time.perf_counter() - t
    print(
        f"  {engine}: seeded {lines + base_lines:,} lines ({tickets + base_tickets:,} tickets, {players:,} players) in {seeded:.1f} s",
        flush=True,
    )
    base_s = 0.0
    if base_lines:
        draws.close_sales(uow, t0 + timedelta(hours=1))
        draws.draw_due(uow, t0 + timedelta(hours=1, minutes=1))
        base_s = orm_baseline(uow, base_id, t0 + timedelta(hours=1, minutes=2))
        print(f"  {engine}: baseline {base_lines:,} lines in {base_s:.1f} s", flush=True)
    timer = SqlTimer(db)
    timer.on = True
    steps, prof = production(uow, t0 + timedelta(hours=2), profile)
    timer.on = False
    total = steps["close + ticket root"] + steps["RNG self-test + draw"] + steps["settle_due"]
    won, jackpot_won = winners(uow, main_id)
    base_won, _ = winners(uow, base_id) if base_lines else (0, 0)
    t = time.perf_counter()
    with uow.reader() as r:
        findings = ledger_reports.check_integrity(r.session)
    check_s = time.perf_counter() - t
    with db.read_engine.connect() as conn:
        notes = conn.execute(sa.text("SELECT COUNT(*) FROM notifications")).scalar_one()
    db.dispose()
    return {
        "engine": engine,
        "lines": lines,
        "tickets": tickets,
        "seconds": total,
        "steps": steps,
        "winners": won,
        "jackpot_won": jackpot_won,
        "base_lines": base_lines,
        "base_tickets": base_tickets,
        "base_seconds": base_s,
        "base_winners": base_won,
        "findings": findings,
        "check_seconds": check_s,
        "sql": timer.top(),
        "sql_total": timer.total(),
        "profile": prof,
        "seeded": seeded,
        "notes": notes,
    }


def print_report(results: list[dict[str, Any]]) -> None:
    print("\n| engine | path | lines | tickets | seconds | lines/s | winners | vs baseline | ledger check |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        rate = r["lines"] / r["seconds"]
        base_rate = r["base_lines"] / r["base_seconds"] if r["base_seconds"] else 0.0
        check = "OK" if not r["findings"] else f"{len(r['findings'])} finding(s)"
        ratio = f"**{rate / base_rate:.1f}x**" if base_rate else "-"
        print(
            f"| {r['engine']} | production (close, draw, settle) | {r['lines']:,} | {r['tickets']:,} | "
            f"{r['seconds']:.1f} | {rate:,.0f} | {r['winners']:,} | {ratio} | {check} ({r['check_seconds']:.1f} s) |"
        )
        for label, key in (
            ("settlement (`settle_draw`)", SETTLE),
            ("`settle_due` (settlement + recording)", "settle_due"),
        ):
            settle = r["steps"][key]
            settle_ratio = f"**{r['lines'] / settle / base_rate:.1f}x**" if base_rate else "-"
            print(
                f"| {r['engine']} | {label} | {r['lines']:,} | {r['tickets']:,} | "
                f"{settle:.1f} | {r['lines'] / settle:,.0f} | {r['winners']:,} | {settle_ratio} | |"
            )
        if base_rate:
            print(
                f"| {r['engine']} | ORM loop, one transaction per ticket | {r['base_lines']:,} | "
                f"{r['base_tickets']:,} | {r['base_seconds']:.1f} | {base_rate:,.0f} | {r['base_winners']:,} | 1.0x | |"
            )
    for r in results:
        print(f"\n## {r['engine']}: {r['lines']:,} lines, where the time goes\n")
        for name, s in r["steps"].items():
            print(f"- {name}: {s:.2f} s")
        print(f"- jackpot won: {r['jackpot_won']:,}; inbox rows written: {r['notes']:,}")
        print(
            f"- SQL time (SQLAlchemy cursor events): {r['sql_total']:.2f} s of {r['seconds']:.2f} s; the rest is Python"
        )
        print("\n| statement | calls | seconds |\n| --- | ---: | ---: |")
        for key, calls, secs in r["sql"]:
            print(f"| `{key.replace('|', '/')}` | {calls:,} | {secs:.2f} |")
        for f in r["findings"][:20]:
            print(f"  - {f}")
        if r["profile"]:
            print("\n```\n" + r["profile"] + "```")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--baseline-lines", type=int, default=20_000)
    parser.add_argument("--lines-per-ticket", type=int, default=1)
    parser.add_argument("--players", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the production path")
    args = parser.parse_args()
    print(
        f"# lotto settlement benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}, {args.lines:,} lines ({args.lines_per_ticket} per ticket), "
        f"baseline {args.baseline_lines:,} lines",
        flush=True,
    )
    results = [
        bench_engine(e, args.lines, args.baseline_lines, args.lines_per_ticket, args.players, args.profile)
        for e in (("sqlite", "postgres") if args.engine == "both" else (args.engine,))
    ]
    print_report(results)
    return 1 if any(r["findings"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
