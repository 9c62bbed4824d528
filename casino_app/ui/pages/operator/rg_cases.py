"""Back office: safer gambling cases opened by markers of harm: assign, note, decide; the trail."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.rg import choice, labelled
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.rg import OUTCOME_CHOICES, STATUS_CHOICES, OpsRgCasesState

S = OpsRgCasesState


def case_line(c: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(
                rx.text("Case #", c.id, weight="medium"),
                rx.badge(c.status, variant="soft"),
                rx.text(c.currency, size="1", color_scheme="gray"),
                spacing="2",
                align="center",
            ),
            rx.text(rx.foreach(c.markers, lambda m: rx.text.span(m, " ")), size="1", color_scheme="gray"),
            rx.text("Opened ", c.opened_at, " · player #", c.player_id, size="1", color_scheme="gray"),
            spacing="1",
            align="start",
            min_width="0",
        ),
        rx.spacer(),
        rx.button("Open", on_click=S.select_case(c.id), size="2", variant="soft", class_name="open-case"),
        width="100%",
        align="center",
        padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="rg-case",
    )


def trail_line(e: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(e.kind, variant="outline", flex_shrink="0"),
        rx.vstack(
            rx.text(e.text, size="2"),
            rx.text(e.at, " · ", e.actor, size="1", color_scheme="gray"),
            spacing="0",
            align="start",
            min_width="0",
        ),
        width="100%",
        align="start",
        padding_y="0.4em",
        class_name="trail-row",
    )


def decision_form() -> rx.Component:
    return rx.vstack(
        rx.heading("Decide", size="3"),
        choice("Outcome", "case-outcome", S.outcome, S.set_outcome, OUTCOME_CHOICES),
        labelled(
            "Reason (the player reads it and may appeal)",
            rx.text_area(
                value=S.decision_reason, on_change=S.set_decision_reason, id="case-reason", width="100%"
            ),
            "case-reason",
        ),
        rx.button("Record decision", on_click=S.decide, id="decide-case"),
        rx.text(
            "Limits, a time-out or an exclusion are set on the player's RG page, with their own reason.",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
    )


def detail() -> rx.Component:
    c = S.selected
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Case #", c.id, size="4"),
                rx.badge(c.status),
                rx.spacer(),
                rx.link("Player's RG record →", href=c.player_link, size="2", id="case-player-link"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.text("Why it opened:", size="2", weight="medium"),
            rx.vstack(rx.foreach(c.markers, lambda m: rx.text("• ", m, size="2")), spacing="1"),
            rx.cond(c.assigned_to != "", rx.text("Assigned to ", c.assigned_to, size="2")),
            rx.cond(
                c.outcome != "",
                rx.callout(c.outcome + ": " + c.decision_reason, icon="scale", width="100%"),
            ),
            rx.cond(
                c.appeal != "", rx.callout("Appeal: " + c.appeal, icon="message_circle", color_scheme="amber")
            ),
            rx.cond(
                c.status != "decided",
                rx.button("Assign to me", on_click=S.assign_to_me, variant="soft", id="assign-case"),
            ),
            labelled(
                "Note for the trail",
                rx.text_area(value=S.note_text, on_change=S.set_note_text, id="case-note", width="100%"),
                "case-note",
            ),
            rx.button("Add note", on_click=S.add_note, variant="soft", id="add-note"),
            rx.cond(c.status != "decided", decision_form()),
            rx.heading("Trail", size="3"),
            rx.text("Every step stays: entries are never changed or removed.", size="1", color_scheme="gray"),
            rx.vstack(rx.foreach(c.trail, trail_line), spacing="0", width="100%", id="case-trail"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="case-detail",
    )


@operator_page(
    route=routes.OPS_RG_CASES, title="Safer gambling cases", permission="ops.rg.view", on_load=S.load
)
def rg_cases_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Safer gambling cases", size="6"),
        rx.text(
            "Markers of harm open a case with the reasons spelled out. Decisions stay with people: "
            "each is recorded with a reason the player can read and appeal.",
            size="2",
            color_scheme="gray",
        ),
        error_callout(S.error, "ops-rg-error"),
        rx.grid(
            rx.card(
                rx.vstack(
                    choice("Show", "case-filter", S.status_filter, S.set_status_filter, STATUS_CHOICES),
                    rx.cond(
                        S.cases.length() > 0,
                        rx.vstack(rx.foreach(S.cases, case_line), spacing="0", width="100%"),
                        rx.text("No cases here.", color_scheme="gray", id="no-cases"),
                    ),
                    spacing="3",
                    width="100%",
                ),
                width="100%",
            ),
            rx.cond(S.has_selected, detail(), rx.text("Open a case to see its trail.", color_scheme="gray")),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        rx.link("Look up a player's RG record →", href=routes.OPS_RG_PLAYER, size="2"),
        spacing="4",
        width="100%",
    )
