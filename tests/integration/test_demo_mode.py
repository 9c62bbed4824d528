"""Demo mode (issue 14.1): off unless asked for; even on, nobody reads another person's mail.

The demo mailbox shows a signed-in player their own mail only (never an operator's, never
anything to an anonymous caller), and the published demo logins sign in only in demo mode.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from casino_app.bootstrap import Wiring
from casino_app.config import Settings, load_settings
from casino_app.domain.errors import InvalidCredentials, PermissionDenied
from casino_app.domain.identity import demo
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.backoffice import operators, seed
from casino_app.services.identity.accounts import mail, registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, make_wiring
from tests.support import registration as player_form

ADMIN = Actor.system("test")


def _wiring(db: Database, base: Wiring, *, demo_mode: bool) -> Wiring:
    return make_wiring(db, keys=base.keys, settings=replace(base.settings, demo_mode=demo_mode))


def test_demo_mode_is_off_unless_explicitly_turned_on() -> None:
    assert Settings().demo_mode is False
    assert load_settings({}).demo_mode is False
    assert load_settings({"CASINO_DEMO_MODE": "1"}).demo_mode is True
    assert load_settings({"CASINO_DEMO_MODE": "0"}).demo_mode is False


def test_the_demo_mailbox_shows_a_player_only_their_own_mail(wiring: Wiring, now: datetime) -> None:
    uow = wiring.uow()
    alice = registration.register_player(uow, player_form("alice@example.com"), now)
    bob = registration.register_player(uow, player_form("bob@example.com"), now)
    assert alice is not None and bob is not None
    accounts.request_password_reset(uow, "bob@example.com", now + timedelta(minutes=1))  # the victim's link
    accounts.request_password_reset(uow, "nobody@example.com", now + timedelta(minutes=1))
    seen = {m.recipient for m in mail.recent(uow, Actor.player(alice.id))}
    assert seen == {"alice@example.com"}
    bobs = [m.kind for m in mail.recent(uow, Actor.player(bob.id))]
    assert sorted(bobs) == ["reset_password", "verify_email"]


@pytest.mark.parametrize(
    "actor",
    [Actor.anonymous(), Actor.operator(1, "admin"), Actor.operator(1, "support"), Actor.system("cli")],
    ids=["anonymous", "admin", "support", "system"],
)
def test_the_demo_mailbox_shows_nothing_to_anyone_but_a_signed_in_player(
    db: Database, wiring: Wiring, now: datetime, actor: Actor
) -> None:
    """An operator invitation's link would hand out a back-office account: no operator mail, ever."""
    uow = wiring.uow()
    operators.invite_operator(uow, ADMIN, "new-finance@example.com", "finance", now)
    with pytest.raises(PermissionDenied):
        mail.recent(uow, actor)


def test_an_operator_has_no_mailbox_even_for_their_own_invitation(wiring: Wiring, now: datetime) -> None:
    uow = wiring.uow()
    invited = operators.invite_operator(uow, ADMIN, "invited@example.com", "finance", now)
    with pytest.raises(PermissionDenied):
        mail.recent(uow, Actor.operator(invited.id, "finance"))


def test_the_published_demo_logins_sign_in_only_in_demo_mode(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    seed.seed_demo(wiring.uow(), now)
    client = ClientInfo("192.0.2.40")
    for email, password in (demo.DEMO_OPERATOR, demo.DEMO_PLAYER):
        assert signin.verify_password(wiring.uow(), email, password, now, client).email == email
    live = _wiring(db, wiring, demo_mode=False)
    for email, password in (demo.DEMO_OPERATOR, demo.DEMO_PLAYER):
        with pytest.raises(InvalidCredentials) as err:
            signin.verify_password(live.uow(), email, password, now + timedelta(minutes=1), client)
        assert err.value.message == signin.WRONG_LOGIN  # the same answer as a wrong password
    assert count_rows(db, "audit_log", "action = 'auth.login_failed'") == 2  # counted and audited


def test_other_accounts_sign_in_whatever_the_mode(db: Database, wiring: Wiring, now: datetime) -> None:
    live = _wiring(db, wiring, demo_mode=False)
    registration.register_player(live.uow(), player_form("real@example.com"), now)
    assert signin.verify_password(live.uow(), "real@example.com", PASSWORD, now, ClientInfo("192.0.2.41"))


def test_the_seed_creates_no_demo_logins_outside_demo_mode(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    report = seed.seed_demo(_wiring(db, wiring, demo_mode=False).uow(), now)
    assert (report.games_created, report.player_created, report.operator_created) == (2, False, False)
    assert count_rows(db, "users") == 0
