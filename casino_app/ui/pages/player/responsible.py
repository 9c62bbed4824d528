"""Responsible gaming: limits with what is used and left, waiting raises, session time and reality
checks, a time-out, self-exclusion, the history and the decisions on the player's cases."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.rg import (
    card,
    choice,
    helpline_list,
    history_line,
    labelled,
    limit_line,
    pending_line,
)
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.responsible import CONFIRM_WORD, ResponsibleState
from casino_app.ui.state.rg_rows import KIND_CHOICES, PERIOD_CHOICES

S = ResponsibleState


def review_prompt() -> rx.Component:
    return rx.cond(
        S.review_due,
        rx.callout.root(
            rx.callout.icon(rx.icon("calendar_check")),
            rx.vstack(
                rx.callout.text(
                    "It is six months since you last looked at your limits. Are they still right for you?",
                    weight="medium",
                ),
                rx.hstack(
                    rx.button("Keep my limits", on_click=S.keep_limits, size="2", id="keep-limits"),
                    rx.link(rx.button("Change them", variant="soft", size="2"), href="#limits"),
                    spacing="2",
                ),
                spacing="2",
            ),
            color_scheme="amber",
            width="100%",
            id="review-prompt",
        ),
    )


def _remove(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.own != "",
        rx.button(
            "Remove",
            on_click=S.remove_limit(row.key),
            size="1",
            variant="ghost",
            color_scheme="gray",
            class_name="remove-limit",
        ),
    )


def limits_card() -> rx.Component:
    return card(
        "Your limits",
        "gauge",
        rx.cond(
            S.limits.length() > 0,
            rx.vstack(rx.foreach(S.limits, lambda r: limit_line(r, _remove(r))), spacing="0", width="100%"),
            rx.text("You have no deposit, loss or wager limits yet.", size="2", color_scheme="gray"),
        ),
        rx.heading("Set a limit", size="3", margin_top="0.5em"),
        rx.grid(
            choice("Kind", "limit-kind", S.limit_kind, S.set_limit_kind, KIND_CHOICES),
            choice("Per", "limit-period", S.limit_period, S.set_limit_period, PERIOD_CHOICES),
            columns="2",
            spacing="3",
            width="100%",
        ),
        labelled(
            "Amount",
            rx.input(
                value=S.limit_amount,
                on_change=S.set_limit_amount,
                id="limit-amount",
                input_mode="decimal",
                placeholder="50.00",
                size="3",
                width="100%",
            ),
            "limit-amount",
        ),
        rx.button("Save limit", on_click=S.save_limit, size="3", width="100%", id="save-limit"),
        rx.text(
            "A lower limit applies at once. A higher one, or removing one, waits ",
            S.cooling_off,
            " and then needs your confirmation. Loss = stakes minus wins; a deposit limit counts "
            "every deposit, whatever you withdraw.",
            size="1",
            color_scheme="gray",
        ),
        test_id="limits",
    )


def pending_card() -> rx.Component:
    return rx.cond(
        S.pending.length() > 0,
        card(
            "Waiting changes",
            "timer",
            rx.vstack(
                rx.foreach(
                    S.pending,
                    lambda p: pending_line(p, S.confirm_raise(p.id), S.cancel_raise(p.id)),
                ),
                spacing="0",
                width="100%",
            ),
            rx.text(
                "Your current limit stays in force until you confirm. An unconfirmed change lapses.",
                size="1",
                color_scheme="gray",
            ),
            test_id="pending",
        ),
    )


def play_time_card() -> rx.Component:
    return card(
        "Session time and reality checks",
        "hourglass",
        rx.cond(
            S.session_limit != "",
            rx.text("Session time limit in force: ", rx.text.strong(S.session_limit), size="2"),
        ),
        choice(
            "Session time limit",
            "session-limit",
            S.own_session_limit,
            S.set_own_session_limit,
            S.session_options,
        ),
        rx.button(
            "Save session limit", on_click=S.save_session_limit, variant="soft", id="save-session-limit"
        ),
        rx.text("Reality checks now: ", rx.text.strong(S.reality_text, id="reality-now"), size="2"),
        choice(
            "Remind me of my play",
            "reality-interval",
            S.reality_choice,
            S.set_reality_choice,
            S.reality_options,
        ),
        rx.button("Save reminders", on_click=S.save_reality, variant="soft", id="save-reality"),
        rx.text(
            "A reality check pauses play and shows how long you have played and your net result.",
            size="1",
            color_scheme="gray",
        ),
        test_id="play-time",
    )


def _confirm_dialog(
    trigger: rx.Component, title: str, body: rx.Component, action: rx.Component, open_: rx.Var, on_open
) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            body,
            error_callout(S.block_error, "block-error"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Not now", variant="soft", color_scheme="gray")),
                action,
                spacing="3",
                justify="end",
                margin_top="1em",
                wrap="wrap",
            ),
            max_width="460px",
        ),
        open=open_,
        on_open_change=on_open,
    )


def timeout_card() -> rx.Component:
    body = rx.alert_dialog.description(
        "Your break starts now and cannot be ended early. You will be signed out everywhere; "
        "sign-in, bets and deposits are refused until it ends. Pending withdrawals are still paid.",
        size="2",
    )
    return card(
        "Take a break",
        "coffee",
        rx.text("A time-out of 24 hours to 30 days.", size="2", color_scheme="gray"),
        choice("How long", "timeout-length", S.timeout_choice, S.set_timeout_choice, S.timeout_options),
        _confirm_dialog(
            rx.button("Take a break…", variant="soft", color_scheme="amber", width="100%", id="take-timeout"),
            "Take a break now?",
            body,
            rx.button("Start my break", color_scheme="amber", on_click=S.take_time_out, id="confirm-timeout"),
            S.timeout_open,
            S.set_timeout_open,
        ),
        test_id="timeout",
    )


def exclusion_card() -> rx.Component:
    body = rx.vstack(
        rx.alert_dialog.description(
            "This closes your account for gambling for the whole period, and it cannot be undone "
            "early. You will be signed out everywhere and we stop all marketing. Your balance and "
            "pending withdrawals are still paid out.",
            size="2",
        ),
        rx.text(
            "Type ", rx.code(CONFIRM_WORD), " to confirm.", size="2", as_="label", html_for="exclude-confirm"
        ),
        rx.input(
            value=S.exclusion_confirm,
            on_change=S.set_exclusion_confirm,
            id="exclude-confirm",
            auto_complete="off",
            size="3",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )
    return card(
        "Self-exclusion",
        "shield_off",
        rx.text(
            "Close your account for gambling for 6 months, 1 year, 5 years or for good.",
            size="2",
            color_scheme="gray",
        ),
        choice(
            "For how long", "exclusion-term", S.exclusion_choice, S.set_exclusion_choice, S.exclusion_terms
        ),
        _confirm_dialog(
            rx.button("Exclude myself…", color_scheme="red", variant="soft", width="100%", id="self-exclude"),
            "Exclude yourself from gambling?",
            body,
            rx.button(
                "Exclude me",
                color_scheme="red",
                on_click=S.self_exclude,
                disabled=~S.can_exclude,
                id="confirm-exclusion",
            ),
            S.exclusion_open,
            S.set_exclusion_open,
        ),
        test_id="exclusion",
    )


def decision_line(d: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(d.outcome, weight="medium"),
        rx.text("Why we looked: ", d.reasons, size="2"),
        rx.text("Our decision (", d.decided_at, "): ", d.reason, size="2"),
        rx.cond(
            d.appeal != "",
            rx.text("Your appeal: ", d.appeal, size="2", color_scheme="gray"),
            rx.cond(
                d.may_appeal,
                rx.vstack(
                    rx.text_area(
                        value=S.appeal_text,
                        on_change=S.set_appeal_text,
                        placeholder="Tell us why you disagree",
                        width="100%",
                        class_name="appeal-text",
                    ),
                    rx.button(
                        "Appeal", on_click=S.appeal(d.id), size="2", variant="soft", class_name="appeal"
                    ),
                    width="100%",
                    spacing="2",
                ),
            ),
        ),
        width="100%",
        spacing="2",
        padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="decision-row",
    )


def decisions_card() -> rx.Component:
    return rx.cond(
        S.decisions.length() > 0,
        card(
            "Decisions about your account",
            "scale",
            rx.vstack(rx.foreach(S.decisions, decision_line), spacing="0", width="100%"),
            test_id="decisions",
        ),
    )


def history_card() -> rx.Component:
    return card(
        "History",
        "history",
        rx.cond(
            S.history.length() > 0,
            rx.vstack(rx.foreach(S.history, history_line), spacing="0", width="100%"),
            rx.text("Nothing yet.", size="2", color_scheme="gray"),
        ),
        test_id="rg-history",
    )


@player_page(route=routes.RESPONSIBLE, title="Responsible gaming", on_load=ResponsibleState.load)
def responsible_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Responsible gaming", size="6"),
        rx.text(
            "Set limits, take a break or exclude yourself at any time. Rules of the ",
            S.profile_name,
            " licence apply.",
            size="2",
            color_scheme="gray",
        ),
        review_prompt(),
        error_callout(S.error, "rg-error"),
        rx.grid(
            rx.vstack(limits_card(), pending_card(), spacing="4", width="100%"),
            rx.vstack(play_time_card(), timeout_card(), exclusion_card(), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        decisions_card(),
        history_card(),
        card("If you need to talk to someone", "life_buoy", helpline_list(S.helplines), test_id="help"),
        spacing="4",
        width="100%",
    )
