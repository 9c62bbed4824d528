"""The permission matrix: only listed roles hold a permission; everything else is denied."""

from __future__ import annotations

import pytest

from casino_app.domain.errors import PermissionDenied
from casino_app.services import authz


@pytest.mark.parametrize("role", sorted(authz.OPERATOR_ROLES))
def test_every_operator_role_may_view_the_dashboard(role: str) -> None:
    assert authz.allowed(role, "ops.dashboard.view")


@pytest.mark.parametrize("role", ["player", None, "", "ADMIN", "root"])
def test_players_anonymous_and_unknown_roles_may_not_view_the_dashboard(
    role: str | None,
) -> None:
    assert not authz.allowed(role, "ops.dashboard.view")
    with pytest.raises(PermissionDenied):
        authz.require(role, "ops.dashboard.view")


def test_only_admin_may_run_a_draw_now() -> None:
    holders = {r for r in [*authz.OPERATOR_ROLES, "player"] if authz.allowed(r, "ops.draws.run_now")}
    assert holders == {"admin"}


def test_operators_may_not_play_or_use_a_wallet() -> None:
    for role in authz.OPERATOR_ROLES:
        assert not authz.allowed(role, "player.play")
        assert not authz.allowed(role, "player.wallet")
    assert authz.allowed("player", "player.play")
    assert authz.allowed("player", "player.wallet")


def test_unknown_permission_is_denied_to_everyone() -> None:
    assert not authz.allowed("admin", "ops.does.not.exist")
    with pytest.raises(PermissionDenied):
        authz.require("admin", "ops.does.not.exist")


def test_require_passes_silently_when_allowed() -> None:
    authz.require("admin", "ops.draws.run_now")
    authz.require("player", "player.play")
