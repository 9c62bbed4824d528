"""The permission matrix: only listed roles hold a permission; everything else is denied."""

from __future__ import annotations

import pytest

from casino_app.domain.identity.actor import SYSTEM
from casino_app.services import authz


@pytest.mark.parametrize("role", sorted(authz.OPERATOR_ROLES))
def test_every_operator_role_may_view_the_dashboard(role: str) -> None:
    assert authz.allowed(role, "ops.dashboard.view")


@pytest.mark.parametrize("role", ["player", None, "", "ADMIN", "root"])
def test_players_anonymous_and_unknown_roles_may_not_view_the_dashboard(role: str | None) -> None:
    assert not authz.allowed(role, "ops.dashboard.view")


def test_only_admin_and_the_system_may_run_a_draw_now() -> None:
    holders = {r for r in [*authz.ROLES, SYSTEM] if authz.allowed(r, "ops.draws.run_now")}
    assert holders == {"admin", SYSTEM}


def test_operators_and_the_system_may_not_play_or_use_a_wallet() -> None:
    for role in [*authz.OPERATOR_ROLES, SYSTEM]:
        for permission in ("player.play", "player.wallet", "player.history", "player.privacy"):
            assert not authz.allowed(role, permission)
    assert authz.allowed("player", "player.play")
    assert authz.allowed("player", "player.wallet")


def test_only_the_system_runs_jobs() -> None:
    assert {r for r in [*authz.ROLES, SYSTEM] if authz.allowed(r, "system.jobs")} == {SYSTEM}


def test_unknown_permission_is_denied_to_everyone_and_cannot_be_declared() -> None:
    assert not authz.allowed("admin", "ops.does.not.exist")
    assert not authz.allowed(SYSTEM, "ops.does.not.exist")
    with pytest.raises(ValueError, match="unknown permission"):
        authz.guard("ops.does.not.exist")


def test_a_guarded_service_is_registered_with_its_permission() -> None:
    @authz.guard("ops.dashboard.view")
    def look(uow: object, actor: object) -> None:
        return None

    assert authz.permission_of(look) == "ops.dashboard.view"
    assert authz.GUARDED_SERVICES[f"{__name__}.{look.__qualname__}"] == "ops.dashboard.view"
    del authz.GUARDED_SERVICES[f"{__name__}.{look.__qualname__}"]
