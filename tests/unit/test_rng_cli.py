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
