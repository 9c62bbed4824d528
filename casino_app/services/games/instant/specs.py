"""The instant games' catalogue entries: rules and paytables as data, one version each to start.

A changed paytable is published as a new version (`catalog.publish_version`); rounds keep the
version they started under. `mapping` names the outcome mapping of domain/games/fairness.py.
"""

from __future__ import annotations

from datetime import datetime

from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameSpec

DICE_CODE, ROULETTE_CODE, SLOT_CODE = "dice", "roulette", "slot"

_S = ["seven", "crown", "bell", "gem", "grape", "citrus", "cherry", "wild", "star"]
SEVEN, CROWN, BELL, GEM, GRAPE, CITRUS, CHERRY, WILD, STAR = _S

SLOT_STRIPS = [
    "citrus cherry gem crown grape bell citrus cherry citrus gem grape star cherry cherry bell "
    "citrus grape crown gem cherry citrus wild grape cherry bell seven gem citrus cherry grape",
    "cherry citrus gem crown seven grape bell cherry citrus grape gem cherry cherry citrus bell "
    "grape cherry crown gem citrus cherry grape star citrus bell wild gem cherry grape citrus",
    "citrus star crown cherry grape citrus gem cherry bell cherry grape citrus gem cherry grape "
    "crown citrus cherry bell citrus gem grape cherry citrus grape gem bell wild seven cherry",
    "gem grape cherry citrus grape bell gem seven cherry crown citrus star cherry grape cherry "
    "gem wild bell citrus grape cherry citrus gem cherry crown grape bell citrus cherry citrus",
    "bell cherry wild crown citrus gem cherry seven grape citrus cherry bell gem star grape "
    "cherry citrus cherry crown grape gem citrus bell cherry citrus grape gem cherry citrus grape",
]
SLOT_LINES = [
    [1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0],
    [2, 2, 2, 2, 2],
    [0, 1, 2, 1, 0],
    [2, 1, 0, 1, 2],
    [0, 0, 1, 2, 2],
    [2, 2, 1, 0, 0],
    [1, 0, 0, 0, 1],
    [1, 2, 2, 2, 1],
    [1, 0, 1, 2, 1],
]
SLOT_PAYS = {
    SEVEN: {"3": 60, "4": 250, "5": 750},
    WILD: {"3": 40, "4": 200, "5": 750},
    CROWN: {"3": 40, "4": 150, "5": 500},
    BELL: {"3": 25, "4": 80, "5": 250},
    GEM: {"3": 16, "4": 50, "5": 150},
    GRAPE: {"3": 12, "4": 25, "5": 80},
    CITRUS: {"3": 8, "4": 20, "5": 60},
    CHERRY: {"2": 2, "3": 6, "4": 15, "5": 40},
}

DICE = GameSpec(
    code=DICE_CODE,
    name="Dice",
    kind=GameKind.INSTANT,
    currency="EUR",
    rules={"mapping": "dice", "edge": 100, "min_chance": 200, "max_chance": 9_800},
    min_stake=10,
    max_stake=100_00,
)
ROULETTE = GameSpec(
    code=ROULETTE_CODE,
    name="European Roulette",
    kind=GameKind.INSTANT,
    currency="EUR",
    rules={"mapping": "roulette", "max_bets": 15, "min_bet": 10, "max_bet": 100_00},
    min_stake=10,
    max_stake=500_00,
)
SLOT = GameSpec(
    code=SLOT_CODE,
    name="Golden Fives",
    kind=GameKind.INSTANT,
    currency="EUR",
    rules={
        "mapping": "slot",
        "strips": [strip.split() for strip in SLOT_STRIPS],
        "rows": 3,
        "lines": SLOT_LINES,
        "pays": SLOT_PAYS,
        "wild": WILD,
        "scatter": STAR,
        "scatter_pays": {"3": 2, "4": 10, "5": 50},
        "trigger": 3,
        "free_spins": 10,
        "free_multiplier": 1,
    },
    min_stake=10,
    max_stake=10_00,
)
INSTANT_GAMES = (DICE, ROULETTE, SLOT)


def ensure_instant_games(uow: UnitOfWork, actor: Actor, now: datetime) -> int:
    """Create the instant games that are missing (the seed calls it); returns how many were new."""
    before = {g.code for g in catalog.all_games(uow)}
    for spec in INSTANT_GAMES:
        catalog.ensure_game(uow, actor, spec, now)
    return len({g.code for g in INSTANT_GAMES} - before)
