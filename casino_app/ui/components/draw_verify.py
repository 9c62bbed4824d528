"""The draw verifier panel: the public values, a Verify button, and one row per check.

The button carries the verifier's document as JSON (`data-draw-verify`); assets/draw-verifier.js
reads it, lets the editable fields replace its values (so anyone can see a changed seed, root or
proof fail), runs the checks with the browser's Web Crypto and marks each row ok / failed /
skipped. Every word shown is from the catalogs (namespace `verify`): the script only sets
statuses and writes the computed values (hashes, numbers).
"""

from __future__ import annotations

import reflex as rx

from casino_app.ui.components.design import COLOUR, SPACE, TYPE, field_label
from casino_app.ui.i18n.text import tr

CHECKS = ("commitment", "numbers", "inclusion")
STATUSES = ("idle", "running", "ok", "failed", "skipped")
REASONS = ("malformed", "not_revealed", "other_draw")  # why a check had no value to compare
VERIFY_CSS = (
    """
.dv-result .dv-s, .dv-result .dv-sum, .dv-result .dv-value, .dv-result .dv-r { display: none; }
.dv-result [data-status=ok][data-reason=""] .dv-value,
.dv-result [data-status=failed][data-reason=""] .dv-value { display: block; }
"""
    + "".join(f".dv-result [data-reason={r}] .dv-r-{r} {{ display: block; }}\n" for r in REASONS)
    + "".join(f".dv-result [data-status={s}] .dv-s-{s} {{ display: inline; }}\n" for s in STATUSES)
    + "".join(
        f".dv-result[data-verified={s}] .dv-sum-{s} {{ display: block; }}\n"
        for s in ("idle", "running", "yes", "no")
    )
    + """
.dv-result [data-status=ok] .dv-mark { color: var(--grass-11); }
.dv-result [data-status=failed] .dv-mark { color: var(--tomato-11); }
.dv-mono { font-family: var(--code-font-family, monospace); font-size: 0.8em; overflow-wrap: anywhere; }
"""
)


def verify_style() -> rx.Component:
    return rx.el.style(VERIFY_CSS)


def field(label_key: str, name: str, value: rx.Var, *, multiline: bool = False) -> rx.Component:
    """One editable public value; the script reads it by `data-draw-field`."""
    field_id = f"dv-{name.replace('_', '-')}"
    props = {
        "id": field_id,
        "default_value": value,
        "custom_attrs": {"data-draw-field": name},
        "width": "100%",
    }
    box = rx.text_area(rows="3", class_name="dv-mono", **props) if multiline else rx.input(**props)
    return rx.vstack(
        field_label(tr(label_key), size=TYPE["fine"], weight="medium", html_for=field_id),
        box,
        spacing="1",
        width="100%",
    )


def _check_row(name: str) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.el.span(
                *[rx.el.span(tr(f"verify.status_{s}"), class_name=f"dv-s dv-s-{s}") for s in STATUSES],
                class_name="dv-mark",
                style={"font_weight": "700", "min_width": "6.5em"},
            ),
            rx.vstack(
                rx.text(tr(f"verify.check_{name}"), weight="medium", size=TYPE["small"]),
                rx.text(tr(f"verify.explain_{name}"), size=TYPE["fine"], color=COLOUR["muted"]),
                rx.el.div(
                    rx.el.span(tr(f"verify.value_{name}"), " "),
                    rx.el.span("", class_name="dv-mono", custom_attrs={"data-detail": ""}),
                    class_name="dv-value",
                    style={"font_size": "0.85em"},
                ),
                *[
                    rx.text(tr(f"verify.reason_{r}"), class_name=f"dv-r dv-r-{r}", size=TYPE["fine"])
                    for r in REASONS
                ],
                spacing="1",
            ),
            align="start",
            spacing=SPACE["normal"],
        ),
        custom_attrs={"data-check": name, "data-status": "idle", "data-reason": ""},
        class_name="dv-check",
        style={"list_style": "none", "padding": "0.5em 0", "border_bottom": f"1px solid {COLOUR['line']}"},
    )


def verify_panel(
    document: rx.Var,
    fields: list[rx.Component],
    key: rx.Var,
    checks: tuple[str, ...] = CHECKS,
    test_id: str = "draw-verify",
) -> rx.Component:
    """The public values (editable), the Verify button and the result of every check.

    `key` names the draw or ticket shown: the fields are built afresh (their values are the
    public data) whenever it changes.
    """
    result_id, fields_id = f"{test_id}-result", f"{test_id}-fields"
    return rx.card(
        rx.vstack(
            verify_style(),
            rx.heading(tr("verify.title"), size="4", as_="h2"),
            rx.text(tr("verify.intro"), size=TYPE["small"], color=COLOUR["muted"]),
            rx.vstack(*fields, id=fields_id, key=key, spacing=SPACE["snug"], width="100%"),
            rx.text(tr("verify.edit_hint"), size=TYPE["fine"], color=COLOUR["muted"]),
            rx.button(
                rx.icon("badge_check"),
                tr("verify.button"),
                id=f"{test_id}-button",
                type="button",
                size="3",
                custom_attrs={
                    "data-draw-verify": document,
                    "data-target": result_id,
                    "data-fields": fields_id,
                },
            ),
            rx.el.div(
                rx.text(tr("verify.summary_idle"), class_name="dv-sum dv-sum-idle", size=TYPE["small"]),
                rx.text(tr("verify.summary_running"), class_name="dv-sum dv-sum-running", size=TYPE["small"]),
                rx.callout(
                    tr("verify.summary_yes"),
                    icon="circle_check",
                    color_scheme="grass",
                    class_name="dv-sum dv-sum-yes",
                ),
                rx.callout(
                    tr("verify.summary_no"),
                    icon="circle_x",
                    color_scheme="tomato",
                    class_name="dv-sum dv-sum-no",
                ),
                rx.el.ul(
                    *[_check_row(name) for name in checks], style={"padding": "0", "margin": "0.5em 0 0"}
                ),
                id=result_id,
                key=key,
                class_name="dv-result",
                custom_attrs={"data-verified": "idle", "aria-live": "polite"},
                width="100%",
            ),
            rx.text(
                tr("verify.offline_pre"),
                rx.link("/draw-verifier.js", href="/draw-verifier.js", is_external=True),
                tr("verify.offline_post"),
                size=TYPE["fine"],
                color=COLOUR["muted"],
            ),
            spacing=SPACE["normal"],
            width="100%",
        ),
        width="100%",
        id=test_id,
    )
