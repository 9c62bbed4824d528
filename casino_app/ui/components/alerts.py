"""The operator dashboard's "Alerts" card: audit chain broken, key rotation due."""

from __future__ import annotations

import reflex as rx

from casino_app.ui.i18n.text import tr


def _alert_row(alert: rx.Var) -> rx.Component:
    critical = alert.severity == "critical"
    return rx.callout.root(
        rx.callout.icon(rx.icon(rx.cond(critical, "shield_alert", "key_round"))),
        rx.vstack(
            rx.callout.text(alert.message, weight="medium"),
            rx.text(tr("alerts.since"), " ", alert.since, size="1", color_scheme="gray"),
            spacing="1",
            min_width="0",
        ),
        color_scheme=rx.cond(critical, "red", "amber"),
        role="alert",
        width="100%",
        custom_attrs={"data-alert-kind": alert.kind},
    )


def alerts_card(alerts: rx.Var) -> rx.Component:
    """A card listing open security alerts, or a calm "all clear" line."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("bell", size=18),
                rx.heading(tr("alerts.title"), size="3"),
                rx.cond(
                    alerts.length() > 0,
                    rx.badge(alerts.length(), color_scheme="red", radius="full"),
                ),
                align="center",
                spacing="2",
            ),
            rx.cond(
                alerts.length() > 0,
                rx.vstack(rx.foreach(alerts, _alert_row), spacing="2", width="100%"),
                rx.hstack(
                    rx.icon("circle_check", size=16, color=rx.color("grass", 10)),
                    rx.text(
                        tr("alerts.all_clear"),
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="ops-alerts",
    )
