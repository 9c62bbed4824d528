"""Money buttons carry the moment they were pressed, so a press is never applied long after.

While the event websocket is down the frontend queues events and replays them on reconnect.
Each money button sends the server-clock time of the press (`assets/pwa.js` learns the
device's offset from `GET /api/session/csrf`); a handler refuses a press older than
`PRESS_WINDOW` and tells the player, who can press again knowing the current state.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import reflex as rx

PRESS_WINDOW = timedelta(seconds=10)
# The press time, evaluated in the browser when the button is pressed (not when the event is sent).
PRESSED_AT = rx.Var(_js_expr="(window.kasynoClock ? window.kasynoClock.now() : Date.now())", _var_type=int)


def pressed_too_long_ago(pressed_at_ms: float | int | None, now: datetime) -> bool:
    """Whether a press stamped `pressed_at_ms` (ms since 1970) is too old to apply at `now`.

    None (a caller that sends no stamp, such as a handler test) is not refused.
    """
    if pressed_at_ms is None:
        return False
    try:
        age_ms = now.timestamp() * 1000 - float(pressed_at_ms)
    except (TypeError, ValueError):
        return True
    return age_ms > PRESS_WINDOW.total_seconds() * 1000
