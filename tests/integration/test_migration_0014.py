"""Migration 0014 seals the seeds of draws not yet drawn and keeps drawn draws revealed.

A database at 0013 holds an open, a closed and a drawn draw with their seeds in the clear (as
the older code wrote them); after the upgrade the two undrawn seeds are sealed to their rows
and gone from the clear, the drawn one is untouched; the downgrade puts them back.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from alembic import command
from casino_app.adapters.keys import LocalKeyring
from casino_app.services.security import crypto
from tests.support import FIXED_NOW, alembic_config

SEEDS = {"open": "0a" * 32, "closed": "0b" * 32, "drawn": "0c" * 32}


def _old_draws(engine: sa.Engine) -> dict[str, int]:
    with engine.begin() as conn:
        game = conn.execute(
            sa.text(
                "INSERT INTO games (code, name, kind, currency, version, created_at) "
                "VALUES ('lotto649', 'Lotto 6/49', 'lotto', 'EUR', 1, :t) RETURNING id"
            ),
            {"t": FIXED_NOW},
        ).scalar_one()
        ids = {}
        for n, (status, seed) in enumerate(SEEDS.items()):
            ids[status] = conn.execute(
                sa.text(
                    "INSERT INTO rounds (game_id, game_version, code, status, opened_at, closes_at, "
                    "draw_at, seed_commitment, server_seed, outcome) "
                    "VALUES (:g, 1, :c, :s, :t, :t, :t, :h, :seed, :o) RETURNING id"
                ),
                {
                    "g": game,
                    "c": f"draw-{n}",
                    "s": status,
                    "t": FIXED_NOW - timedelta(minutes=n),
                    "h": hashlib.sha256(bytes.fromhex(seed)).hexdigest(),
                    "seed": seed,
                    "o": "1,2,3,4,5,6" if status == "drawn" else None,
                },
            ).scalar_one()
        return ids


def _seeds(engine: sa.Engine) -> dict[int, tuple[str | None, str | None]]:
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("rounds")}
        enc = "server_seed_enc" if "server_seed_enc" in columns else "NULL"
        rows = conn.execute(sa.text(f"SELECT id, server_seed, {enc} FROM rounds")).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def test_undrawn_seeds_are_sealed_and_drawn_ones_stay_revealed(
    tmp_path: Path, test_keyring: LocalKeyring
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    config.attributes["keys"] = test_keyring
    command.upgrade(config, "0013")
    engine = sa.create_engine(url)
    ids = _old_draws(engine)

    command.upgrade(config, "head")
    after = _seeds(engine)
    assert after[ids["drawn"]] == (SEEDS["drawn"], None)
    for status in ("open", "closed"):
        clear, sealed = after[ids[status]]
        assert clear is None and sealed
        opened = crypto.unseal(
            sealed, table="rounds", column="server_seed_enc", row_id=ids[status], keys=test_keyring
        )
        assert opened == SEEDS[status]

    command.downgrade(config, "0013")
    assert _seeds(engine) == {ids[s]: (seed, None) for s, seed in SEEDS.items()}
    engine.dispose()
