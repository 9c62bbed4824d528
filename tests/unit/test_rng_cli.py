"""`python -m casino_app rng sample|report`: outcomes through the production mapping, as CSV."""

from __future__ import annotations

import argparse
import io

import pytest

from casino_app.cli import rng as rng_cli
from casino_app.cli.main import build_parser
from casino_app.domain.games import fairness
from casino_app.services.games.instant.specs import DICE, ROULETTE, SLOT

SERVER = "ab" * 32


def _sample(game: str, count: int, start: int = 0) -> list[list[int]]:
    args = argparse.Namespace(game=game, count=count, start=start, server_seed=SERVER, client_seed="lab")
    out = io.StringIO()
    assert rng_cli._sample(args, None, out) == 0  # type: ignore[arg-type]
    return [[int(x) for x in line.split(",")] for line in out.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("game", "rules", "fields"),
    [("dice", DICE.rules, 2), ("roulette", ROULETTE.rules, 2), ("slot", SLOT.rules, 6)],
)
def test_rng_sample_writes_one_round_per_line_with_the_production_outcome(
    game: str, rules: dict, fields: int
) -> None:
    lines = _sample(game, 50, start=7)
    assert len(lines) == 50 and {len(line) for line in lines} == {fields}
    for nonce, *outcome in lines:
        derived = fairness.derive(game, rules, SERVER, "lab", nonce).as_dict()
        expected = derived.get("roll", derived.get("pocket"))
        assert outcome == ([expected] if expected is not None else derived["stops"][0])
    if game == "roulette":
        assert all(0 <= line[-1] <= 36 for line in lines)  # the pocket is the line's last field
    assert [line[0] for line in lines] == list(range(7, 57))


def test_the_rng_commands_are_registered_in_the_cli() -> None:
    parser = build_parser()
    args = parser.parse_args(["rng", "sample", "--game", "slot", "--count", "3"])
    assert args.fn is rng_cli._sample and args.count == 3
    assert parser.parse_args(["rng", "report"]).fn is rng_cli._report
    with pytest.raises(SystemExit):
        parser.parse_args(["rng", "sample", "--game", "poker"])


def test_rng_sample_of_a_lotto_game_writes_the_production_draws() -> None:
    from casino_app.domain.games import lotto
    from casino_app.services.games.certification import run

    root = "cd" * 32
    args = argparse.Namespace(
        game="lotto649", count=20, start=5, server_seed=SERVER, client_seed="", root=root
    )
    out = io.StringIO()
    assert rng_cli._sample(args, None, out) == 0  # type: ignore[arg-type]
    lines = [[int(x) for x in line.split(",")] for line in out.getvalue().splitlines()]
    rules = dict(run.lotto_rules())["lotto649"]
    assert [line[0] for line in lines] == list(range(5, 25))
    for draw_id, *numbers in lines:
        assert numbers == lotto.draw_numbers(rules, SERVER, root, draw_id)


def test_rng_stream_writes_the_raw_hmac_stream() -> None:
    from casino_app.domain.games import rng

    args = argparse.Namespace(bytes=100_000, server_seed=SERVER, message="lab")
    out = io.BytesIO()
    assert rng_cli._stream(args, None, out) == 0  # type: ignore[arg-type]
    stream = rng.byte_stream(SERVER, "lab")
    assert out.getvalue() == bytes(next(stream) for _ in range(100_000))


def test_rng_report_prints_the_battery_and_every_outcome_space(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(
        ["rng", "report", "--sequences", "2", "--bits", "8192", "--count", "500", "--no-store"]
    )
    assert args.fn is rng_cli._report
    out = io.StringIO()
    code = rng_cli._report(args, None, out)  # type: ignore[arg-type]
    text = out.getvalue()
    for name in ("frequency", "cusum-reverse", "dice", "roulette", "slot-reel:5", "lotto:quick535"):
        assert name in text
    assert " in " in text.splitlines()[-1] and code in (0, 1)
    assert build_parser().parse_args(["rng", "stream", "--bytes", "8"]).fn is rng_cli._stream
