"""Dice: pick a target with the slider, roll under or over it."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from casino_app.ui import routes
from casino_app.ui.components.a11y import sr_only
from casino_app.ui.components.casino import (
    game_screen,
    play_beside,
)
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, field_label
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.casino import CasinoState
from casino_app.ui.state.games.dice import DiceState
from casino_app.ui.state.rg.play import RealityState
from casino_app.ui.state.session.presses import PRESSED_AT


def stat(label: rx.Var, value: rx.Var, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="4", weight="bold", id=test_id, style={"font_variant_numeric": "tabular-nums"}),
        spacing="0",
        align="center",
        flex="1",
    )


def result_display() -> rx.Component:
    return rx.vstack(
        rx.cond(
            DiceState.has_result,
            rx.vstack(
                rx.text(
                    DiceState.roll_text,
                    size="9",
                    weight="bold",
                    color=rx.cond(DiceState.won, rx.color("grass", 11), rx.color("gray", 11)),
                    class_name=rx.cond(DiceState.rolls % 2 == 0, "pop-a", "pop-b"),
                    id="dice-roll",
                    style={"font_variant_numeric": "tabular-nums", "line_height": "1"},
                ),
                rx.text(DiceState.result_line, size="3", weight="medium", id="dice-result"),
                align="center",
                spacing="1",
            ),
            rx.vstack(
                rx.text("—", size="9", weight="bold", color=rx.color("gray", 8), style={"line_height": "1"}),
                rx.text(tr("dice.set_target_and_roll"), size=TYPE["body"], color=COLOUR["muted"]),
                align="center",
                spacing="1",
            ),
        ),
        rx.box(
            rx.cond(
                DiceState.has_result,
                rx.box(
                    position="absolute",
                    top="-5px",
                    left=DiceState.roll_percent,
                    width="4px",
                    height="20px",
                    margin_left="-2px",
                    border_radius="2px",
                    background=rx.color("gray", 12),
                    id="dice-marker",
                ),
            ),
            position="relative",
            width="100%",
            height="10px",
            border_radius="5px",
            background=DiceState.win_zone,
        ),
        rx.hstack(
            rx.text(DiceState.range_low, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.text(DiceState.range_high, size="1", color_scheme="gray"),
            width="100%",
        ),
        align="center",
        width="100%",
        spacing="2",
        padding_y="0.5em",
    )


def panel() -> rx.Component:
    return rx.vstack(
        result_display(),
        rx.segmented_control.root(
            rx.segmented_control.item(tr("dice.roll_under"), value="under"),
            rx.segmented_control.item(tr("dice.roll_over"), value="over"),
            value=DiceState.direction,
            on_change=DiceState.set_direction,
            width="100%",
            size="3",
            id="dice-direction",
        ),
        rx.vstack(
            rx.hstack(
                field_label(tr("dice.target"), html_for="dice-slider"),
                rx.spacer(),
                rx.text(DiceState.target_text, size="4", weight="bold", id="dice-target"),
                width="100%",
                align="center",
            ),
            # A native range: its label, value and arrow keys reach assistive technology as they are.
            rx.el.input(
                type="range",
                value=DiceState.target,
                min=DiceState.min_target,
                max=DiceState.max_target,
                step=1,
                on_change=DiceState.set_target,
                id="dice-slider",
                custom_attrs={"aria-valuetext": DiceState.target_text},
                style={"width": "100%", "accent_color": rx.color("amber", 9), "height": "1.6em"},
            ),
            rx.text(DiceState.rule_text, size="2", color_scheme="gray", id="dice-rule"),
            width="100%",
            spacing="2",
        ),
        rx.hstack(
            stat(tr("dice.win_chance"), DiceState.chance_text, "dice-chance"),
            stat(tr("dice.multiplier"), DiceState.multiplier_text, "dice-multiplier"),
            stat(tr("dice.payout_on_win"), DiceState.payout_text, "dice-payout"),
            width="100%",
            padding="0.6em",
            border_radius="var(--radius-3)",
            background=rx.color("gray", 3),
        ),
        rx.hstack(
            rx.vstack(
                field_label(
                    DiceState.stake_label,
                    size="2",
                    weight="medium",
                    html_for="stake",
                ),
                rx.hstack(
                    rx.input(
                        value=DiceState.stake_text,
                        on_change=DiceState.set_stake_text,
                        id="stake",
                        input_mode="decimal",
                        size="3",
                        width="6.5em",
                    ),
                    rx.button(
                        "½",
                        sr_only(" ", tr("dice.halve")),
                        on_click=DiceState.half_stake,
                        variant="soft",
                        size="3",
                    ),
                    rx.button(
                        "×2",
                        sr_only(" ", tr("dice.double")),
                        on_click=DiceState.double_stake,
                        variant="soft",
                        size="3",
                    ),
                    spacing="1",
                ),
                spacing="1",
            ),
            rx.button(
                rx.icon("dices"),
                tr("dice.roll"),
                on_click=DiceState.roll(PRESSED_AT),
                size="4",
                id="roll",
                disabled=DiceState.busy | (CasinoState.commitment == "") | has_connection_errors,
                loading=DiceState.busy,
                flex_grow="1",
            ),
            align="end",
            width="100%",
            spacing="3",
            wrap="wrap",
        ),
        error_callout(DiceState.error, "dice-error"),
        spacing="4",
        width="100%",
    )


def rules_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("dice.rules"), size="3", as_="h2"),
            rx.text(tr("dice.rule_range"), size="2"),
            rx.text(tr("dice.rule_directions"), size="2"),
            rx.text(tr("dice.rule_payout"), size="2"),
            rx.text(
                tr("dice.rtp_pre"),
                rx.text.strong(DiceState.rtp),
                tr("dice.rtp_post"),
                size="2",
                id="dice-rtp",
            ),
            rx.text(DiceState.stake_range, size="1", color_scheme="gray"),
            spacing=SPACE["snug"],
        ),
        width="100%",
    )


@player_page(route=routes.DICE, title="Dice", on_load=[DiceState.load, RealityState.check])
def dice_page() -> rx.Component:
    return game_screen(tr("dice.title"), DiceState.rtp, play_beside(panel(), rules_card()))
