"""Wiring only: the Reflex app, its pages, the mounted API and the lifespan jobs."""

import reflex as rx

from casino_app.api.app import create_api
from casino_app.jobs.scheduler import run_forever
from casino_app.ui.layouts.player import PAGES
from casino_app.ui.pages.operator import dashboard as _operator_pages  # noqa: F401
from casino_app.ui.pages.player import auth, history, lobby, play, wallet  # noqa: F401

app = rx.App(
    head_components=[
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content="#1a1712"),
        rx.script(src="/countdown.js"),
    ],
    api_transformer=create_api(),
)

for spec in PAGES:
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)

app.register_lifespan_task(run_forever)
