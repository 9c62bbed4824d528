"""The running app's wiring, as Reflex states reach it (they cannot be handed arguments).

Built on first use, in the worker process that needs it (after any fork), from the
environment; `install` replaces it, which is how the app module and tests hand one in.
"""

from __future__ import annotations

from casino_app.bootstrap import Wiring, build

_wiring: Wiring | None = None


def install(wiring: Wiring) -> Wiring:
    """Make `wiring` the one every handler uses."""
    global _wiring
    _wiring = wiring
    return wiring


def current() -> Wiring:
    """The installed wiring, built from the environment the first time it is needed."""
    return _wiring if _wiring is not None else install(build())
