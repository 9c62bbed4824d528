"""Pieces of the sign-in and security screens: form fields, code entry, QR enrollment, recovery codes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from casino_app.ui.components.design import field_label
from casino_app.ui.i18n.text import tr

Label = rx.Var | rx.Component | str


def form_field(label: Label, name: str, *, hint: rx.Var | str = "", **props: Any) -> rx.Component:
    """A labelled input; `name` is also its id (the tests and the label use it)."""
    field_id = props.pop("id", name)
    parts = [
        field_label(label, size="2", weight="medium", html_for=field_id),
        rx.input(name=name, id=field_id, size="3", width="100%", **props),
    ]
    if isinstance(hint, rx.Var) or hint:
        parts.append(rx.text(hint, size="1", color_scheme="gray"))
    return rx.vstack(*parts, spacing="1", width="100%")


def code_field(
    name: str = "code", *, allow_recovery: bool = True, field_id: str = "", focus: bool = False
) -> rx.Component:
    """The one-time code input: digits keyboard on phones, the browser's one-time-code autofill."""
    hint = tr("security.recovery_hint") if allow_recovery else ""
    return form_field(
        tr("security.code_label"),
        name,
        id=field_id or name,
        hint=hint,
        placeholder="123 456",
        auto_complete="one-time-code",
        input_mode="text" if allow_recovery else "numeric",
        max_length=16,
        required=True,
        auto_focus=focus,
    )


def notice_callout(text: rx.Var, test_id: str = "form-notice") -> rx.Component:
    return rx.cond(
        text != "",
        rx.callout(text, icon="info", color_scheme="blue", id=test_id, width="100%"),
    )


def qr_enrollment(qr: rx.Var, secret: rx.Var) -> rx.Component:
    """Scan the QR code (rendered on the server as SVG) or type the secret."""
    return rx.vstack(
        rx.text(tr("security.scan_qr"), size="2"),
        rx.center(
            rx.image(
                src=qr,
                alt=tr("security.qr_alt"),
                width="200px",
                height="200px",
                id="totp-qr",
                border_radius="8px",
            ),
            width="100%",
            padding="0.5em",
        ),
        rx.text(tr("security.cant_scan"), size="2", color_scheme="gray"),
        rx.code(
            secret,
            id="totp-secret",
            size="3",
            word_break="break-all",
            width="100%",
            padding="0.5em",
            text_align="center",
            letter_spacing="0.08em",
        ),
        rx.text(tr("security.enter_code"), size="2"),
        spacing="2",
        width="100%",
    )


def recovery_codes_panel(codes: rx.Var, on_done: Any, *, done_label: Label | None = None) -> rx.Component:
    """The recovery codes, shown once, and a button to confirm they are saved."""
    return rx.vstack(
        rx.callout(
            tr("security.save_codes"),
            icon="key_round",
            color_scheme="amber",
            width="100%",
        ),
        rx.grid(
            rx.foreach(
                codes,
                lambda code: rx.code(
                    code, size="3", text_align="center", padding="0.35em", class_name="recovery-code"
                ),
            ),
            columns="2",
            spacing="2",
            width="100%",
            id="recovery-codes",
        ),
        rx.button(
            tr("security.codes_saved") if done_label is None else done_label,
            on_click=on_done,
            size="3",
            width="100%",
            id="codes-saved",
        ),
        spacing="3",
        width="100%",
    )


def section_card(title: Label, icon: str, *children: rx.Component, test_id: str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=20, color=rx.color("amber", 10)),
                rx.heading(title, size="4"),
                align="center",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=test_id or None,
    )


def detail_row(label: Label, value: rx.Var | str, *, test_id: str = "") -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray", min_width="9em"),
        rx.text(value, size="2", weight="medium", id=test_id or None, word_break="break-word", min_width="0"),
        spacing="3",
        width="100%",
        align="start",
    )
