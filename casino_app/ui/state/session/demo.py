"""Whether this deployment runs in demo mode, for the banner every page shows then."""

from __future__ import annotations

import reflex as rx

from casino_app.ui import wiring


class DemoState(rx.State):
    """`on` mirrors the wiring's `settings.demo_mode`; set by every page's on_load."""

    on: bool = False

    @rx.event
    def detect(self) -> None:
        self.on = wiring.current().settings.demo_mode
