"""Back office: a player's responsible-gaming record; impose a limit, a time-out or an exclusion."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.rg import card, choice, history_line, labelled, limit_line
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.rg import TERM_CHOICES, TIMEOUT_CHOICES, OpsRgPlayerState
from casino_app.ui.state.rg.rows import KIND_CHOICES, PERIOD_CHOICES

S = OpsRgPlayerState


def lookup() -> rx.Component:
    return rx.hstack(
        rx.input(
            value=S.lookup,
            on_change=S.set_lookup,
            placeholder="player@example.com",
            id="rg-lookup",
            size="3",
            flex="1",
            min_width="14em",
        ),
        rx.button("Find", on_click=S.find, size="3", id="rg-find"),
        width="100%",
        wrap="wrap",
    )


def summary() -> rx.Component:
    return card(
        "Now",
        "user_round",
        rx.text(S.email, " · player #", S.player_id, " · ", S.profile_name, size="2", id="rg-player"),
        rx.cond(
            S.block_text != "",
            rx.callout(S.block_text, icon="shield_off", color_scheme="amber", width="100%", id="rg-block"),
        ),
        rx.text("Session time limit: ", rx.text.strong(S.session_limit), size="2"),
        rx.text("Reality checks: ", rx.text.strong(S.reality_text), size="2"),
        rx.cond(
            S.limits.length() > 0,
            rx.vstack(rx.foreach(S.limits, lambda r: limit_line(r)), spacing="0", width="100%"),
            rx.text("No money limits.", size="2", color_scheme="gray"),
        ),
        rx.cond(
            S.pending.length() > 0,
            rx.vstack(
                rx.text("Waiting for the player's confirmation:", size="2", weight="medium"),
                rx.foreach(S.pending, lambda p: rx.text(p.change, " (from ", p.effective_at, ")", size="2")),
                width="100%",
            ),
        ),
        test_id="rg-summary",
    )


def impose_card() -> rx.Component:
    return card(
        "Act with a reason",
        "gavel",
        rx.text(
            "An imposed limit stands beside the player's own; the lowest applies. You can only make it "
            "stricter: the player's own limits are never raised here.",
            size="1",
            color_scheme="gray",
        ),
        labelled(
            "Reason (required, kept in the audit log and the player's history)",
            rx.input(value=S.reason, on_change=S.set_reason, id="impose-reason", size="3", width="100%"),
            "impose-reason",
        ),
        rx.grid(
            choice("Limit", "impose-kind", S.kind, S.set_kind, KIND_CHOICES),
            choice("Per", "impose-period", S.period, S.set_period, PERIOD_CHOICES),
            columns="2",
            spacing="3",
            width="100%",
        ),
        labelled(
            "Amount",
            rx.input(value=S.amount, on_change=S.set_amount, id="impose-amount", size="3", width="100%"),
            "impose-amount",
        ),
        rx.hstack(
            rx.button("Impose limit", on_click=S.impose_limit, id="impose-limit"),
            rx.button("Lift imposed limit", on_click=S.lift_limit, variant="outline", id="lift-limit"),
            spacing="2",
            wrap="wrap",
        ),
        rx.divider(),
        choice("Time-out", "impose-timeout", S.timeout_hours, S.set_timeout_hours, TIMEOUT_CHOICES),
        rx.button("Impose time-out", on_click=S.impose_time_out, variant="soft", color_scheme="amber"),
        choice("Exclusion", "impose-term", S.term, S.set_term, TERM_CHOICES),
        rx.button("Close for gambling", on_click=S.impose_exclusion, variant="soft", color_scheme="red"),
        test_id="rg-impose",
    )


def cases_card() -> rx.Component:
    return card(
        "Cases",
        "folder_open",
        rx.cond(
            S.cases.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.cases,
                    lambda c: rx.link(
                        "Case #",
                        c.id,
                        " · ",
                        c.status,
                        " · ",
                        c.opened_at,
                        href=f"{routes.OPS_RG_CASES}?case=" + c.id,
                    ),
                ),
                spacing="1",
            ),
            rx.text("No cases.", size="2", color_scheme="gray"),
        ),
    )


@operator_page(route=routes.OPS_RG_PLAYER, title="Player RG record", permission="ops.rg.view", on_load=S.load)
def rg_player_page() -> rx.Component:
    return rx.vstack(
        rx.heading("A player's responsible gaming", size="6"),
        lookup(),
        error_callout(S.error, "ops-rg-player-error"),
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.grid(
                    summary(),
                    impose_card(),
                    columns=rx.breakpoints(initial="1", lg="2"),
                    spacing="4",
                    width="100%",
                ),
                cases_card(),
                card(
                    "History",
                    "history",
                    rx.vstack(rx.foreach(S.history, history_line), spacing="0", width="100%"),
                    test_id="ops-rg-history",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )
