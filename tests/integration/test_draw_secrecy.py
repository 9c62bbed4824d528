"""Nobody learns a draw's numbers before the draw: not from a replica, not from a stolen backup.

During sales every column of every table is read, as someone with a copy of the database would.
No stored value is or contains the draw's seed; none, used as a key, gives the draw's stream
(and so its numbers); none unwraps the data key of the sealed seed (the key-encryption key is
outside the database). After the draw the numbers follow from the revealed seed as published.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime

import sqlalchemy as sa
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap

from casino_app.domain.games import lotto as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.draws import record as draw_record
from casino_app.services.games.lotto.tickets import proofs
from casino_app.services.security import crypto

SYSTEM = Actor.system()


def _every_stored_value(db: Database) -> list[object]:
    """Every value of every column of every table, read straight from the database."""
    values: list[object] = []
    with db.read_engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                values.extend(v for v in row if v is not None)
    return values


def _decoded(part: str) -> list[bytes]:
    out = []
    if len(part) % 2 == 0:
        with contextlib.suppress(ValueError):
            out.append(bytes.fromhex(part))
    with contextlib.suppress(binascii.Error, ValueError):
        out.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return out


def _decodings(text: str) -> Iterator[bytes]:
    """The text's bytes, and every part of it read as hex or base64url."""
    yield text.encode("utf-8")
    for part in {text, *text.split("."), *text.split(":")}:
        yield from _decoded(part)


def _candidate_keys(values: list[object]) -> set[bytes]:
    """Every byte string a stored value could be read as."""
    keys: set[bytes] = set()
    for value in values:
        if isinstance(value, bytes | bytearray | memoryview):
            keys.add(bytes(value))
        else:
            keys.update(_decodings(str(value)))
    return {k for k in keys if k}


def _block(key: bytes, message: str) -> bytes:
    return hmac.new(key, f"{message}:0".encode(), hashlib.sha256).digest()


def _sell(uow: UnitOfWork, players: list[UserView], now: datetime) -> None:
    for i, user in enumerate(players):
        for game, pick, pool in (("lotto649", 6, 49), ("quick535", 5, 35)):
            numbers = tuple(sorted({(i * 7 + k * 5) % pool + 1 for k in range(pick * 2)})[:pick])
            cmd = lotto.PlaceLottoTicket(game, numbers, 1_00, uuid.uuid4().hex)
            lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def test_a_full_copy_of_the_database_during_sales_does_not_give_the_numbers(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    _sell(uow, [funded_player(amount_minor=10_00) for _ in range(3)], now)
    seeds = {
        code: draw_record.unsealed_seed(uow, draw) for code, draw in games.items()
    }  # the key provider's view
    snapshot = _every_stored_value(db)
    texts = [str(v).lower() for v in snapshot if not isinstance(v, bytes | bytearray | memoryview)]
    blobs = [bytes(v) for v in snapshot if isinstance(v, bytes | bytearray | memoryview)]
    for seed in seeds.values():
        assert not any(seed in t for t in texts)
        assert not any(bytes.fromhex(seed) in b for b in blobs)

    candidates = _candidate_keys(snapshot)
    assert len(candidates) > 100
    for token in _sealed_tokens(db, games).values():
        token_key = _wrapped_key(token)
        for key in (k for k in candidates if len(k) in (16, 24, 32)):
            try:
                aes_key_unwrap(key, token_key)
            except InvalidUnwrap:
                continue
            raise AssertionError("a stored value unwraps the sealed seed's data key")

    draw_at = max(d.draw_at for d in games.values() if d.draw_at is not None)
    draws.run_cycle(uow, SYSTEM, draw_at)
    for code, draw in games.items():
        record = proofs.draw_record_of(uow, draw.id or 0)
        assert record.server_seed == seeds[code] and record.numbers
        message = rules.draw_message(record.ticket_root, record.draw_id)
        drawn = _block(bytes.fromhex(record.server_seed), message)
        assert not any(_block(key, message) == drawn for key in candidates)
        lotto_rules = rules.LottoRules(record.pick, record.pool, (), 1, 1)
        assert tuple(
            rules.draw_numbers(lotto_rules, record.server_seed, record.ticket_root, record.draw_id)
        ) == (record.numbers)


def _sealed_tokens(db: Database, games: dict[str, Round]) -> dict[str, str]:
    with db.read_engine.connect() as conn:
        return {
            code: conn.execute(
                sa.text("SELECT server_seed_enc FROM rounds WHERE id = :id"), {"id": draw.id}
            ).scalar_one()
            for code, draw in games.items()
        }


def _wrapped_key(token: str) -> bytes:
    part = token.split(".")[2]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_seed_in_the_copy_is_sealed_and_opens_only_with_the_key_provider(
    db: Database, uow: UnitOfWork, games: dict[str, Round]
) -> None:
    for code, token in _sealed_tokens(db, games).items():
        draw = games[code]
        seed = crypto.unseal(
            token, table="rounds", column="server_seed_enc", row_id=draw.id or 0, keys=uow.context.keys
        )
        assert hashlib.sha256(bytes.fromhex(seed)).hexdigest() == draw.seed_commitment
