"""Who is acting: the one value every entry point builds and every service receives."""

from __future__ import annotations

from dataclasses import dataclass

from casino_app.domain.errors import PermissionDenied
from casino_app.domain.identity.vocabulary import OPERATOR_ROLES, Role

SYSTEM = "system"  # the role of scheduled jobs and the shell: never built from a request


@dataclass(frozen=True)
class Actor:
    """A signed-in person (with their session), a system job, or an anonymous caller.

    Entry points build it from what they validated (a browser session, an access token, the
    shell); services check it against the permission matrix (`services/authz.py`) and use
    `user_id` as the subject of self-service calls, so nobody can name another player.
    """

    user_id: int | None
    role: str | None
    session_id: int | None = None
    name: str = ""

    @classmethod
    def player(cls, user_id: int, session_id: int | None = None) -> Actor:
        return cls(user_id, Role.PLAYER, session_id)

    @classmethod
    def operator(cls, user_id: int, role: str, session_id: int | None = None) -> Actor:
        return cls(user_id, role, session_id)

    @classmethod
    def system(cls, name: str = SYSTEM) -> Actor:
        return cls(None, SYSTEM, None, name)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(None, None)

    @property
    def audit_name(self) -> str:
        """How the audit log and the ledger name the actor ("player:12", "operator:3", "cli")."""
        if self.role == SYSTEM:
            return self.name or SYSTEM
        if self.user_id is None or self.role is None:
            return "anonymous"
        return f"{'player' if self.role == Role.PLAYER else 'operator'}:{self.user_id}"

    @property
    def is_player(self) -> bool:
        return self.role == Role.PLAYER and self.user_id is not None

    @property
    def is_operator(self) -> bool:
        return self.role in OPERATOR_ROLES and self.user_id is not None

    def player_id(self) -> int:
        """The acting player's id (for self-service calls); anyone else is refused."""
        if not self.is_player:
            raise PermissionDenied("Only a signed-in player can do that.")
        assert self.user_id is not None
        return self.user_id

    def person_id(self) -> int:
        """The acting person's id, player or operator (their own account pages)."""
        if self.user_id is None or self.role in (None, SYSTEM):
            raise PermissionDenied("Please sign in.")
        return self.user_id
