"""Demo data for `make run`: two lotto games, a funded demo player, an operator. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN, SandboxProvider
from casino_app.domain.errors import EmailTaken
from casino_app.persistence.models import LottoGame, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import identity, payments
from casino_app.services.lotto import HOUSE_SHARDS, house_account

DEMO_PLAYER = ("demo@kasyno.example", "lucky-numbers-2026")
DEMO_OPERATOR = ("ops@kasyno.example", "back-office-2026")
DEMO_DEPOSIT_MINOR = 100_00

GAMES = (
    LottoGame(
        code="lotto649",
        name="Lotto 6/49",
        pick=6,
        pool=49,
        paytable="3:10,4:100,5:5000,6:1000000",
        min_stake=100,
        max_stake=100_00,
        currency="EUR",
        draw_interval_seconds=300,
    ),
    LottoGame(
        code="quick535",
        name="Quick 5/35",
        pick=5,
        pool=35,
        paytable="2:1,3:15,4:200,5:20000",
        min_stake=100,
        max_stake=100_00,
        currency="EUR",
        draw_interval_seconds=120,
    ),
)


@dataclass(frozen=True)
class SeedReport:
    games_created: int
    player_created: bool
    operator_created: bool


def seed_demo(uow: UnitOfWork, now: datetime) -> SeedReport:
    """Create what is missing; running it again changes nothing."""
    games = _seed_games(uow)
    player = _seed_user(uow, now, operator=False)
    operator = _seed_user(uow, now, operator=True)
    if player:
        _fund_demo_player(uow, now)
    return SeedReport(games, player, operator)


def _seed_games(uow: UnitOfWork) -> int:
    created = 0
    with uow:
        for template in GAMES:
            exists = uow.session.exec(select(LottoGame.id).where(LottoGame.code == template.code)).first()
            if exists is None:
                uow.session.add(LottoGame.model_validate(template.model_dump()))
                created += 1
            for shard in range(HOUSE_SHARDS):
                house_account(uow.session, template.code, template.currency, shard)
        uow.commit()
    return created


def _seed_user(uow: UnitOfWork, now: datetime, *, operator: bool) -> bool:
    try:
        if operator:
            identity.create_operator(uow, *DEMO_OPERATOR, role="admin", now=now)
        else:
            identity.register_player(
                uow, identity.RegisterPlayer(*DEMO_PLAYER, birth_date=date(1990, 5, 17)), now
            )
    except EmailTaken:
        return False
    return True


def _fund_demo_player(uow: UnitOfWork, now: datetime) -> None:
    with uow.reader() as r:
        user = r.session.exec(select(User).where(User.email == DEMO_PLAYER[0])).one()
    assert user.id is not None
    payments.deposit(
        uow,
        SandboxProvider(),
        payments.Deposit(user.id, "demo-seed-deposit", DEMO_DEPOSIT_MINOR, "EUR", APPROVE_TOKEN),
        now,
    )
