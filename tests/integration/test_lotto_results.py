"""Public lotto results (services/games/lotto/draws/results.py): the archive, a draw's page, a ticket.

Anyone may read them without signing in, so they show only what is public once a draw is
drawn, and never who bought a ticket. A real draw's page and a ticket found by its validation
number verify with tools/verify_draw.py and, under Node, with the browser's verifier.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from casino_app.domain.errors import NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import TicketReceipt, UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.games.lotto.draws import results
from casino_app.services.games.lotto.tickets import proofs
from tests.integration.test_draw_record import _tool

SYSTEM = Actor.system()
VERIFIER = Path(__file__).resolve().parents[2] / "assets" / "draw-verifier.js"


def _buy(uow: UnitOfWork, user: UserView, game: str, numbers: list[int], now: datetime) -> TicketReceipt:
    cmd = lotto.PlaceLottoTicket(game, tuple(numbers), 1_00, uuid.uuid4().hex)
    return lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def test_the_archive_lists_drawn_draws_only_by_game_and_date_newest_first_in_pages(
    uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    drawn = [draws.run_draw_now(uow, SYSTEM, "lotto649", now + timedelta(minutes=i)) for i in range(3)]
    quick = draws.run_draw_now(uow, SYSTEM, "quick535", now + timedelta(minutes=5))

    everything = results.drawn_draws(uow)
    ids = [d.draw_id for d in everything.draws]
    assert {d.id for d in (*drawn, quick)} <= set(ids)
    selling = {d.id for d in draw_queries.upcoming_draws(uow, now + timedelta(minutes=5))}
    assert selling and not selling & set(ids)  # the draws still selling are not listed
    at = [d.draw_at for d in everything.draws]
    assert at == sorted(at, reverse=True)
    assert all(len(d.numbers) in (5, 6) for d in everything.draws)

    only = results.drawn_draws(uow, "lotto649")
    assert {d.game_code for d in only.draws} == {"lotto649"} and len(only.draws) >= 3
    size = len(only.draws) - 1
    first = results.drawn_draws(uow, "lotto649", page=1, per_page=size)
    second = results.drawn_draws(uow, "lotto649", page=2, per_page=size)
    assert first.has_more and not second.has_more and len(second.draws) == 1
    assert [d.draw_id for d in first.draws + second.draws] == [d.draw_id for d in only.draws]

    day = results.drawn_draws(uow, since=now - timedelta(days=2), until=now - timedelta(days=1))
    assert day.draws == ()
    window = [
        d.draw_id for d in results.drawn_draws(uow, since=at[-1], until=at[-1] + timedelta(seconds=1)).draws
    ]
    assert window == [everything.draws[-1].draw_id]
    assert results.drawn_draws(uow, page=0, per_page=10_000).per_page == results.MAX_PER_PAGE


def test_a_draw_page_grows_from_commitment_to_revealed_seed_and_counts_winners(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    draw = games["quick535"]
    assert draw.id is not None
    before = results.public_draw(uow, draw.id)
    assert before.record.seed_commitment and not before.record.server_seed and not before.record.numbers
    assert before.tiers == () and before.jackpot_minor is None

    user = funded_player(amount_minor=20_00)
    sold = [_buy(uow, user, "quick535", [i, i + 5, i + 10, i + 15, i + 20], now) for i in range(1, 11)]
    drawn = draws.run_draw_now(uow, SYSTEM, "quick535", now)
    assert drawn.id == draw.id
    page = results.public_draw(uow, draw.id)
    assert page.tickets == len(sold) and page.game_name == "Quick 5/35" and page.currency == "EUR"
    assert page.record.server_seed and len(page.record.numbers) == 5
    assert sum(t.winners for t in page.tiers) >= page.winners  # one line per ticket here
    assert all(t.matches >= 2 for t in page.tiers)  # only paying tiers
    assert _tool().failed(proofs.verifier_input(page.record)) == []

    with pytest.raises(NotFound):
        results.public_draw(uow, 999_999)


def test_a_ticket_is_found_by_its_validation_number_after_the_draw_and_shows_nobody(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    mine = _buy(uow, user, "lotto649", [3, 9, 17, 28, 33, 41], now)
    _buy(uow, funded_player(amount_minor=10_00), "lotto649", [1, 2, 3, 4, 5, 6], now)
    with pytest.raises(NotFound):  # not public before the draw
        results.public_ticket(uow, mine.validation_number)
    draws.run_draw_now(uow, SYSTEM, "lotto649", now)

    typed = mine.validation_number.replace("-", " ").lower()  # as people type it
    ticket = results.public_ticket(uow, typed)
    assert ticket.validation_number == mine.validation_number
    assert ticket.lines == ((3, 9, 17, 28, 33, 41),) and ticket.stake_minor == 1_00
    assert ticket.status in ("win", "lose") and ticket.game_name == "Lotto 6/49"
    fields = {f.name for f in dataclasses.fields(ticket)}
    assert not fields & {"user_id", "user", "email", "player", "player_id", "owner"}
    record = results.public_draw(uow, ticket.draw_id).record
    assert _tool().failed(proofs.verifier_input(record, ticket.proof)) == []

    for wrong in ("", "not-a-number", "AAAA-BBBB-CCCC-DDDD", mine.validation_number[:-1]):
        with pytest.raises(NotFound):
            results.public_ticket(uow, wrong)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_browser_verifier_passes_a_real_draw_and_ticket_and_names_an_altered_one(
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    tmp_path: Path,
) -> None:
    user = funded_player(amount_minor=10_00)
    sold = [_buy(uow, user, "lotto649", [n, n + 7, n + 14, n + 21, n + 28, n + 35], now) for n in (1, 2, 3)]
    draws.run_draw_now(uow, SYSTEM, "lotto649", now)
    ticket = results.public_ticket(uow, sold[1].validation_number)
    good = proofs.verifier_input(results.public_draw(uow, ticket.draw_id).record, ticket.proof)
    bad = json.loads(json.dumps(good))
    bad["ticket"]["leaf"]["stake"] += 1
    (tmp_path / "docs.json").write_text(json.dumps([good, bad]), encoding="utf-8")
    script = (
        "const V = require(process.argv[1]);"
        "const docs = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));"
        "Promise.all(docs.map(V.failed)).then((r) => console.log(JSON.stringify(r)));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(VERIFIER), str(tmp_path / "docs.json")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(out.stdout) == [[], ["inclusion"]]
