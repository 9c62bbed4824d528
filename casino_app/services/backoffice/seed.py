"""Demo data for `make run`: two lotto games, a funded demo player, an operator. Idempotent.

The people are created in demo mode only (their passwords are published).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.domain.errors import EmailTaken
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.demo import DEMO_OPERATOR, DEMO_PLAYER
from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.instant import specs
from casino_app.services.identity.accounts import registration, users
from casino_app.services.identity.credentials import mfa
from casino_app.services.payments.deposits import deposits

DEMO_DEPOSIT_MINOR = 100_00

LOTTO_649 = GameSpec(
    code="lotto649",
    name="Lotto 6/49",
    kind=GameKind.LOTTO,
    currency="EUR",
    rules={
        "pick": 6,
        "pool": 49,
        "paytable": [[3, 10], [4, 100], [5, 5000]],  # fixed tiers: multiples of the line's stake
        "line_price": 100,
        "max_lines": 10,  # a ticket's lines, and the draws it may play (the same lines each)
        "max_draws": 8,
        "sales_close_seconds": 60,
        # all six: a progressive jackpot, 20% of every stake, reset to 1,000,000.00 after a win
        "jackpot": {"matches": 6, "share_bp": 2000, "seed": 100_000_000},
    },
    min_stake=100,
    max_stake=100_00,
    draw_interval_seconds=300,
)
QUICK_535 = GameSpec(
    code="quick535",
    name="Quick 5/35",
    kind=GameKind.LOTTO,
    currency="EUR",
    rules={
        "pick": 5,
        "pool": 35,
        "paytable": [[2, 1], [3, 15], [4, 200]],
        "line_price": 100,
        "max_lines": 10,
        "max_draws": 5,
        "sales_close_seconds": 60,
        "jackpot": {"matches": 5, "share_bp": 1500, "seed": 2_000_000},  # 15%, reset to 20,000.00
    },
    min_stake=100,
    max_stake=100_00,
    draw_interval_seconds=120,
)
GAMES = (LOTTO_649, QUICK_535)
SEED_ACTOR = Actor.system("seed")


@dataclass(frozen=True)
class SeedReport:
    games_created: int
    player_created: bool
    operator_created: bool


def seed_demo(uow: UnitOfWork, now: datetime) -> SeedReport:
    """Create what is missing; running it again changes nothing.

    The demo player and operator (published logins) are created in demo mode only; outside
    it they could not sign in anyway (`domain/identity/demo.py`).
    """
    games = seed_games(uow, now)
    specs.ensure_instant_games(uow, SEED_ACTOR, now)  # dice, roulette, the slot (counted apart)
    if not uow.context.settings.demo_mode:
        return SeedReport(games, False, False)
    player = _seed_user(uow, now, operator=False)
    operator = _seed_user(uow, now, operator=True)
    if player:
        _fund_demo_player(uow, now)
    return SeedReport(games, player, operator)


def seed_games(uow: UnitOfWork, now: datetime) -> int:
    """The demo lotto games and their house shards; returns how many games were new."""
    before = {g.code for g in catalog.all_games(uow)}
    for spec in GAMES:
        catalog.ensure_game(uow, SEED_ACTOR, spec, now)
    return len({g.code for g in GAMES} - before)


DEMO_PLAYER_PROFILE = {
    "full_name": "Demo Player",
    "country": "MT",
    "phone": "+356 2123 4567",
}


def _seed_user(uow: UnitOfWork, now: datetime, *, operator: bool) -> bool:
    try:
        if operator:
            seeder = Actor.system("seed")
            user = registration.create_operator(uow, seeder, *DEMO_OPERATOR, role="admin", now=now)
            # The demo operator gets TOTP at once; `python -m casino_app seed` prints the secret.
            mfa.enroll_demo_secret(uow, user.id, totp.new_secret(), now)
        else:
            cmd = registration.RegisterPlayer(
                *DEMO_PLAYER,
                birth_date=date(1990, 5, 17),
                terms_version=TERMS_VERSION,
                privacy_version=PRIVACY_VERSION,
                **DEMO_PLAYER_PROFILE,
            )
            player = registration.register_player(uow, cmd, now)
            if player is None:  # seeded before
                return False
            _mark_verified(uow, player.id, now)
    except EmailTaken:
        return False
    return True


def _mark_verified(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    with uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        user.email_verified_at = now
        uow.session.add(user)
        uow.commit()


def demo_operator_totp_secret(uow: UnitOfWork) -> str:
    """The demo operator's TOTP secret, for the seed output in demo mode."""
    with uow.reader() as r:
        user = users.find_by_email(r, DEMO_OPERATOR[0])
    return mfa.seeded_secret(uow, user.id) if user is not None and user.id is not None else ""


def _fund_demo_player(uow: UnitOfWork, now: datetime) -> None:
    with uow.reader() as r:
        user = users.find_by_email(r, DEMO_PLAYER[0])
    assert user is not None and user.id is not None
    deposits.deposit(
        uow,
        Actor.player(user.id),
        deposits.Deposit("demo-seed-deposit", DEMO_DEPOSIT_MINOR, user.currency, APPROVE_TOKEN),
        now,
    )
