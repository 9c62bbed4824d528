"""The draw record: sealed seed, ticket root at close, numbers over the root, write-once, one drawer.

Every ticket of a real draw verifies with tools/verify_draw.py from the public record alone.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from casino_app.adapters.keys import LocalKeyring
from casino_app.bootstrap import Wiring
from casino_app.cli.main import main as cli_main
from casino_app.domain.errors import NotFound
from casino_app.domain.games import lotto as rules
from casino_app.domain.games import merkle, rng
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import TicketReceipt, UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.draws import record as draw_record
from casino_app.services.games.lotto.tickets import proofs
from casino_app.services.security import crypto, key_management
from tests.support import count_rows, make_wiring, scalar

SYSTEM = Actor.system()
TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("verify_draw", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["verify_draw"] = module
    spec.loader.exec_module(module)
    return module


def _buy(uow: UnitOfWork, user: UserView, game: str, numbers: list[int], now: datetime) -> TicketReceipt:
    cmd = lotto.PlaceLottoTicket(game, tuple(numbers), 1_00, uuid.uuid4().hex)
    return lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def _row(db: Database, draw_id: int | None) -> sa.Row[Any]:
    with db.read_engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT status, server_seed, server_seed_enc, ticket_root, outcome, seed_commitment "
                "FROM rounds WHERE id = :id"
            ),
            {"id": draw_id},
        ).one()


def _execute(db: Database, sql: str, **params: object) -> None:
    with db.write_engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def _close(uow: UnitOfWork, draw: Round) -> None:
    assert draw.closes_at is not None
    draws.close_sales(uow, draw.closes_at)


def test_a_new_draw_seed_is_sealed_to_its_row_and_never_in_the_clear(
    db: Database, uow: UnitOfWork, games: dict[str, Round]
) -> None:
    draw = games["lotto649"]
    status, clear, sealed, root, outcome, commitment = _row(db, draw.id)
    assert (status, clear, root, outcome) == ("open", None, None, None)
    seed = crypto.unseal(
        sealed, table="rounds", column="server_seed_enc", row_id=draw.id or 0, keys=uow.context.keys
    )
    assert rng.commitment(seed) == commitment
    other = games["quick535"].id or 0
    with pytest.raises(Exception, match="integrity"):  # bound to its row: useless on another
        crypto.unseal(sealed, table="rounds", column="server_seed_enc", row_id=other, keys=uow.context.keys)


def test_a_draw_with_its_seed_in_the_clear_cannot_be_inserted(db: Database, games: dict[str, Round]) -> None:
    draw = games["lotto649"]
    with pytest.raises(DBAPIError, match="sealed until the draw"):
        _execute(
            db,
            "INSERT INTO rounds (game_id, game_version, code, status, opened_at, seed_commitment, "
            "server_seed) SELECT game_id, game_version, 'plain', 'open', opened_at, seed_commitment, :s "
            "FROM rounds WHERE id = :id",
            s="00" * 32,
            id=draw.id,
        )


def test_the_close_fixes_the_root_of_the_tickets_and_the_draw_reveals_the_seed_over_it(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    draw, user = games["lotto649"], funded_player(amount_minor=10_00)
    sold = [_buy(uow, user, "lotto649", [1 + i, 10 + i, 20 + i, 30 + i, 40, 49], now) for i in range(5)]
    _close(uow, draw)
    status, clear, sealed, root, outcome, _ = _row(db, draw.id)
    assert (status, clear, outcome) == ("closed", None, None) and sealed
    leaves = [merkle.TicketLeaf(t.validation_number, (t.selection,), 1_00, draw.id or 0) for t in sold]
    assert root == merkle.ticket_root(leaves)

    assert draw.draw_at is not None
    due = count_rows(db, "rounds", "status = 'closed'")  # both games' draws (several sell at once)
    assert draws.draw_due(uow, draw.draw_at) == due >= 2
    status, clear, sealed, root_after, outcome, commitment = _row(db, draw.id)
    assert status == "drawn" and sealed is None and root_after == root
    assert rng.commitment(clear) == commitment
    numbers = rules.draw_numbers(rules.LottoRules(6, 49, (), 1, 1), clear, root, draw.id or 0)
    assert outcome == ",".join(map(str, numbers))


def test_every_ticket_of_a_real_draw_verifies_with_the_standalone_tool(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    tool, draw = _tool(), games["quick535"]
    alice, bob = funded_player(amount_minor=10_00), funded_player(amount_minor=10_00)
    sold = [
        _buy(uow, u, "quick535", [i, i + 5, i + 10, i + 15, i + 20], now)
        for i in (1, 2, 3)
        for u in (alice, bob)
    ]
    with pytest.raises(NotFound):  # no root yet
        proofs.my_ticket_proof(uow, Actor.player(alice.id), sold[0].validation_number)
    _close(uow, draw)
    mine = proofs.my_ticket_proof(uow, Actor.player(alice.id), sold[0].validation_number)
    assert mine.ticket_root == _row(db, draw.id)[3]
    with pytest.raises(NotFound):  # not bob's ticket; not public before the draw
        proofs.my_ticket_proof(uow, Actor.player(bob.id), sold[0].validation_number)
    with pytest.raises(NotFound):
        proofs.published_ticket_proof(uow, sold[0].validation_number)
    assert proofs.draw_record_of(uow, draw.id or 0).server_seed == ""

    assert draw.draw_at is not None
    draws.run_cycle(uow, SYSTEM, draw.draw_at)
    record = proofs.draw_record_of(uow, draw.id or 0)
    for ticket in sold:
        proof = proofs.published_ticket_proof(uow, ticket.validation_number)
        assert tool.failed(proofs.verifier_input(record, proof)) == []
    assert tool.failed(proofs.verifier_input(record)) == []


def test_the_shell_prints_the_document_the_tool_checks(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    test_keyring: LocalKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ticket = _buy(uow, funded_player(amount_minor=5_00), "lotto649", [6, 7, 8, 9, 10, 11], now)
    drawn = draws.run_draw_now(uow, SYSTEM, "lotto649", now)
    argv = ["draw", "record", str(drawn.id), "--ticket", ticket.validation_number]
    assert cli_main(argv, make_wiring(db, keys=test_keyring)) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ticket"]["leaf"]["ticket"] == ticket.validation_number
    assert _tool().failed(document) == []


def test_the_key_rotation_job_rewraps_sealed_draw_seeds() -> None:
    sealed = {table.name: [c.name for c in columns] for table, columns in key_management.sealed_tables()}
    assert sealed["rounds"] == ["server_seed_enc"]


def test_a_ticket_cannot_join_a_draw_whose_sales_closed(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    draw = games["lotto649"]
    ticket = _buy(uow, funded_player(amount_minor=5_00), "lotto649", [1, 2, 3, 4, 5, 6], now)
    _close(uow, draw)
    with pytest.raises(DBAPIError, match="round_closed"):  # past the engine's own check, the trigger
        _execute(
            db,
            "INSERT INTO bets (public_id, round_id, user_id, game_id, game_version, currency, stake, "
            "stake_bonus, win, win_bonus, status, selection, result, idempotency_key, stake_transaction_id, "
            "created_at) SELECT 'LATE-LATE-LATE-LATE', round_id, user_id, game_id, game_version, currency, "
            "stake, 0, 0, 0, 'pending', selection, '', 'late', "
            "(SELECT MAX(id) FROM ledger_transactions WHERE kind <> 'stake'), created_at "
            "FROM bets WHERE public_id = :v",
            v=ticket.validation_number,
        )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("ticket_root", "00" * 32),
        ("outcome", "1,2,3,4,5,6"),
        ("server_seed", "11" * 32),
        ("seed_commitment", "22" * 32),
        ("server_seed_enc", "e1.1.x.y.z"),
        ("draw_at", "2030-01-01 00:00:00"),
    ],
)
def test_a_drawn_draw_record_is_write_once(
    db: Database, uow: UnitOfWork, games: dict[str, Round], now: datetime, column: str, value: str
) -> None:
    drawn = draws.run_draw_now(uow, Actor.operator(99, "admin"), "lotto649", now)
    before = _row(db, drawn.id)
    with pytest.raises(DBAPIError, match="write-once"):
        _execute(db, f"UPDATE rounds SET {column} = :v WHERE id = :id", v=value, id=drawn.id)
    assert _row(db, drawn.id) == before


def test_before_the_draw_the_protocol_order_is_enforced(
    db: Database, uow: UnitOfWork, games: dict[str, Round]
) -> None:
    draw = games["lotto649"]
    refused = [
        "UPDATE rounds SET ticket_root = :h WHERE id = :id",  # a root while sales are open
        "UPDATE rounds SET status = 'closed', outcome = '1,2,3,4,5,6', server_seed_enc = NULL, "
        "server_seed = :h WHERE id = :id",  # numbers before a root
    ]
    for sql in refused:
        with pytest.raises(DBAPIError, match="write-once"):
            _execute(db, sql, h="ab" * 32, id=draw.id)
    _close(uow, draw)
    with pytest.raises(DBAPIError, match="write-once"):  # numbers without revealing the seed
        _execute(db, "UPDATE rounds SET status = 'drawn', outcome = '1,2,3,4,5,6' WHERE id = :id", id=draw.id)
    with pytest.raises(DBAPIError, match="write-once"):  # a second root
        _execute(db, "UPDATE rounds SET ticket_root = :h WHERE id = :id", h="ab" * 32, id=draw.id)


def test_the_draw_step_waits_for_the_draw_time_after_the_close(
    db: Database, uow: UnitOfWork, games: dict[str, Round]
) -> None:
    draw = games["lotto649"]
    assert draw.closes_at is not None
    draws.run_cycle(uow, SYSTEM, draw.closes_at)
    status, clear, sealed, root, outcome, _ = _row(db, draw.id)
    assert (status, clear, outcome) == ("closed", None, None) and sealed and root


def test_two_workers_never_draw_the_same_draw(db: Database, wiring: Wiring, games: dict[str, Round]) -> None:
    draw = games["lotto649"]
    assert draw.draw_at is not None
    _close(wiring.uow(), draw)
    due = count_rows(db, "rounds", "status = 'closed'")  # both games' (several draws sell at once)
    barrier, counts, errors = threading.Barrier(4), [], []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(draws.draw_due(wiring.uow(), draw.draw_at))
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(counts) == 4
    assert sum(counts) == due >= len(games) == 2  # each due draw was drawn by exactly one worker
    assert _row(db, draw.id)[0] == "drawn"
    assert scalar(db, "SELECT COUNT(*) FROM rounds WHERE outcome IS NOT NULL") == due


def test_a_draw_closed_without_its_root_gets_it_before_it_is_drawn(
    db: Database, uow: UnitOfWork, games: dict[str, Round]
) -> None:
    draw = games["quick535"]
    assert draw.draw_at is not None
    _execute(db, "UPDATE rounds SET status = 'closed' WHERE id = :id", id=draw.id)  # an interrupted close
    assert _row(db, draw.id)[3] is None
    assert draws.draw_due(uow, draw.draw_at) == 1  # only this one closed
    assert _row(db, draw.id)[3] == merkle.EMPTY_ROOT
    assert draw_record.fix_ticket_roots(uow) == 0
