"""Signed receipts for every bet (lotto and instant): Ed25519 over canonical JSON, the public key
at a well-known URL, and tools/verify_receipt.py proving offline what was bought and what it paid.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient

from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import NotFound
from casino_app.domain.games import fairness, merkle
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import lotto, receipts
from casino_app.services.games.instant import dice, seeds, slot, specs
from casino_app.services.games.lotto.draws import cycle as draws
from tests.support import ROOT

TOOL = ROOT / "tools" / "verify_receipt.py"


@pytest.fixture
def casino(uow: UnitOfWork, now: datetime) -> None:
    specs.ensure_instant_games(uow, Actor.system("test"), now)


def _published_key(wiring: Wiring) -> str:
    with TestClient(create_api(wiring)) as client:
        well_known = client.get("/.well-known/kasyno-receipt-key.json")
        documented = client.get("/api/fairness/receipt-key")
    assert well_known.status_code == documented.status_code == 200
    assert well_known.json() == documented.json()
    assert well_known.json()["algorithm"] == "Ed25519"
    return str(well_known.json()["public_key"])


def _tool(tmp_path: Path, envelope: dict, key: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(TOOL), str(path), "--public-key", key],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_instant_round_receipt_is_signed_by_the_published_key_and_verifies_offline(
    casino: None,
    wiring: Wiring,
    uow: UnitOfWork,
    funded_player: Callable[..., UserView],
    now: datetime,
    tmp_path: Path,
) -> None:
    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, now)
    view = dice.roll(uow, player, dice.RollDice(1_00, "over", 4000, "signed"), now)
    signed = receipts.receipt(uow, player, view.bet_id)
    key = _published_key(wiring)
    assert signed.public_key == key
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(key)).verify(
        bytes.fromhex(signed.signature), fairness.canonical_json(signed.document)
    )
    doc = signed.document
    assert (doc["bet"], doc["game"], doc["stake"], doc["status"]) == (
        view.bet_id,
        "dice",
        {"amount": "1.00", "currency": "EUR"},
        view.status,
    )
    assert doc["fairness"]["server_seed_hash"] == view.commitment and doc["fairness"]["server_seed"] is None
    assert receipts.receipt(uow, player, view.bet_id) == signed  # deterministic
    ok = _tool(tmp_path, signed.envelope(), key)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "VALID" in ok.stdout and view.bet_id in ok.stdout
    tampered = signed.envelope()
    tampered["receipt"]["win"] = {"amount": "1000.00", "currency": "EUR"}
    bad = _tool(tmp_path, tampered, key)
    assert bad.returncode == 1 and "NOT VALID" in bad.stdout
    other_key = Ed25519PublicKey.from_public_bytes(bytes(32)).public_bytes_raw().hex()
    assert _tool(tmp_path, signed.envelope(), other_key).returncode == 1


def test_after_rotation_the_receipt_carries_the_seed_and_the_tool_replays_the_outcome(
    casino: None,
    wiring: Wiring,
    uow: UnitOfWork,
    funded_player: Callable[..., UserView],
    clock,
    tmp_path: Path,
) -> None:
    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, clock.now())
    rolled = dice.roll(uow, player, dice.RollDice(50, "under", 5000, "d"), clock.now())
    spun = slot.spin(uow, player, slot.SpinSlot(10, "s"), clock.now())
    if spun.status == "pending":  # free spins: see them through first
        for step in range(2, spun.steps + 1):
            clock.advance(seconds=3)
            spun = slot.free_spin(uow, player, step, clock.now())
    seeds.rotate_seed(uow, player, None, clock.now())
    key = _published_key(wiring)
    for view in (rolled, spun):
        envelope = receipts.receipt(uow, player, view.bet_id).envelope()
        assert envelope["receipt"]["fairness"]["server_seed"]
        result = _tool(tmp_path, envelope, key)
        assert result.returncode == 0, result.stdout
    forged = receipts.receipt(uow, player, rolled.bet_id).envelope()
    forged["receipt"]["outcome"]["roll"] = (forged["receipt"]["outcome"]["roll"] + 1) % 10_000
    forged["signature"] = receipts.sign(
        uow, rolled.bet_id, forged["receipt"]
    ).signature  # even if we signed it
    result = _tool(tmp_path, forged, key)
    assert result.returncode == 1 and "does not follow from the seeds" in result.stdout


def test_a_lotto_ticket_has_a_signed_receipt_too(
    wiring: Wiring,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    tmp_path: Path,
) -> None:
    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    ticket = lotto.place_lotto_ticket(
        uow, player, lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), 2_00, "t"), now
    )
    signed = receipts.receipt(uow, player, ticket.validation_number)
    doc = signed.document
    assert doc["selection"] == {"lines": [[1, 2, 3, 4, 5, 6]]} and doc["status"] == "pending"
    assert doc["fairness"]["seed_commitment"] == games["lotto649"].seed_commitment
    assert doc["fairness"]["server_seed"] is None
    assert doc["fairness"]["inclusion_proof"] is None  # sales still open: no root yet
    assert _tool(tmp_path, signed.envelope(), _published_key(wiring)).returncode == 0


def test_a_ticket_receipt_carries_its_inclusion_proof_once_sales_close(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    draw = games["lotto649"]
    player = Actor.player(funded_player(amount_minor=10_00).id)
    for i, line in enumerate(((1, 2, 3, 4, 5, 6), (7, 8, 9, 10, 11, 12), (13, 14, 15, 16, 17, 18))):
        cmd = lotto.PlaceLottoTicket("lotto649", line, 1_00, f"p{i}", draw_id=draw.id)
        mine = lotto.place_lotto_ticket(uow, player, cmd, now)
    assert draw.closes_at is not None
    draws.close_sales(uow, draw.closes_at)

    fair = receipts.receipt(uow, player, mine.validation_number).document["fairness"]

    leaf = fair["leaf"]
    encoded = merkle.canonical_leaf(leaf["ticket"], leaf["lines"], leaf["stake"], leaf["draw"])
    steps = [merkle.ProofStep(step["side"], step["hash"]) for step in fair["inclusion_proof"]]
    # Three leaves: two siblings, or one when this ticket is the odd leaf that moves up unchanged.
    assert len(steps) in (1, 2) and merkle.root_from_proof(encoded, steps) == fair["ticket_root"]


def test_a_receipt_is_only_for_the_players_own_bet(
    casino: None, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    alice, bob = funded_player(amount_minor=5_00), funded_player(amount_minor=5_00)
    seeds.seed_pair(uow, Actor.player(alice.id), now)
    view = dice.roll(uow, Actor.player(alice.id), dice.RollDice(10, "under", 5000, "a"), now)
    with pytest.raises(NotFound):
        receipts.receipt(uow, Actor.player(bob.id), view.bet_id)


def test_the_api_publishes_each_instant_game_versions_rules(casino: None, wiring: Wiring) -> None:
    with TestClient(create_api(wiring)) as client:
        found = client.get("/api/fairness/games/slot/versions/1")
        missing = client.get("/api/fairness/games/slot/versions/99")
        lotto_game = client.get("/api/fairness/games/lotto649/versions/1")
    assert found.status_code == 200 and found.json()["rules"]["strips"] == specs.SLOT.rules["strips"]
    assert missing.status_code == lotto_game.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
