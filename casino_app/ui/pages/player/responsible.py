"""Responsible gaming: limits with what is used and left, waiting raises, session time and reality
checks, a time-out, self-exclusion, the history and the decisions on the player's cases."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import SPACE, empty_state, field_label, page_header
from casino_app.ui.components.rg import (
    card,
    choice,
    helpline_list,
    history_line,
    labelled,
    limit_line,
    pending_line,
)
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.rg.page import CONFIRM_WORD, ResponsibleState
from casino_app.ui.state.rg.rows import KIND_VALUES, PERIOD_VALUES

S = ResponsibleState


def _kinds() -> list[list]:
    return [[k, tr(f"rg.kind_{k}")] for k in KIND_VALUES]


def _periods() -> list[list]:
    return [[p, tr(f"rg.period_{p}")] for p in PERIOD_VALUES]


def review_prompt() -> rx.Component:
    return rx.cond(
        S.review_due,
        rx.callout.root(
            rx.callout.icon(rx.icon("calendar_check")),
            rx.vstack(
                rx.callout.text(
                    tr("rg.review_prompt"),
                    weight="medium",
                ),
                rx.hstack(
                    rx.button(tr("rg.keep_my_limits"), on_click=S.keep_limits, size="2", id="keep-limits"),
                    rx.link(rx.button(tr("rg.change_them"), variant="soft", size="2"), href="#limits"),
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
            tr("rg.remove"),
            on_click=S.remove_limit(row.key),
            size="1",
            variant="ghost",
            color_scheme="gray",
            class_name="remove-limit",
        ),
    )


def limits_card() -> rx.Component:
    return card(
        tr("rg.your_limits"),
        "gauge",
        rx.cond(
            S.limits.length() > 0,
            rx.vstack(rx.foreach(S.limits, lambda r: limit_line(r, _remove(r))), spacing="0", width="100%"),
            empty_state("gauge", tr("rg.no_limits")),
        ),
        rx.heading(tr("rg.set_a_limit"), size="3", margin_top="0.5em", as_="h3"),
        rx.grid(
            choice(tr("rg.kind"), "limit-kind", S.limit_kind, S.set_limit_kind, _kinds()),
            choice(tr("rg.per"), "limit-period", S.limit_period, S.set_limit_period, _periods()),
            columns="2",
            spacing="3",
            width="100%",
        ),
        labelled(
            tr("rg.amount"),
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
        rx.button(tr("rg.save_limit"), on_click=S.save_limit, size="3", width="100%", id="save-limit"),
        rx.text(
            tr("rg.limits_note_pre"),
            S.cooling_off,
            tr("rg.limits_note_post"),
            size="1",
            color_scheme="gray",
        ),
        test_id="limits",
    )


def pending_card() -> rx.Component:
    return rx.cond(
        S.pending.length() > 0,
        card(
            tr("rg.waiting_changes"),
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
                tr("rg.waiting_note"),
                size="1",
                color_scheme="gray",
            ),
            test_id="pending",
        ),
    )


def play_time_card() -> rx.Component:
    return card(
        tr("rg.play_time"),
        "hourglass",
        rx.cond(
            S.session_limit != "",
            rx.text(tr("rg.session_limit_in_force"), rx.text.strong(S.session_limit), size="2"),
        ),
        choice(
            tr("rg.session_time_limit"),
            "session-limit",
            S.own_session_limit,
            S.set_own_session_limit,
            S.session_options,
        ),
        rx.button(
            tr("rg.save_session_limit"),
            on_click=S.save_session_limit,
            variant="soft",
            id="save-session-limit",
        ),
        rx.text(tr("rg.reality_now"), rx.text.strong(S.reality_text, id="reality-now"), size="2"),
        choice(
            tr("rg.remind_me"),
            "reality-interval",
            S.reality_choice,
            S.set_reality_choice,
            S.reality_options,
        ),
        rx.button(tr("rg.save_reminders"), on_click=S.save_reality, variant="soft", id="save-reality"),
        rx.text(
            tr("rg.reality_note"),
            size="1",
            color_scheme="gray",
        ),
        test_id="play-time",
    )


def _confirm_dialog(
    trigger: rx.Component, title: rx.Var, body: rx.Component, action: rx.Component, open_: rx.Var, on_open
) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            body,
            error_callout(S.block_error, "block-error"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(tr("rg.not_now"), variant="soft", color_scheme="gray")),
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
        tr("rg.break_body"),
        size="2",
    )
    return card(
        tr("rg.take_a_break"),
        "coffee",
        rx.text(tr("rg.break_range"), size="2", color_scheme="gray"),
        choice(
            tr("rg.how_long"), "timeout-length", S.timeout_choice, S.set_timeout_choice, S.timeout_options
        ),
        _confirm_dialog(
            rx.button(
                tr("rg.take_a_break_button"),
                variant="soft",
                color_scheme="amber",
                width="100%",
                id="take-timeout",
            ),
            tr("rg.take_a_break_now"),
            body,
            rx.button(
                tr("rg.start_my_break"), color_scheme="amber", on_click=S.take_time_out, id="confirm-timeout"
            ),
            S.timeout_open,
            S.set_timeout_open,
        ),
        test_id="timeout",
    )


def exclusion_card() -> rx.Component:
    body = rx.vstack(
        rx.alert_dialog.description(
            tr("rg.exclusion_body"),
            size="2",
        ),
        field_label(
            tr("rg.type_pre"),
            rx.code(CONFIRM_WORD),
            tr("rg.type_post"),
            size="2",
            html_for="exclude-confirm",
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
        tr("rg.self_exclusion"),
        "shield_off",
        rx.text(
            tr("rg.exclusion_range"),
            size="2",
            color_scheme="gray",
        ),
        choice(
            tr("rg.for_how_long"),
            "exclusion-term",
            S.exclusion_choice,
            S.set_exclusion_choice,
            S.exclusion_terms,
        ),
        _confirm_dialog(
            rx.button(
                tr("rg.exclude_myself"), color_scheme="red", variant="soft", width="100%", id="self-exclude"
            ),
            tr("rg.exclude_yourself"),
            body,
            rx.button(
                tr("rg.exclude_me"),
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
        rx.text(tr("rg.why_we_looked"), d.reasons, size="2"),
        rx.text(tr("rg.our_decision_pre"), d.decided_at, tr("rg.our_decision_post"), d.reason, size="2"),
        rx.cond(
            d.appeal != "",
            rx.text(tr("rg.your_appeal"), d.appeal, size="2", color_scheme="gray"),
            rx.cond(
                d.may_appeal,
                rx.vstack(
                    rx.text_area(
                        value=S.appeal_text,
                        on_change=S.set_appeal_text,
                        placeholder=tr("rg.tell_us_why"),
                        width="100%",
                        class_name="appeal-text",
                    ),
                    rx.button(
                        tr("rg.appeal"),
                        on_click=S.appeal(d.id),
                        size="2",
                        variant="soft",
                        class_name="appeal",
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
            tr("rg.decisions"),
            "scale",
            rx.vstack(rx.foreach(S.decisions, decision_line), spacing="0", width="100%"),
            test_id="decisions",
        ),
    )


def history_card() -> rx.Component:
    return card(
        tr("rg.history"),
        "history",
        rx.cond(
            S.history.length() > 0,
            rx.vstack(rx.foreach(S.history, history_line), spacing="0", width="100%"),
            empty_state("history", tr("rg.nothing_yet")),
        ),
        test_id="rg-history",
    )


@player_page(route=routes.RESPONSIBLE, title="Responsible gaming", on_load=ResponsibleState.load)
def responsible_page() -> rx.Component:
    return rx.vstack(
        page_header(tr("rg.title")),
        rx.text(tr("rg.intro_pre"), S.profile_name, tr("rg.intro_post"), size="2", color_scheme="gray"),
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
        card(tr("rg.need_to_talk"), "life_buoy", helpline_list(S.helplines), test_id="help"),
        spacing=SPACE["loose"],
        width="100%",
    )
