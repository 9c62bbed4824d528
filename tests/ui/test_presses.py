"""A money button's press is applied only soon after it was made (never after a late replay)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casino_app.ui.state.session.presses import PRESS_WINDOW, pressed_too_long_ago

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _ms(at: datetime) -> float:
    return at.timestamp() * 1000


def test_a_press_within_the_window_is_applied_and_an_older_one_is_refused() -> None:
    assert not pressed_too_long_ago(_ms(NOW - PRESS_WINDOW + timedelta(seconds=1)), NOW)
    assert pressed_too_long_ago(_ms(NOW - PRESS_WINDOW - timedelta(seconds=1)), NOW)


def test_a_press_stamped_slightly_ahead_of_the_server_clock_is_applied() -> None:
    assert not pressed_too_long_ago(_ms(NOW + timedelta(seconds=2)), NOW)


def test_a_garbled_stamp_is_refused_and_no_stamp_is_not_checked() -> None:
    assert pressed_too_long_ago("soon", NOW)  # type: ignore[arg-type]
    assert not pressed_too_long_ago(None, NOW)
