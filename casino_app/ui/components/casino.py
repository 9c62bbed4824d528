"""Pieces the casino pages share: the provably-fair panel, the session bar, the recent rounds."""

from __future__ import annotations

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import status_badge
from casino_app.ui.components.design import SPACE, empty_state, field_label, money, page_header
from casino_app.ui.components.reality import reality_dialog
from casino_app.ui.i18n.text import tr
from casino_app.ui.state.games.casino import CasinoLobbyState, CasinoState, RoundRow

CASINO_CSS = """
@keyframes reel-land-a { 0% { transform: translateY(-70%); filter: blur(3px); opacity: .2 }
  70% { transform: translateY(6%); filter: blur(0) } 100% { transform: none; opacity: 1 } }
@keyframes reel-land-b { 0% { transform: translateY(-70%); filter: blur(3px); opacity: .2 }
  70% { transform: translateY(6%); filter: blur(0) } 100% { transform: none; opacity: 1 } }
.reels-a .reel { animation: reel-land-a .55s cubic-bezier(.2,.8,.3,1) both }
.reels-b .reel { animation: reel-land-b .55s cubic-bezier(.2,.8,.3,1) both }
.reel:nth-child(2) { animation-delay: .12s !important }
.reel:nth-child(3) { animation-delay: .24s !important }
.reel:nth-child(4) { animation-delay: .36s !important }
.reel:nth-child(5) { animation-delay: .48s !important }
@keyframes pop-a { from { transform: scale(.6); opacity: 0 } to { transform: none; opacity: 1 } }
@keyframes pop-b { from { transform: scale(.6); opacity: 0 } to { transform: none; opacity: 1 } }
.pop-a { animation: pop-a .35s ease-out both } .pop-b { animation: pop-b .35s ease-out both }
.pf-out p { margin: 0 0 .4em; font-weight: 600 }
.pf-out ul { margin: 0; padding-left: 1.1em; font-size: .85em }
.pf-out li { margin: .15em 0; word-break: break-all }
.pf-ok { color: var(--grass-11) } .pf-bad { color: var(--red-11) }
.mono-wrap { font-family: var(--code-font-family, monospace); word-break: break-all; font-size: .8em }
@media (prefers-reduced-motion: reduce) { .reel, .pop-a, .pop-b { animation: none !important } }
"""


def casino_style() -> rx.Component:
    return rx.el.style(CASINO_CSS)


def rules_holder() -> rx.Component:
    """The rules of the game versions on the page, for the browser verifier (hidden)."""
    return rx.el.div(id="pf-rules", custom_attrs={"data-rules": CasinoState.rules_json}, display="none")


def session_bar() -> rx.Component:
    """Time played and net result in this session (RTS 13C): always in view while playing."""
    return rx.hstack(
        rx.hstack(
            rx.icon("clock", size=15),
            rx.text(tr("casino.playing_for"), size="2", color_scheme="gray"),
            rx.el.span(
                "0:00",
                custom_attrs={"data-elapsed-since": CasinoState.session_since},
                style={"font_variant_numeric": "tabular-nums", "font_weight": "700"},
                id="session-elapsed",
            ),
            spacing="1",
            align="center",
        ),
        rx.hstack(
            rx.text(tr("casino.net_this_session"), size="2", color_scheme="gray"),
            rx.text(
                CasinoState.session_net,
                weight="bold",
                size="2",
                color=rx.cond(
                    CasinoState.session_loss,
                    rx.color("red", 11),
                    rx.cond(CasinoState.session_gain, rx.color("grass", 11), rx.color("gray", 12)),
                ),
                id="session-net",
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
        id="session-bar",
    )


def fair_panel() -> rx.Component:
    """The provably-fair panel: the commitment before any bet, the client seed, the nonce, rotation."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("shield_check", color=rx.color("grass", 10), size=18),
                rx.heading(tr("casino.provably_fair"), size="3"),
                rx.spacer(),
                rx.link(tr("casino.how_it_works"), href=routes.FAIRNESS, size="2"),
                width="100%",
                align="center",
            ),
            rx.text(tr("casino.seed_hash_committed"), size="1", color_scheme="gray"),
            rx.el.div(CasinoState.commitment, class_name="mono-wrap", id="pf-commitment-shown"),
            rx.hstack(
                rx.vstack(
                    rx.text(tr("casino.client_seed"), size="1", color_scheme="gray"),
                    rx.code(CasinoState.client_seed, id="pf-client-seed-shown", size="1"),
                    spacing="0",
                    min_width="0",
                ),
                rx.spacer(),
                rx.vstack(
                    rx.text(tr("casino.next_nonce"), size="1", color_scheme="gray"),
                    rx.text(CasinoState.nonce, weight="bold", id="pf-nonce-shown"),
                    spacing="0",
                    align="end",
                ),
                width="100%",
            ),
            field_label(
                tr("casino.rotate_hint"),
                size="1",
                color_scheme="gray",
                html_for="seed-input",
            ),
            rx.hstack(
                rx.input(
                    value=CasinoState.seed_input,
                    on_change=CasinoState.set_seed_input,
                    placeholder=tr("casino.keep_current"),
                    id="seed-input",
                    max_length=64,
                    flex="1",
                    min_width="0",
                ),
                rx.button(
                    rx.icon("refresh_cw", size=15),
                    tr("casino.rotate"),
                    on_click=CasinoState.rotate,
                    disabled=CasinoState.open_round,
                    variant="soft",
                    id="rotate-seed",
                ),
                width="100%",
            ),
            rx.cond(
                CasinoState.open_round,
                rx.text(tr("casino.finish_open_round"), size="1", color_scheme="amber"),
            ),
            rx.cond(
                CasinoState.seed_error != "",
                rx.text(
                    CasinoState.seed_error, size="1", color=rx.color("red", 11), id="seed-error", role="alert"
                ),
            ),
            rx.cond(CasinoState.has_revealed, revealed_note()),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="fair-panel",
    )


def revealed_note() -> rx.Component:
    r = CasinoState.last_revealed
    return rx.vstack(
        rx.text(r.title, size="1", color_scheme="gray"),
        rx.el.div(r.server_seed, class_name="mono-wrap", id="pf-revealed-seed"),
        rx.text(
            tr("casino.revealed_hash_is"),
            rx.el.span(r.commitment, class_name="mono-wrap"),
            size="1",
        ),
        spacing="1",
        width="100%",
        padding="0.6em",
        border_radius="var(--radius-2)",
        background=rx.color("grass", 3),
    )


def _detail(label: rx.Var, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="1", color_scheme="gray", min_width="7.5em"),
        rx.el.span(value, class_name="mono-wrap"),
        align="start",
        width="100%",
    )


def round_item(row: RoundRow) -> rx.Component:
    """One recalled round: game, outcome, stake, win, balances, and its verification data."""
    return rx.vstack(
        rx.hstack(
            rx.text(row.game_name, weight="medium"),
            rx.cond(
                row.badge == "return",
                rx.badge(tr("casino.badge_return"), color_scheme="gray", variant="soft", size="2"),
                status_badge(row.badge),
            ),
            rx.spacer(),
            money(rx.cond(row.gained, "+" + row.win, row.win), gain=row.gained),
            width="100%",
            align="center",
        ),
        rx.text(row.result, size="2"),
        rx.text(row.detail, size="1", color_scheme="gray"),
        rx.el.details(
            rx.el.summary(tr("casino.verification_data"), style={"cursor": "pointer", "font_size": "0.85em"}),
            rx.vstack(
                _detail(tr("casino.receipt"), row.bet_id),
                _detail(tr("casino.seed_hash"), row.commitment),
                _detail(tr("casino.client_seed"), row.client_seed),
                _detail(tr("casino.nonce"), row.nonce),
                _detail(
                    tr("casino.server_seed"),
                    rx.cond(row.server_seed != "", row.server_seed, tr("casino.revealed_when_rotate")),
                ),
                spacing="1",
                width="100%",
                padding_top="0.4em",
            ),
        ),
        rx.hstack(
            rx.button(
                rx.icon("badge_check", size=14),
                rx.cond(row.verifiable, tr("casino.verify_in_browser"), tr("casino.verify_after_rotation")),
                size="1",
                variant="soft",
                color_scheme="grass",
                disabled=~row.verifiable,
                custom_attrs={"data-verify": row.verify_json, "data-target": row.target},
                class_name="verify-round",
            ),
            rx.button(
                rx.icon("download", size=14),
                tr("casino.signed_receipt"),
                size="1",
                variant="soft",
                on_click=CasinoState.download_receipt(row.bet_id),
                class_name="download-receipt",
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.el.div(id=row.target, class_name="pf-out"),
        width="100%",
        spacing="1",
        padding_y="0.7em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="round-row",
        custom_attrs={"data-bet": row.bet_id},
    )


def rounds_card(title: rx.Var | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("casino.recent_rounds") if title is None else title, size="4", as_="h2"),
            rx.cond(
                CasinoState.rounds.length() > 0,
                rx.vstack(rx.foreach(CasinoState.rounds, round_item), width="100%", spacing="0"),
                empty_state("history", tr("casino.no_rounds"), tr("casino.no_rounds_hint")),
            ),
            width="100%",
        ),
        width="100%",
        id="recent-rounds",
    )


def info_line(icon: str, *children: rx.Component | rx.Var | str) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=15), rx.text(*children, size="2"), spacing="2", align="center")


def _game_card(game: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon(game.icon, color=rx.color("amber", 9), size=26),
                    rx.heading(game.name, size="4"),
                    align="center",
                    spacing="2",
                ),
                rx.text(game.blurb, size="2", color_scheme="gray"),
                rx.hstack(
                    rx.badge(tr("casino.rtp"), " ", game.rtp, color_scheme="grass", variant="soft"),
                    rx.text(game.stakes, size="1", color_scheme="gray"),
                    align="center",
                    wrap="wrap",
                ),
                spacing="2",
                height="100%",
            ),
            width="100%",
            height="100%",
        ),
        href=game.route,
        underline="none",
        color="inherit",
        class_name="casino-game",
        width="100%",
    )


def casino_section() -> rx.Component:
    """The lobby's casino games, each with its RTP and stakes."""
    return rx.vstack(
        rx.hstack(
            rx.heading(tr("casino.casino"), size="6"),
            rx.spacer(),
            rx.link(
                rx.hstack(rx.icon("shield_check", size=15), tr("casino.provably_fair"), spacing="1"),
                href=routes.FAIRNESS,
                size="2",
            ),
            width="100%",
            align="center",
        ),
        rx.grid(
            rx.foreach(CasinoLobbyState.casino_games, _game_card),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
        id="casino-section",
    )


def game_screen(title: rx.Var, rtp: rx.Var, *body: rx.Component) -> rx.Component:
    """Every casino game's page: the reality-check dialog, the title with its RTP, the session's
    time and net position, the game (`body`) and the recent rounds."""
    return rx.vstack(
        casino_style(),
        reality_dialog(),
        rules_holder(),
        page_header(
            title, "", rx.badge(tr("casino.rtp"), " ", rtp, color_scheme="grass", variant="soft", size="2")
        ),
        session_bar(),
        *body,
        rounds_card(),
        spacing=SPACE["loose"],
        width="100%",
    )


def play_beside(play: rx.Component, rules: rx.Component) -> rx.Component:
    """The game's controls in a card, its rules and the provably-fair panel beside them."""
    return rx.grid(
        rx.card(play, width="100%"),
        rx.vstack(rules, fair_panel(), width="100%", spacing="4"),
        columns=rx.breakpoints(initial="1", md="3fr 2fr"),
        spacing="4",
        width="100%",
    )
