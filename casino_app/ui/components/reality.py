"""The reality-check dialog of the game screens (UK RTS 13B): time played and net result.

It opens when the server refused a stake because a reality check is waiting (or on a game
page's load while one waits) and cannot be dismissed: only continue, stop or see history
close it, and each of them records the acknowledgement on the server first.
"""

from __future__ import annotations

import reflex as rx

from casino_app.ui.components.common import error_callout
from casino_app.ui.i18n.text import tr
from casino_app.ui.state.rg.play import RealityState


def _figure(label: rx.Var, value: rx.Var, test_id: str, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="5", weight="bold", id=test_id, **props),
        spacing="0",
        align="start",
        min_width="0",
    )


def reality_dialog() -> rx.Component:
    """Put it once on every game page."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(
                rx.hstack(rx.icon("hourglass", size=20), rx.text(tr("reality.title")), align="center")
            ),
            rx.alert_dialog.description(
                tr("reality.paused"),
                size="2",
            ),
            rx.grid(
                _figure(tr("reality.time_played"), RealityState.played, "reality-played"),
                _figure(
                    tr("reality.net_result"),
                    RealityState.net,
                    "reality-net",
                    color=rx.cond(RealityState.net_loss, rx.color("red", 11), rx.color("gray", 12)),
                ),
                _figure(tr("reality.staked"), RealityState.staked, "reality-staked"),
                _figure(tr("reality.won"), RealityState.won, "reality-won"),
                columns="2",
                spacing="4",
                width="100%",
                margin_y="1em",
            ),
            rx.cond(
                RealityState.started != "",
                rx.text(tr("reality.started_at"), RealityState.started, size="1", color_scheme="gray"),
            ),
            error_callout(RealityState.error, "reality-error"),
            rx.flex(
                rx.button(
                    rx.icon("log_out", size=16),
                    tr("reality.stop_playing"),
                    on_click=RealityState.stop_playing,
                    variant="soft",
                    color_scheme="gray",
                    id="reality-stop",
                ),
                rx.button(
                    rx.icon("history", size=16),
                    tr("reality.see_history"),
                    on_click=RealityState.see_history,
                    variant="soft",
                    id="reality-history",
                ),
                rx.button(
                    tr("reality.continue_playing"), on_click=RealityState.keep_playing, id="reality-continue"
                ),
                spacing="3",
                justify="end",
                wrap="wrap",
                margin_top="1em",
            ),
            max_width="460px",
            id="reality-dialog",
        ),
        open=RealityState.showing,
    )


def play_session_line() -> rx.Component:
    """Time played and net result of the play session (RTS 13C), for a game screen without the
    casino session bar (the lotto ticket)."""
    return rx.cond(
        RealityState.started_iso != "",
        rx.hstack(
            rx.hstack(
                rx.icon("clock", size=15),
                rx.text(tr("reality.playing_for"), size="2", color_scheme="gray"),
                rx.el.span(
                    RealityState.played,
                    custom_attrs={"data-elapsed-since": RealityState.started_iso},
                    style={"font_variant_numeric": "tabular-nums", "font_weight": "700"},
                    id="play-elapsed",
                ),
                spacing="1",
                align="center",
            ),
            rx.hstack(
                rx.text(tr("reality.net_this_session"), size="2", color_scheme="gray"),
                rx.text(
                    RealityState.net,
                    weight="bold",
                    size="2",
                    color=rx.cond(RealityState.net_loss, rx.color("red", 11), rx.color("gray", 12)),
                    id="play-net",
                ),
                spacing="1",
                align="center",
            ),
            justify="between",
            wrap="wrap",
            width="100%",
            padding="0.5em 0.9em",
            border_radius="var(--radius-3)",
            background=rx.color("gray", 3),
        ),
    )
